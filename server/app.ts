// Builds the Hono app from its dependencies, with no side effects: tests drive it through app.request().
// Only main.ts listens, starts the poller and handles signals.
import { Hono } from 'hono';
import { matchedRoutes } from 'hono/route';
import { dbTrouble, sqlstate, type DbTrouble } from './db/sqlstate.ts';
import { ApiError, errorResponse } from './errors.ts';
import { log } from './log.ts';
import type { Access } from './auth/access.ts';
import { authRoutes } from './auth/routes.ts';
import { embedRoutes } from './auth/embed-routes.ts';
import { limitBodies } from './security/body-limit.ts';
import { securityHeaders } from './security/headers.ts';
import { hostCheck } from './security/host-check.ts';
import { createAddressLimits } from './security/address-limits.ts';
import type { Config } from './config.ts';
import type { Db } from './db/db.ts';
import { ping } from './db/queries.ts';
import type { CsvBudget } from './history/csv-budget.ts';
import { exportRoutes } from './exports/routes.ts';
import { historyRoutes } from './history/routes.ts';
import { statsRoutes } from './stats/routes.ts';
import { milestoneRoutes } from './milestones/routes.ts';
import { dockRoutes } from './integrations/dock/routes.ts';
import type { Metrics } from './integrations/metrics/metrics.ts';
import { metricsRoutes } from './integrations/metrics/routes.ts';
import { nowRoutes } from './integrations/now/routes.ts';
import type { WebhookRunner } from './integrations/webhooks/runner.ts';
import { webhookRoutes } from './integrations/webhooks/routes.ts';
import { addressPolicy } from './integrations/webhooks/ssrf.ts';
import { eventRoutes } from './events/routes.ts';
import type { Poller } from './poller/poller.ts';
import type { Bus } from './realtime/bus.ts';
import type { Hub } from './realtime/hub.ts';
import { sseRoutes } from './realtime/sse-route.ts';
import { pageRoutes } from './pages/routes.ts';
import { widgetRoutes } from './widget-routes.ts';
import type { Health, YoutubeSource } from './wire.ts';

export interface AppDeps {
  config: Config;
  db: Db;
  version: string;
  /** What this instance does about polling right now. */
  pollerRole: () => 'leader' | 'standby' | 'off';
  access: Access;
  poller: Pick<Poller, 'lookup' | 'wake' | 'quota' | 'upstream' | 'writeBacklog' | 'polled'>;
  hub: Hub;
  bus: Bus;
  /** CSV downloads and export reads running at once (shared with the export runner). */
  csvBudget: CsvBudget;
  /** False once shutdown has begun: new event streams are told to come back later. */
  accepting: () => boolean;
  /** The clock of the login brake; tests inject one. */
  now?: () => Date;
  /** The clock of admin sessions (lifetime and idle timeout); tests of sessions inject one. */
  sessionNow?: () => Date;
  /** Where view counts come from, for the admin's banner: YouTube with a key, the simulator, or nowhere. */
  youtube?: YoutubeSource;
  /** This instance's Prometheus registry: HTTP requests are counted into it and GET /metrics serves it. */
  metrics?: Metrics;
  /** Sends webhook deliveries; the routes wake it for a test delivery. */
  webhooks?: Pick<WebhookRunner, 'wake'>;
}

const DB_TROUBLE: Record<DbTrouble, string> = {
  db_unavailable: 'The database is not answering right now; try again shortly',
  db_timeout: 'The database took too long to answer; try again shortly',
  db_busy: 'The database is busy with a conflicting change; try again shortly',
};

export function createApp(deps: AppDeps) {
  const app = new Hono();

  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    // The route pattern, never the raw path: one series per route, whatever ids and junk clients send.
    if (deps.metrics) {
      const route = matchedRoutes(c).findLast((r) => r.method !== 'ALL')?.path ?? 'unmatched';
      deps.metrics.observeHttp(c.req.method, route, c.res.status);
    }
    log('info', 'http', `${c.req.method} ${new URL(c.req.url).pathname} ${c.res.status}`, {
      ms: Math.round(performance.now() - started),
    });
  });
  app.use(securityHeaders());
  app.use(hostCheck(deps.config));
  app.use('/api/*', limitBodies());

  app.get('/api/health', async (c) => {
    let db: 'up' | 'down' = 'up';
    try {
      await ping(deps.db);
    } catch {
      db = 'down';
    }
    // Upstream trouble degrades the status but keeps the 200: this instance still serves everything it
    // has, and a load balancer should not take it out because YouTube is failing.
    const upstream = deps.poller.upstream();
    // Ticks waiting for the database mean history is not being stored right now, whatever `select 1` says.
    const backlog = deps.poller.writeBacklog();
    // No instance holding the poller lock (a lone instance whose lock connection was cut, until its next
    // try) means nobody takes counts: the database answering does not make that ok.
    const polled = db === 'up' ? await deps.poller.polled() : null;
    const healthy =
      db === 'up' && (upstream === 'ok' || upstream === 'idle') && backlog.depth === 0 && polled !== false;
    return c.json(
      {
        status: healthy ? 'ok' : 'degraded',
        db: deps.db.engine,
        dbState: db,
        version: deps.version,
        poller: deps.pollerRole(),
        youtube: deps.youtube ?? 'none',
        upstream,
        queuedTicks: backlog.depth,
        oldestQueuedTickSeconds: backlog.oldestAgeSeconds,
      } satisfies Health,
      db === 'up' ? 200 : 503,
    );
  });

  // Per instance, shared by the history routes and the SSE route (an SSE connect reads history too).
  const limits = createAddressLimits(deps.config);
  app.route('/', historyRoutes(deps, limits));
  app.route('/', statsRoutes(deps, limits));
  app.route('/', milestoneRoutes(deps));
  app.route('/', nowRoutes(deps, limits));
  if (deps.metrics) app.route('/', metricsRoutes(deps.config, deps.metrics));
  app.route(
    '/',
    webhookRoutes({
      db: deps.db,
      access: deps.access,
      policy: addressPolicy(deps.config.WEBHOOK_ALLOW_PRIVATE),
      runner: deps.webhooks ?? { wake: () => {} },
    }),
  );
  app.route('/', exportRoutes(deps));
  app.route('/', eventRoutes(deps));
  app.route('/', sseRoutes({ ...deps, limits }));
  app.route(
    '/',
    authRoutes({ config: deps.config, db: deps.db, bus: deps.bus, now: deps.now, sessionNow: deps.sessionNow }),
  );
  app.route('/', embedRoutes({ config: deps.config, db: deps.db, access: deps.access, bus: deps.bus }));

  app.route('/', widgetRoutes());
  app.route('/', pageRoutes({ config: deps.config, db: deps.db, sessionNow: deps.sessionNow }));
  app.route('/', dockRoutes({ config: deps.config, db: deps.db, sessionNow: deps.sessionNow }));

  app.notFound((c) =>
    errorResponse(c, new ApiError(404, 'not_found', `No route for ${c.req.method} ${new URL(c.req.url).pathname}`)),
  );

  app.onError((error, c) => {
    const dbCode = error instanceof ApiError ? null : dbTrouble(error);
    if (dbCode) {
      log('warn', dbCode, error.message, {
        path: new URL(c.req.url).pathname,
        sqlstate: sqlstate(error) ?? (error as { code?: string }).code,
      });
      error = new ApiError(503, dbCode, DB_TROUBLE[dbCode], undefined, { 'Retry-After': '5' });
    }
    if (error instanceof ApiError) return errorResponse(c, error);
    const status = (error as { status?: number }).status;
    if (status === 413) return errorResponse(c, new ApiError(413, 'payload_too_large', 'Request body too large'));
    log('error', 'unhandled', error.stack ?? String(error), { path: new URL(c.req.url).pathname });
    return errorResponse(c, new ApiError(500, 'internal', 'Internal server error'));
  });

  return app;
}
