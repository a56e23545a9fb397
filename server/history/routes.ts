// The read routes of history: JSON points for charts and CSV downloads, behind the event-reader check.
import { Hono, type Context } from 'hono';
import type { AppDeps } from '../app.ts';
import type { Queryable } from '../db/db.ts';
import { notFound } from '../errors.ts';
import { isId } from '../ids.ts';
import { eventIdParam } from '../auth/access.ts';
import { csvChunks, csvFileName, type CsvKind, type CsvRequest } from './csv.ts';
import { parseCsvOptions, parseHistoryOptions, parseWindow } from './params.ts';
import { readHistory } from './read-history.ts';

export async function requireStream(db: Queryable, eventId: string, streamId: string | undefined): Promise<string> {
  if (!isId(streamId)) throw notFound('Stream');
  const rows = await db.query('select 1 from streams where id = $1 and event_id = $2', [streamId, eventId]);
  if (rows.length === 0) throw notFound('Stream');
  return streamId;
}

/** Sends a CSV as it is produced; a database error mid-way aborts the transfer rather than end a short file cleanly. */
export function csvResponse(c: Context, chunks: AsyncIterable<Uint8Array>, fileName: string): Response {
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="${fileName}"`);
  c.header('Cache-Control', 'no-store');
  return c.body(pulled(chunks));
}

// highWaterMark 0: the next chunk is asked of the database only when the socket has taken the last one.
function pulled(chunks: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await it.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel(reason) {
        await it.return?.(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

export function historyRoutes(deps: AppDeps) {
  const app = new Hono();
  const { db, config } = deps;

  // requireEventReader has already answered 404 for an id that is malformed or names no event.
  app.get('/api/events/:id/history', deps.access.requireEventReader, async (c) => {
    const eventId = eventIdParam(c);
    const query = c.req.queries();
    const window = parseWindow(query, config.MAX_HISTORY_MINUTES);
    const options = parseHistoryOptions(query);
    c.header('Cache-Control', 'no-store');
    return c.json(await readHistory(db, eventId, window, options));
  });

  const csv = (kind: CsvKind) => async (c: Context) => {
    const eventId = eventIdParam(c);
    if (kind === 'stream' && !isId(c.req.param('sid'))) throw notFound('Stream');
    const query = c.req.queries();
    const window = parseWindow(query, config.MAX_HISTORY_MINUTES);
    const options = parseCsvOptions(query);
    const streamId = kind === 'stream' ? await requireStream(db, eventId, c.req.param('sid')) : undefined;
    const req: CsvRequest = { eventId, kind, streamId, window, ...options };
    return csvResponse(c, csvChunks(db, req), csvFileName(req));
  };
  app.get('/api/events/:id/history.csv', deps.access.requireEventReader, csv('total'));
  app.get('/api/events/:id/streams/history.csv', deps.access.requireEventReader, csv('streams'));
  app.get('/api/events/:id/streams/:sid/history.csv', deps.access.requireEventReader, csv('stream'));

  return app;
}
