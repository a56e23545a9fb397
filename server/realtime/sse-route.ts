// GET /api/events/:id/stream — history first, then one `sample` per tick, `status` on changes, `milestone`
// as they are reached. A reconnect with Last-Event-ID (or ?lastEventId=) gets exactly the samples and the
// milestones it missed, from the database, then live ones (resume-point.ts). Transient refusals (server full, shutting down) are a 200 with `retry:`,
// because a browser's EventSource gives up for good on any other status.
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { Hono, type MiddlewareHandler } from 'hono';
import type { Access } from '../auth/access.ts';
import { clientAddress } from '../auth/request.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/db.ts';
import { dbTrouble } from '../db/sqlstate.ts';
import { ApiError } from '../errors.ts';
import { parseWindow } from '../history/params.ts';
import { readHistory } from '../history/read-history.ts';
import { log } from '../log.ts';
import type { AddressLimits } from '../security/address-limits.ts';
import type { Bus } from './bus.ts';
import type { Hub } from './hub.ts';
import { latestSample, samplesAfter } from './queries.ts';
import { milestonesAfter } from '../milestones/queries.ts';
import type { MilestoneMessage, StatusMessage } from '../wire.ts';
import { milestoneKey } from './hub.ts';
import { parseLastEventId } from './resume-point.ts';
import { refusal, retryLine, sseFrame } from './sse-frame.ts';

const RETRY_MS = 3000;
const FULL_RETRY_MS = 15_000;
/** More missed samples than this and a fresh history is cheaper than a replay. */
const RESUME_LIMIT = 2000;
/** Milestones replayed at most (thresholds are a few per event; peaks one a minute at most). */
const MILESTONE_REPLAY_LIMIT = 500;
const HISTORY_MAX_POINTS = 1000;

export interface SseDeps {
  config: Pick<Config, 'MAX_HISTORY_MINUTES' | 'SSE_MAX_CLIENTS' | 'TRUST_PROXY' | 'PUBLIC_BASE_URL'>;
  db: Db;
  hub: Hub;
  bus: Bus;
  access: Access;
  /** False while shutting down: new streams are told to come back later. */
  accepting: () => boolean;
  /** Open streams per address, and history reads (a connect starts with one) per address. */
  limits: AddressLimits;
}

const HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
  Connection: 'keep-alive',
};

export function sseRoutes(deps: SseDeps) {
  const app = new Hono<{ Bindings: HttpBindings }>();

  // Database trouble during the access check is passing: a 200 with `retry:` and an `unavailable` status,
  // since any other status ends a browser's EventSource for good (RELIABILITY case 29). The frame holds
  // no data, so it is readable cross-origin like the access check's own refusals.
  const readerOrUnavailable: MiddlewareHandler<{ Bindings: HttpBindings }> = async (c, next) => {
    try {
      return await deps.access.requireEventReader(c, next);
    } catch (error) {
      const res = c.env?.outgoing;
      if (!res || !dbTrouble(error) || res.headersSent) throw error;
      log('warn', 'sse_db_unavailable', (error as Error).message, { eventId: c.req.param('id') });
      res.writeHead(200, { ...HEADERS, 'Access-Control-Allow-Origin': '*' });
      res.end(refusal('unavailable', RETRY_MS));
      return RESPONSE_ALREADY_SENT;
    }
  };

  app.get('/api/events/:id/stream', readerOrUnavailable, async (c) => {
    const res = c.env?.outgoing;
    if (!res) throw new ApiError(500, 'internal', 'SSE needs the Node HTTP server');
    const eventId = c.req.param('id');
    const window = parseWindow(c.req.queries(), deps.config.MAX_HISTORY_MINUTES);
    // The header wins over the query parameter (the spec sends the header on automatic reconnects).
    const resumeFrom = parseLastEventId(
      c.req.header('last-event-id') ?? c.req.query('lastEventId'),
      Date.now(),
      deps.config.MAX_HISTORY_MINUTES,
    );

    const headers: Record<string, string> = { ...HEADERS };
    c.res.headers.forEach((value, key) => (headers[key] = value)); // e.g. CORS set by the access check
    res.writeHead(200, headers);

    if (!deps.accepting() || deps.hub.size >= deps.config.SSE_MAX_CLIENTS) {
      const state = deps.accepting() ? 'server_full' : 'shutting_down';
      res.end(refusal(state, FULL_RETRY_MS));
      return RESPONSE_ALREADY_SENT;
    }
    // One address past its share is told the server is full: to that client it is.
    const address = clientAddress(c, deps.config);
    const slot = deps.limits.reads.retryAfter(address) === 0 ? deps.limits.sse.open(address) : null;
    if (!slot) {
      res.end(refusal('server_full', FULL_RETRY_MS));
      return RESPONSE_ALREADY_SENT;
    }
    res.on('close', slot);

    res.write(retryLine(RETRY_MS));
    // Subscribe first, then read the database: whatever is published meanwhile waits in the backlog
    // and is de-duplicated by tick time, so there is neither a gap nor a repeat.
    const client = deps.hub.add(eventId, res, c.get('readerGrant'));
    try {
      // An access change that landed after the request's check but before the hub knew this client.
      await deps.bus.admitted(client);
      if (res.writableEnded) return RESPONSE_ALREADY_SENT;
      const missed = resumeFrom ? await samplesAfter(deps.db, eventId, resumeFrom.after, RESUME_LIMIT + 1) : null;
      // Read after the hub knew the client: a milestone published since waits in its backlog, and is
      // dropped there if this read has it too.
      const milestones = resumeFrom
        ? await milestonesAfter(deps.db, eventId, resumeFrom, MILESTONE_REPLAY_LIMIT)
        : ([] as MilestoneMessage[]);
      client.replayed = new Set(milestones.map(milestoneKey));
      /** The missed milestones up to `tsMs`, in order: a tick's come after its samples. */
      const milestonesUntil = (tsMs: number) => {
        while (milestones.length && Date.parse(milestones[0].ts) <= tsMs)
          deps.hub.writeMilestone(client, milestones.shift()!);
      };
      if (missed && missed.length <= RESUME_LIMIT) {
        client.lastTs = resumeFrom!.after.getTime();
        for (const s of missed) {
          milestonesUntil(s.tsMs - 1);
          deps.hub.write(client, sseFrame('sample', s.message, String(s.tsMs)));
          client.lastTs = s.tsMs;
        }
        milestonesUntil(Infinity);
      } else {
        // Everything published before the subscription is stored by now, so it is at most `newest`;
        // everything after it is in the backlog. (A tick landing between the two reads may appear in
        // both the history and the backlog: a repeated point, never a missing one.)
        const newest = await latestSample(deps.db, eventId);
        const history = await readHistory(deps.db, eventId, window, { streams: true, maxPoints: HISTORY_MAX_POINTS });
        // The newest count goes with it whatever the window: a counter asking for one minute shows a
        // 12-minute-old total as old ("As of 13:17"), as the dashboard and now.json do, not as "no count".
        if (newest) history.latest = newest.message;
        deps.hub.write(client, sseFrame('history', history));
        client.lastTs = newest?.tsMs ?? 0;
        // Too long away for a replay of samples: the history covers them, and the milestones still come once.
        milestonesUntil(Infinity);
      }
      deps.hub.write(client, sseFrame('status', await deps.bus.statusMessage(eventId)));
      deps.hub.goLive(client);
    } catch (error) {
      // Headers are sent: log, and let the client reconnect rather than fail the request.
      const trouble = dbTrouble(error);
      log(trouble ? 'warn' : 'error', trouble ? 'sse_db_unavailable' : 'sse_start_failed', (error as Error).message, {
        eventId,
      });
      res.end(
        trouble
          ? sseFrame('status', { state: 'unavailable', intervalSeconds: 0, streams: [] } satisfies StatusMessage)
          : retryLine(RETRY_MS),
      );
    }
    return RESPONSE_ALREADY_SENT;
  });

  return app;
}
