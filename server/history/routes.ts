// The read routes of history: JSON points for charts and CSV downloads, behind the event-reader check.
import { Hono, type Context } from 'hono';
import type { AppDeps } from '../app.ts';
import type { Queryable } from '../db/db.ts';
import { ApiError, notFound } from '../errors.ts';
import { log } from '../log.ts';
import { isId } from '../ids.ts';
import { eventIdParam } from '../auth/access.ts';
import { csvChunks, csvFileName, type CsvKind, type CsvRequest } from './csv.ts';
import { csvResponse } from './csv-response.ts';
import { parseCsvOptions, parseHistoryOptions, parseWindow } from './params.ts';
import { readHistory } from './read-history.ts';

export async function requireStream(db: Queryable, eventId: string, streamId: string | undefined): Promise<string> {
  if (!isId(streamId)) throw notFound('Stream');
  const rows = await db.query('select 1 from streams where id = $1 and event_id = $2', [streamId, eventId]);
  if (rows.length === 0) throw notFound('Stream');
  return streamId;
}

const CSV_RETRY_SECONDS = 5;

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
    // Taken last, after every check that can refuse the request, and handed to the response, which
    // returns it however the transfer ends.
    const release = deps.csvBudget.tryTake();
    if (!release) {
      log('warn', 'csv_refused', `all ${deps.csvBudget.max} CSV slots are taken`, { path: new URL(c.req.url).pathname });
      throw new ApiError(429, 'csv_busy', `${deps.csvBudget.max} CSV downloads are running; try again in a few seconds`, undefined, { 'Retry-After': String(CSV_RETRY_SECONDS) });
    }
    return csvResponse(c, csvChunks(db, req), csvFileName(req), { release, stallMs: config.CSV_STALL_SECONDS * 1000 });
  };
  app.get('/api/events/:id/history.csv', deps.access.requireEventReader, csv('total'));
  app.get('/api/events/:id/streams/history.csv', deps.access.requireEventReader, csv('streams'));
  app.get('/api/events/:id/streams/:sid/history.csv', deps.access.requireEventReader, csv('stream'));

  return app;
}
