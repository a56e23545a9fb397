// The Prometheus scrape example and the Grafana dashboard in deploy/: both parse, and every metric the
// dashboard queries is one a real instance's /metrics serves (a renamed metric cannot leave a blank panel).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseMetrics } from '../server/integrations/metrics/testing/prometheus.ts';
import { testInstance } from '../server/testing/test-instance.ts';

const read = (name: string) => readFileSync(new URL(name, import.meta.url), 'utf8');

interface Dashboard {
  panels: { title: string; targets: { expr: string }[] }[];
}

describe('deploy/ metrics files', () => {
  let served: Set<string>;
  let inst: Awaited<ReturnType<typeof testInstance>>;
  beforeAll(async () => {
    inst = await testInstance('embedded', { env: { METRICS_TOKEN: 'deploy-test-token-0123456789' } });
    const res = await inst.app.request('http://localhost/metrics', {
      headers: { authorization: 'Bearer deploy-test-token-0123456789' },
    });
    served = new Set(parseMetrics(await res.text()).map((f) => f.name));
  });
  afterAll(() => inst?.close());

  it('prometheus.yml scrapes /metrics with a bearer token from a file', () => {
    const config = parseYaml(read('prometheus.yml')) as {
      scrape_configs: { metrics_path: string; authorization: { type: string; credentials_file: string } }[];
    };
    const job = config.scrape_configs[0];
    expect(job.metrics_path).toBe('/metrics');
    expect(job.authorization).toMatchObject({ type: 'Bearer', credentials_file: expect.any(String) });
  });

  it('grafana-dashboard.json queries only metrics /metrics serves', () => {
    const dashboard = JSON.parse(read('grafana-dashboard.json')) as Dashboard;
    const used = new Set(
      dashboard.panels.flatMap((p) =>
        p.targets.flatMap((t) => t.expr.match(/\b(livepulse|process|nodejs)_\w+/g) ?? []),
      ),
    );
    expect(used.size).toBeGreaterThan(10);
    // A counter is exposed as <name>_total; the parser reports the family under that same name.
    expect([...used].filter((name) => !served.has(name))).toEqual([]);
  });
});
