// One instance's Prometheus registry: the poller's figures (through poll-meter.ts and what the poller
// exposes), the live streams of the hub, HTTP requests by route, the database's counts, and prom-client's
// process defaults. Everything is read at scrape time, so /metrics costs nothing between scrapes.
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { Db } from '../../db/db.ts';
import type { Poller } from '../../poller/poller.ts';
import type { Hub } from '../../realtime/hub.ts';
import { createPollMeter } from './poll-meter.ts';
import { exportJobsByState, streamsByStatus, webhookDeliveriesByState } from './queries.ts';

export interface MetricSources {
  db: Db;
  hub: Pick<Hub, 'size' | 'framesWritten' | 'slowDisconnects'>;
  poller: Pick<Poller, 'quota' | 'writeBacklog' | 'role'>;
}

/** A counter that mirrors a running total kept elsewhere (the hub's): raised by the difference at each scrape. */
function mirroredCounter(registry: Registry, name: string, help: string, read: () => number) {
  let seen = 0;
  return new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const now = read();
      if (now > seen) this.inc(now - seen);
      seen = now;
    },
  });
}

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const pollMeter = createPollMeter(registry);
  const http = new Counter({
    name: 'livepulse_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern (unmatched: no route) and status',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });

  /** What the scrape reads asynchronously (the quota, the database), refreshed before each scrape. */
  let refresh: () => Promise<void> = async () => {};

  /** Registers the gauges that read the running instance; called once its parts exist. */
  function watch(s: MetricSources) {
    const gauge = (name: string, help: string, labelNames: string[] = [], collect?: (g: Gauge) => void) =>
      new Gauge({
        name,
        help,
        labelNames,
        registers: [registry],
        ...(collect
          ? {
              collect() {
                collect(this);
              },
            }
          : {}),
      });
    gauge('livepulse_poller_leader', '1 while this instance holds the poller lock and polls', [], (g) =>
      g.set(s.poller.role() === 'leader' ? 1 : 0),
    );
    gauge('livepulse_write_queue_depth', 'Ticks waiting for the database (0 while writes succeed)', [], (g) =>
      g.set(s.poller.writeBacklog().depth),
    );
    gauge('livepulse_sse_clients', 'Live (SSE) connections open on this instance', [], (g) => g.set(s.hub.size));
    mirroredCounter(
      registry,
      'livepulse_sse_frames_written_total',
      'SSE frames written to sockets (samples, statuses, catch-up, heartbeats)',
      () => s.hub.framesWritten,
    );
    mirroredCounter(
      registry,
      'livepulse_sse_clients_cut_total',
      'Live clients disconnected because they stopped reading',
      () => s.hub.slowDisconnects,
    );

    const used = gauge('livepulse_quota_units_used', "Quota units spent today (Pacific day), the poller's own count");
    const budget = gauge('livepulse_quota_units_budget', 'Quota units the poller may spend per Pacific day');
    const interval = gauge(
      'livepulse_poll_interval_seconds',
      'Effective polling interval: the configured one, stretched so the quota lasts',
    );
    const streams = gauge('livepulse_streams', 'Streams of every event by status and platform (whole deployment)', [
      'status',
      'platform',
    ]);
    const exports = gauge('livepulse_export_jobs', 'CSV export jobs by state (whole deployment)', ['state']);
    const hooks = gauge(
      'livepulse_webhook_deliveries',
      'Webhook deliveries kept (30 days) by state: pending, done, failed (whole deployment)',
      ['state'],
    );
    const dbUp = gauge('livepulse_database_up', '1 when the database answered this scrape');

    refresh = async () => {
      const quota = await s.poller.quota(); // never throws: the poller falls back on what it counted
      used.set(quota.used);
      budget.set(quota.budget);
      interval.set(quota.intervalSeconds);
      // While the database does not answer its figures are absent (a gap, never a made-up 0).
      streams.reset();
      exports.reset();
      hooks.reset();
      try {
        const [byStatus, byState, deliveries] = await Promise.all([
          streamsByStatus(s.db),
          exportJobsByState(s.db),
          webhookDeliveriesByState(s.db),
        ]);
        for (const r of byStatus) streams.set({ status: r.status, platform: 'youtube' }, r.count);
        for (const r of byState) exports.set({ state: r.state }, r.count);
        for (const r of deliveries) hooks.set({ state: r.state }, r.count);
        dbUp.set(1);
      } catch {
        dbUp.set(0);
      }
    };
  }

  return {
    registry,
    pollMeter,
    watch,
    /** The text exposition of every metric, the database's figures read now. */
    async scrape(): Promise<string> {
      await refresh();
      return registry.metrics();
    },
    observeHttp(method: string, route: string, status: number) {
      http.inc({ method, route, status: String(status) });
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
