// The read routes of history: JSON points for charts and CSV downloads, behind the event-reader check.
import { Hono, type Context } from 'hono';
import type { AppDeps } from '../app.ts';
import type { Queryable } from '../db/db.ts';
import { ApiError, notFound } from '../errors.ts';
import { log } from '../log.ts';
import { isId } from '../ids.ts';
import { streamInEvent } from '../events/queries.ts';
import { eventIdParam } from '../auth/access.ts';
import type { AddressLimits } from '../security/address-limits.ts';
import { csvChunks, csvFileName, streamCount, type CsvKind, type CsvRequest } from './csv.ts';
import { createPointBudget, estimatePoints } from './history-budget.ts';
import { csvResponse } from './csv-response.ts';
import { parseCsvOptions, parseHistoryOptions, parseWindow } from './params.ts';
import { readHistoryJson } from './read-history.ts';
import { readLimit as limitReads } from '../security/read-limit.ts';
import { chatCsvChunks, chatCsvFileName } from '../chat/chat-csv.ts';

export async function requireStream(db: Queryable, eventId: string, streamId: string | undefined): Promise<string> {
  if (!isId(streamId)) throw notFound('Stream');
  if (!(await streamInEvent(db, eventId, streamId))) throw notFound('Stream');
  return streamId;
}

const CSV_RETRY_SECONDS = 5;
// A history request waits this long for its turn before it is refused.
const HISTORY_WAIT_MS = 10_000;
const HISTORY_RETRY_SECONDS = 2;

/** A warning at most once a second, counting the ones it held back, so a flood of refusals is not a flood of lines. */
function everySecondAtMost(code: string) {
  let last = 0;
  let held = 0;
  return (message: string, fields: Record<string, unknown>) => {
    const now = Date.now();
    if (now - last < 1000) {
      held++;
      return;
    }
    log('warn', code, message, held ? { ...fields, alsoRefused: held } : fields);
    last = now;
    held = 0;
  };
}

export function historyRoutes(deps: AppDeps, limits: AddressLimits) {
  const app = new Hono();
  const { db, config } = deps;
  const readLimit = limitReads(limits, config);
  const pointBudget = createPointBudget(config.HISTORY_POINTS_IN_FLIGHT);
  const refusedHistory = everySecondAtMost('history_refused');
  const refusedCsv = everySecondAtMost('csv_refused');

  // requireEventReader has already answered 404 for an id that is malformed or names no event.
  app.get('/api/events/:id/history', readLimit, deps.access.requireEventReader, async (c) => {
    const eventId = eventIdParam(c);
    const query = c.req.queries();
    const window = parseWindow(query, config.MAX_HISTORY_MINUTES);
    const options = parseHistoryOptions(query);
    const points = estimatePoints(window, options, options.streams ? await streamCount(db, eventId) : 0);
    const release = await pointBudget.take(points, HISTORY_WAIT_MS);
    if (!release) {
      refusedHistory(
        `history points in flight at the budget (${config.HISTORY_POINTS_IN_FLIGHT}) for ${HISTORY_WAIT_MS} ms`,
        { path: new URL(c.req.url).pathname, points },
      );
      throw new ApiError(
        429,
        'history_busy',
        'The server is building many large histories right now; try again in a few seconds',
        undefined,
        { 'Retry-After': String(HISTORY_RETRY_SECONDS) },
      );
    }
    try {
      c.header('Cache-Control', 'no-store');
      const text = await readHistoryJson(db, eventId, window, options);
      return c.body(text, 200, { 'Content-Type': 'application/json' });
    } finally {
      release();
    }
  });

  /** A CSV slot, held by the response until the transfer ends however it ends; a 429 when all are taken. */
  const takeCsvSlot = (c: Context) => {
    const release = deps.csvBudget.tryTake();
    if (release) return release;
    refusedCsv(`all ${deps.csvBudget.max} CSV slots are taken`, { path: new URL(c.req.url).pathname });
    throw new ApiError(
      429,
      'csv_busy',
      `${deps.csvBudget.max} CSV downloads are running; try again in a few seconds`,
      undefined,
      { 'Retry-After': String(CSV_RETRY_SECONDS) },
    );
  };

  const csv = (kind: CsvKind) => async (c: Context) => {
    const eventId = eventIdParam(c);
    if (kind === 'stream' && !isId(c.req.param('sid'))) throw notFound('Stream');
    const query = c.req.queries();
    const window = parseWindow(query, config.MAX_HISTORY_MINUTES);
    const options = parseCsvOptions(query);
    const streamId = kind === 'stream' ? await requireStream(db, eventId, c.req.param('sid')) : undefined;
    const req: CsvRequest = { eventId, kind, streamId, window, ...options };
    // Hono answers HEAD with the GET handler and drops its body unread and uncancelled: no slot, no COPY.
    if (c.req.method === 'HEAD') return csvResponse(c, (async function* () {})(), csvFileName(req));
    // Taken last, after every check that can refuse the request, and handed to the response, which
    // returns it however the transfer ends.
    const release = takeCsvSlot(c);
    return csvResponse(c, csvChunks(db, req), csvFileName(req), { release, stallMs: config.CSV_STALL_SECONDS * 1000 });
  };
  // Chat activity (issue 16): per stream and minute, and the minutes' totals; the history CSVs' access and budget.
  app.get('/api/events/:id/chat.csv', readLimit, deps.access.requireEventReader, (c) => {
    const eventId = eventIdParam(c);
    const query = c.req.queries();
    const window = parseWindow(query, config.MAX_HISTORY_MINUTES);
    const { delimiter, bom } = parseCsvOptions(query);
    const fileName = chatCsvFileName(eventId, window.from, window.to);
    if (c.req.method === 'HEAD') return csvResponse(c, (async function* () {})(), fileName);
    const release = takeCsvSlot(c);
    const chunks = chatCsvChunks(db, { eventId, ...window, delimiter, bom });
    return csvResponse(c, chunks, fileName, { release, stallMs: config.CSV_STALL_SECONDS * 1000 });
  });
  app.get('/api/events/:id/history.csv', readLimit, deps.access.requireEventReader, csv('total'));
  app.get('/api/events/:id/streams/history.csv', readLimit, deps.access.requireEventReader, csv('streams'));
  app.get('/api/events/:id/streams/:sid/history.csv', readLimit, deps.access.requireEventReader, csv('stream'));

  return app;
}
