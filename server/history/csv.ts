// History as CSV, produced by the database's COPY: ISO 8601 UTC timestamps, RFC 4180 quoting by COPY,
// labels defused against formula injection in SQL, hidden counts as empty cells. A stream of chunks
// that is only pulled as fast as the consumer (HTTP client, export file) takes them.
import { settingName, type Db } from '../db/db.ts';
import { countNewlines } from './csv-records.ts';
import type { CsvOptions, HistoryWindow } from './params.ts';

export type CsvKind = 'total' | 'streams' | 'stream';

export interface CsvRequest extends CsvOptions {
  eventId: string;
  kind: CsvKind;
  /** Required for kind 'stream'. */
  streamId?: string;
  window: HistoryWindow;
}

const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);
const HEADERS: Record<CsvKind, string[]> = {
  total: ['ts', 'total'],
  streams: ['ts', 'stream_id', 'video_id', 'label', 'viewers'],
  stream: ['ts', 'stream_id', 'video_id', 'label', 'viewers'],
};

const setting = (name: string) => `current_setting('${settingName(name)}')`;
const ISO_UTC = `to_char(x.ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const IN_WINDOW = `x.event_id = ${setting('event_id')} and x.ts >= ${setting('from')}::timestamptz and x.ts < ${setting('to')}::timestamptz`;
// OWASP: a spreadsheet runs a cell starting with = + - @ tab or CR as a formula, quoted or not; a leading ' makes it text.
const SAFE_LABEL = `case when left(label, 1) in ('=', '+', '-', '@', chr(9), chr(13)) then '''' || label else label end`;

// COPY takes no bind parameters: every input arrives as a setting that the engine binds (Db.copyCsv).
const SELECTS: Record<CsvKind, string> = {
  total: `select ${ISO_UTC}, x.total from samples x where ${IN_WINDOW} order by x.ts`,
  streams: `select ${ISO_UTC}, x.stream_id, s.video_id, s.label, x.viewers
              from stream_samples x
              join (select id, video_id, ${SAFE_LABEL} as label from streams where event_id = ${setting('event_id')}) s on s.id = x.stream_id
             where ${IN_WINDOW} order by x.ts, x.stream_id`,
  stream: `select ${ISO_UTC}, x.stream_id, s.video_id, s.label, x.viewers
             from stream_samples x
             join (select id, video_id, ${SAFE_LABEL} as label from streams where id = ${setting('stream_id')}) s on s.id = x.stream_id
            where ${IN_WINDOW} and x.stream_id = ${setting('stream_id')} order by x.ts`,
};

// The embedded engine returns each COPY whole, so its slices are sized to about `batch` rows: the first
// one as if polled every 2 s (the fastest interval), then scaled by the rows the last slice really had.
const FASTEST_POLL_MS = 2_000;

export async function* csvChunks(db: Db, req: CsvRequest): AsyncGenerator<Uint8Array> {
  if (req.bom) yield BOM;
  yield new TextEncoder().encode(HEADERS[req.kind].join(req.delimiter) + '\n');
  const settings = (from: Date, to: Date) => ({
    event_id: req.eventId,
    from: from.toISOString(),
    to: to.toISOString(),
    ...(req.kind === 'stream' ? { stream_id: req.streamId ?? '' } : {}),
  });
  const select = SELECTS[req.kind];
  const options = { delimiter: req.delimiter };
  if (db.engine === 'postgres') {
    // A true COPY TO STDOUT stream: one statement, back-pressured by the socket.
    yield* db.copyCsv(select, settings(req.window.from, req.window.to), options);
    return;
  }
  const end = req.window.to.getTime();
  let start = req.window.from.getTime();
  const perTick = req.kind === 'streams' ? await streamCount(db, req.eventId) : 1;
  let span = Math.max(1000, (req.batch / Math.max(perTick, 1)) * FASTEST_POLL_MS);
  while (start < end) {
    const sliceEnd = Math.min(start + span, end);
    let rows = 0;
    for await (const chunk of db.copyCsv(select, settings(new Date(start), new Date(sliceEnd)), options)) {
      rows += countNewlines(chunk);
      yield chunk;
    }
    span = Math.max(1000, span * Math.min(4, Math.max(0.25, req.batch / Math.max(rows, 1))));
    start = sliceEnd;
  }
}

export async function streamCount(db: Db, eventId: string): Promise<number> {
  const [row] = await db.query<{ n: number }>('select count(*)::int as n from streams where event_id = $1', [eventId]);
  return row?.n ?? 1;
}

const compact = (d: Date) =>
  d
    .toISOString()
    .replace(/\.\d{3}/, '')
    .replace(/[-:]/g, '');

/** `livepulse-<event>[-streams|-stream-<sid>]-<from>-<to>.csv`; ids are checked URL-safe, so no quoting issue. */
export function csvFileName(req: Pick<CsvRequest, 'eventId' | 'kind' | 'streamId' | 'window'>): string {
  const what = req.kind === 'total' ? '' : req.kind === 'streams' ? '-streams' : `-stream-${req.streamId}`;
  return `livepulse-${req.eventId}${what}-${compact(req.window.from)}-${compact(req.window.to)}.csv`;
}
