// History as CSV, produced by the database's COPY: ISO 8601 UTC timestamps, RFC 4180 quoting by COPY,
// labels defused against formula injection in SQL, hidden counts as empty cells. A stream of chunks
// that is only pulled as fast as the consumer (HTTP client, export file) takes them.
import type { Db } from '../db/db.ts';
import { countNewlines } from './csv-records.ts';
import type { CsvOptions, HistoryWindow } from './params.ts';
import { csvSelect, streamCount, type CsvKind } from './queries.ts';

// Re-exported for the routes, which read the stream count to size a request before any CSV starts.
export { streamCount, type CsvKind };

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

// The embedded engine returns each COPY whole, so its slices are sized to about `batch` rows: the first
// one as if polled every 2 s (the fastest interval), then scaled by the rows the last slice really had.
const FASTEST_POLL_MS = 2_000;

export async function* csvChunks(db: Db, req: CsvRequest): AsyncGenerator<Uint8Array> {
  if (req.bom) yield BOM;
  yield new TextEncoder().encode(HEADERS[req.kind].join(req.delimiter) + '\n');
  const select = (from: Date, to: Date) =>
    csvSelect({ eventId: req.eventId, kind: req.kind, streamId: req.streamId ?? '', from, to });
  const options = { delimiter: req.delimiter };
  if (db.engine === 'postgres') {
    // A true COPY TO STDOUT stream: one statement, back-pressured by the socket.
    yield* db.copyCsv(select(req.window.from, req.window.to), options);
    return;
  }
  const end = req.window.to.getTime();
  let start = req.window.from.getTime();
  const perTick = req.kind === 'streams' ? await streamCount(db, req.eventId) : 1;
  let span = Math.max(1000, (req.batch / Math.max(perTick, 1)) * FASTEST_POLL_MS);
  while (start < end) {
    const sliceEnd = Math.min(start + span, end);
    let rows = 0;
    for await (const chunk of db.copyCsv(select(new Date(start), new Date(sliceEnd)), options)) {
      rows += countNewlines(chunk);
      yield chunk;
    }
    span = Math.max(1000, span * Math.min(4, Math.max(0.25, req.batch / Math.max(rows, 1))));
    start = sliceEnd;
  }
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
