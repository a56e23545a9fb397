// History as CSV from the database's COPY: ISO 8601 UTC timestamps, RFC 4180 quoting as COPY writes it,
// labels defused against formula injection in SQL, hidden counts as empty cells. COPY sends compact rows
// (epoch, stream id, count) and csv-lines.ts writes the lines. A stream of chunks that is only pulled as
// fast as the consumer (HTTP client, export file) takes them.
import type { Db } from '../db/db.ts';
import { countNewlines } from './csv-records.ts';
import type { CsvOptions, HistoryWindow } from './params.ts';
import { CsvLines } from './csv-lines.ts';
import { csvSelect, csvStreams, streamCount, type CsvKind } from './queries.ts';

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
  // platform and source came last (issue 15) so the columns before them keep their places.
  streams: ['ts', 'stream_id', 'video_id', 'label', 'viewers', 'platform', 'source'],
  stream: ['ts', 'stream_id', 'video_id', 'label', 'viewers', 'platform', 'source'],
};

// COPY hands over a row or a few at a time; every chunk costs each stage after it (stream, HTTP, socket)
// about as much as its bytes, so lines leave in batches of this size.
const BATCH_BYTES = 64 * 1024;

// The embedded engine returns each COPY whole, so its slices are sized to about `batch` rows: the first
// one as if polled every 2 s (the fastest interval), then scaled by the rows the last slice really had.
const FASTEST_POLL_MS = 2_000;

export async function* csvChunks(db: Db, req: CsvRequest): AsyncGenerator<Uint8Array> {
  if (req.bom) yield BOM;
  yield new TextEncoder().encode(HEADERS[req.kind].join(req.delimiter) + '\n');
  const slice = { eventId: req.eventId, kind: req.kind, streamId: req.streamId ?? '' };
  // The streams' cells are read once (per slice on the embedded engine, as the join they replace was).
  const linesFor = async () => new CsvLines(req.delimiter, req.kind === 'total' ? false : await csvStreams(db, slice));
  if (db.engine === 'postgres') {
    // A true COPY TO STDOUT stream: one statement, back-pressured by the socket.
    const lines = await linesFor();
    for await (const chunk of db.copyCsv(csvSelect({ ...slice, from: req.window.from, to: req.window.to }))) {
      lines.push(chunk);
      if (lines.size >= BATCH_BYTES) yield lines.take();
    }
    if (lines.size) yield lines.take();
    return;
  }
  const end = req.window.to.getTime();
  let start = req.window.from.getTime();
  const perTick = req.kind === 'streams' ? await streamCount(db, req.eventId) : 1;
  let span = Math.max(1000, (req.batch / Math.max(perTick, 1)) * FASTEST_POLL_MS);
  while (start < end) {
    const sliceEnd = Math.min(start + span, end);
    const lines = await linesFor();
    let rows = 0;
    for await (const chunk of db.copyCsv(csvSelect({ ...slice, from: new Date(start), to: new Date(sliceEnd) }))) {
      rows += countNewlines(chunk);
      lines.push(chunk);
      if (lines.size >= BATCH_BYTES) yield lines.take();
    }
    if (lines.size) yield lines.take();
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
