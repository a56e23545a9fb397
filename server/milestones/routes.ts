// GET /api/events/:id/milestones?minutes|from|to: the milestones an event reached in a window (for the
// report's timeline), with the window parameters and the event-reader check of history and stats.
import { Hono } from 'hono';
import type { AppDeps } from '../app.ts';
import { eventIdParam } from '../auth/access.ts';
import { parseWindow } from '../history/params.ts';
import { milestonesIn } from './queries.ts';

export function milestoneRoutes(deps: AppDeps) {
  const app = new Hono();
  app.get('/api/events/:id/milestones', deps.access.requireEventReader, async (c) => {
    const window = parseWindow(c.req.queries(), deps.config.MAX_HISTORY_MINUTES);
    c.header('Cache-Control', 'no-store');
    return c.json({ milestones: await milestonesIn(deps.db, eventIdParam(c), window.from, window.to) });
  });
  return app;
}
