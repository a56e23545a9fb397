import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders } from '../../auth/testing/test-session.ts';
import { insertEvent, insertStream } from '../../events/queries.ts';
import { startSimulator, type Simulator } from '../../simulator/simulator.ts';
import { engines } from '../../testing/test-db.ts';
import { testInstance } from '../../testing/test-instance.ts';
import { parseMetrics, sample, type Family } from './testing/prometheus.ts';

const KEY = 'test-key-for-the-simulator';
const TOKEN = 'metrics-token-0123456789abcdef';
const vid = (n: number) => `vid${String(n).padStart(8, '0')}`;

/** A raw GET over a real socket (fetch forbids setting some headers, and SSE must stay open). */
function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body, headers: res.headers }));
    })
      .on('error', reject)
      .end();
  });
}

/** Opens an SSE stream and resolves once its first status frame is in; close() ends it. */
function openStream(url: string): Promise<{ close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        text += d;
        if (text.includes('event: status')) resolve({ close: () => req.destroy() });
      });
    });
    req.on('error', (e) => (req.destroyed ? undefined : reject(e)));
    req.end();
  });
}

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ apiKey: KEY });
});
afterAll(() => sim.close());

describe.each(engines)('/metrics on %s', (engine) => {
  let inst: Awaited<ReturnType<typeof testInstance>>;
  // The poller's clock runs ahead by the back-offs the test waits out (a backed-off source is not called).
  let ahead = 0;
  const scrape = async (): Promise<Family[]> => {
    const res = await get(`${inst.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return parseMetrics(res.body);
  };

  beforeAll(async () => {
    sim.reset();
    inst = await testInstance(engine, {
      listen: true,
      now: () => new Date(Date.now() + ahead),
      youtube: { baseUrl: sim.baseUrl, apiKey: KEY },
      env: { METRICS_TOKEN: TOKEN, YT_DAILY_QUOTA: '5000', POLL_INTERVAL_SECONDS: '10', WEBHOOK_ALLOW_PRIVATE: '1' },
    });
    sim.setVideo(vid(1), { state: 'live' });
    sim.setVideo(vid(2), { state: 'live' });
    sim.setVideo(vid(3), { state: 'ended' });
    await insertEvent(inst.db, { id: 'ev', name: 'Ev', public: true, startsAt: null, endsAt: null, embedKey: 'k' });
    for (const n of [1, 2, 3])
      await insertStream(inst.db, {
        id: `s${n}`,
        eventId: 'ev',
        videoId: vid(n),
        label: `S${n}`,
        status: 'pending',
        statusReason: null,
        scheduledStart: null,
        title: null,
        channelTitle: null,
      });
    // Told when a stream goes live: nothing sends in this test (the instance is not started), so they wait.
    const hook = await inst.app.request('http://localhost/api/events/ev/webhooks', {
      method: 'POST',
      headers: await adminHeaders(inst.config),
      body: JSON.stringify({ url: 'http://127.0.0.1:9/hook', kind: 'json', on: ['stream.live'] }),
    });
    expect(hook.status).toBe(201);
  });
  afterAll(() => inst?.close());

  it('counts what the test did: ticks, calls and units by result, quota, streams, SSE, HTTP routes, export jobs', async () => {
    const before = await scrape();
    expect(sample(before, 'livepulse_poll_ticks_total', { result: 'ok' })).toBeUndefined();

    // One tick YouTube answers 500, one it never answers (a reset: no answer, no unit), then three good ones
    // (one videos.list call each: three videos, one batch).
    // Each failure backs YouTube off: the next tick comes when the poller asks for it, as in its loop.
    sim.injectFault('backend_error_500');
    ahead += (await inst.poller.tickOnce()).delaySeconds * 1000;
    sim.injectFault('reset');
    ahead += (await inst.poller.tickOnce()).delaySeconds * 1000;
    for (let i = 0; i < 3; i++) await inst.poller.tickOnce();

    const streams = [
      await openStream(`${inst.url}/api/events/ev/stream`),
      await openStream(`${inst.url}/api/events/ev/stream`),
    ];
    for (let i = 0; i < 3; i++) expect((await get(`${inst.url}/api/events/ev/now.json`)).status).toBe(200);
    expect((await get(`${inst.url}/api/events/nope/now.json`)).status).toBe(404);
    expect((await get(`${inst.url}/no/such/page/4711`)).status).toBe(404);
    const exported = await inst.app.request('http://localhost/api/events/ev/export', {
      method: 'POST',
      headers: await adminHeaders(inst.config),
      body: JSON.stringify({ type: 'total' }),
    });
    expect(exported.status, await exported.clone().text()).toBeLessThan(300);

    const m = await scrape();
    expect(sample(m, 'livepulse_poll_ticks_total', { result: 'ok' })).toBe(3);
    expect(sample(m, 'livepulse_poll_ticks_total', { result: 'unavailable' })).toBe(1);
    expect(sample(m, 'livepulse_poll_ticks_total', { result: 'network' })).toBe(1);
    expect(sample(m, 'livepulse_youtube_calls_total', { result: 'ok' })).toBe(3);
    expect(sample(m, 'livepulse_youtube_calls_total', { result: 'unavailable' })).toBe(1);
    expect(sample(m, 'livepulse_youtube_calls_total', { result: 'network' })).toBe(1);
    expect(sample(m, 'livepulse_youtube_units_total', { result: 'ok' })).toBe(3);
    expect(sample(m, 'livepulse_youtube_units_total', { result: 'unavailable' })).toBe(1);
    expect(sample(m, 'livepulse_youtube_units_total', { result: 'network' })).toBe(0);
    // The simulator saw exactly the calls counted.
    expect(sim.calls().length).toBe(5);

    const quota = await inst.poller.quota();
    expect(sample(m, 'livepulse_quota_units_used')).toBe(quota.used);
    expect(sample(m, 'livepulse_quota_units_used')).toBeGreaterThanOrEqual(4);
    expect(sample(m, 'livepulse_quota_units_budget')).toBe(5000);
    // 5,000 units a day stretch the 10 s interval: the effective one is what the poller tells clients.
    expect(sample(m, 'livepulse_poll_interval_seconds')).toBe(quota.intervalSeconds);
    expect(quota.intervalSeconds).toBeGreaterThanOrEqual(10);
    expect(sample(m, 'livepulse_streams', { status: 'live', platform: 'youtube' })).toBe(2);
    expect(sample(m, 'livepulse_streams', { status: 'ended', platform: 'youtube' })).toBe(1);
    expect(sample(m, 'livepulse_sse_clients')).toBe(2);
    // History and status, per client; on PostgreSQL the last tick's sample comes back through LISTEN and can
    // reach a client that opened after the tick (CI, loaded: 5): at most one more per client.
    const framesWritten = sample(m, 'livepulse_sse_frames_written_total') ?? 0;
    expect(framesWritten).toBeGreaterThanOrEqual(4);
    expect(framesWritten).toBeLessThanOrEqual(6);
    expect(sample(m, 'livepulse_sse_clients_cut_total')).toBe(0);
    expect(sample(m, 'livepulse_write_queue_depth')).toBe(0);
    expect(sample(m, 'livepulse_export_jobs', { state: 'queued' })).toBe(1);
    expect(sample(m, 'livepulse_database_up')).toBe(1);
    expect(sample(m, 'livepulse_webhook_deliveries', { state: 'pending' })).toBe(2); // two streams went live
    const route = { method: 'GET', route: '/api/events/:id/now.json' };
    expect(sample(m, 'livepulse_http_requests_total', { ...route, status: '200' })).toBe(3);
    expect(sample(m, 'livepulse_http_requests_total', { ...route, status: '404' })).toBe(1);
    expect(sample(m, 'livepulse_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(sample(m, 'livepulse_http_requests_total', { method: 'POST', route: '/api/events/:id/export' })).toBe(1);
    // Raw paths never become labels.
    const routes = m.find((f) => f.name === 'livepulse_http_requests_total')!.metrics.map((s) => s.labels!.route);
    expect(routes.some((r) => r.includes('nope') || r.includes('4711'))).toBe(false);
    // prom-client's process defaults.
    expect(sample(m, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(m.some((f) => f.name === 'nodejs_heap_size_used_bytes')).toBe(true);

    // A tick reaches both clients: frames go up by at least two.
    const frames = sample(m, 'livepulse_sse_frames_written_total')!;
    // A tick is stamped to the second, and clients skip a tick time they already have: wait for the next one.
    await new Promise((r) => setTimeout(r, 1100));
    await inst.poller.tickOnce();
    await new Promise((r) => setTimeout(r, 100));
    const after = await scrape();
    expect(sample(after, 'livepulse_sse_frames_written_total')).toBeGreaterThanOrEqual(frames + 2);
    expect(sample(after, 'livepulse_poll_ticks_total', { result: 'ok' })).toBe(4);
    for (const s of streams) s.close();
  });

  it('serves loopback clients and METRICS_TOKEN holders only, and never believes a forwarded address it was not told to', async () => {
    // Over loopback, no token: yes.
    expect((await get(`${inst.url}/metrics`)).status).toBe(200);
    // Relayed by a proxy on this machine (a loopback peer with X-Forwarded-For), TRUST_PROXY off: not local.
    for (const header of <Record<string, string>[]>[
      { 'x-forwarded-for': '203.0.113.9' },
      { 'x-forwarded-for': '127.0.0.1' },
      { forwarded: 'for=127.0.0.1' },
      { 'x-real-ip': '127.0.0.1' },
    ]) {
      const res = await get(`${inst.url}/metrics`, header);
      expect(res.status, JSON.stringify(header)).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer realm="metrics"');
      expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'unauthorized' } });
    }
    // The token opens it from anywhere; a wrong one, another scheme, or a prefix of it does not.
    expect(
      (await get(`${inst.url}/metrics`, { 'x-forwarded-for': '203.0.113.9', authorization: `Bearer ${TOKEN}` })).status,
    ).toBe(200);
    for (const auth of [
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Basic ${TOKEN}`,
      `Bearer`,
      TOKEN,
      `Bearer ${TOKEN} extra`,
    ])
      expect(
        (await get(`${inst.url}/metrics`, { 'x-forwarded-for': '203.0.113.9', authorization: auth })).status,
        auth,
      ).toBe(401);
    // No socket at all (app.request): not local.
    expect((await inst.app.request('http://localhost/metrics')).status).toBe(401);
    expect(
      (await inst.app.request('http://localhost/metrics', { headers: { authorization: `Bearer ${TOKEN}` } })).status,
    ).toBe(200);
    // The host check still comes first.
    expect((await get(`${inst.url}/metrics`, { host: 'evil.example' })).status).toBe(421);
  });

  it('behind TRUST_PROXY, believes only the hop the proxy appended; without METRICS_TOKEN refuses with 403', async () => {
    const proxied = await testInstance(engine, { listen: true, env: { TRUST_PROXY: '1' } });
    try {
      expect((await get(`${proxied.url}/metrics`, { 'x-forwarded-for': '127.0.0.1' })).status).toBe(200);
      expect((await get(`${proxied.url}/metrics`, { 'x-forwarded-for': '203.0.113.9, 127.0.0.1' })).status).toBe(200);
      const forged = await get(`${proxied.url}/metrics`, { 'x-forwarded-for': '127.0.0.1, 203.0.113.9' });
      expect(forged.status).toBe(403);
      expect(JSON.parse(forged.body)).toMatchObject({ error: { code: 'metrics_local_only' } });
      expect(
        (
          await proxied.app.request('http://localhost/metrics', {
            headers: { authorization: 'Bearer anything-at-all-123' },
          })
        ).status,
      ).toBe(403);
    } finally {
      await proxied.close();
    }
  });

  it('still answers while the database is down: its figures absent (a gap), database_up 0', async () => {
    const lonely = await testInstance(engine, { listen: true });
    try {
      await lonely.db.close();
      const res = await get(`${lonely.url}/metrics`);
      expect(res.status).toBe(200);
      const m = parseMetrics(res.body);
      expect(sample(m, 'livepulse_database_up')).toBe(0);
      expect(m.find((f) => f.name === 'livepulse_streams')?.metrics ?? []).toEqual([]);
      expect(sample(m, 'livepulse_sse_clients')).toBe(0);
      expect(sample(m, 'livepulse_quota_units_budget')).toBe(lonely.config.YT_DAILY_QUOTA);
    } finally {
      await lonely.close().catch(() => {});
    }
  });
});
