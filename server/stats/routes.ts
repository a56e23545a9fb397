// GET /api/events/:id/stats and /stats.csv: an event's peak, average, viewer-minutes and live time, in
// total and per stream, over the same window parameters (minutes | from + to) and behind the same
// checks as history (per-address read limit, then the event-reader check).
import { Hono, type MiddlewareHandler } from 'hono';
import type { AppDeps } from '../app.ts';
import { eventIdParam } from '../auth/access.ts';
import { parseCsvOptions, parseWindow } from '../history/params.ts';
import type { AddressLimits } from '../security/address-limits.ts';
import { readStats } from './read-stats.ts';
import { statsCsv, statsCsvFileName } from './stats-csv.ts';
import { readLimit as limitReads } from '../security/read-limit.ts';

export function statsRoutes(deps: AppDeps, limits: AddressLimits) {
  const app = new Hono();
  const { db, config } = deps;
  const readLimit = limitReads(limits, config);
  const read = (c: Parameters<MiddlewareHandler>[0]) =>
    readStats(db, eventIdParam(c), parseWindow(c.req.queries(), config.MAX_HISTORY_MINUTES), {
      fallbackSeconds: config.POLL_INTERVAL_SECONDS,
    });

  app.get('/api/events/:id/stats', readLimit, deps.access.requireEventReader, async (c) => {
    const { stats } = await read(c);
    c.header('Cache-Control', 'no-store');
    return c.json(stats);
  });

  app.get('/api/events/:id/stats.csv', readLimit, deps.access.requireEventReader, async (c) => {
    const { delimiter, bom } = parseCsvOptions(c.req.queries());
    const { stats, streams } = await read(c);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${statsCsvFileName(stats)}"`);
    c.header('Cache-Control', 'no-store');
    return c.body(statsCsv(stats, streams, delimiter, bom));
  });

  return app;
}
