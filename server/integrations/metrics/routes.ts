// GET /metrics: the Prometheus text exposition of this instance, for local scrapers or METRICS_TOKEN holders.
import { Hono } from 'hono';
import type { Config } from '../../config.ts';
import { metricsAccess } from './access.ts';
import type { Metrics } from './metrics.ts';

export function metricsRoutes(config: Pick<Config, 'METRICS_TOKEN' | 'TRUST_PROXY'>, metrics: Metrics) {
  const app = new Hono();
  app.get('/metrics', metricsAccess(config), async (c) => {
    const body = await metrics.scrape();
    return c.body(body, 200, { 'Content-Type': metrics.registry.contentType, 'Cache-Control': 'no-store' });
  });
  return app;
}
