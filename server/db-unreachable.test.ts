// PostgreSQL unreachable (issue 13, defect 6): a real server process answers 503 with Retry-After and
// {error:{code,message}} within 2 s while the database black-holes or refuses connections, and the same
// process answers 200 again once the database is back, with every sample polled meanwhile stored.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEvent, insertStream } from './events/queries.ts';
import { startSimulator, type Simulator } from './simulator/simulator.ts';
import { openTestDb, type TestDb } from './testing/test-db.ts';
import { runServer, type ServerProcess } from './testing/server-process.ts';
import { startTcpProxy, type TcpProxy } from './testing/tcp-proxy.ts';
import { distinctTotals, storedSamples } from './testing/queries.ts';

describe.runIf(process.env.TEST_DATABASE_URL)('PostgreSQL unreachable', () => {
  let t: TestDb;
  let proxy: TcpProxy;
  let server: ServerProcess;
  let sim: Simulator;
  const INTERVAL = 2;
  const dataDir = mkdtempSync(join(tmpdir(), 'lp-unreachable-'));

  beforeAll(async () => {
    t = await openTestDb('postgres');
    await insertEvent(t.db, { id: 'E', name: 'E', public: true, startsAt: null, endsAt: null, embedKey: 'k' });
    sim = await startSimulator();
    sim.setVideo('unreachVid1', { state: 'live', curve: { kind: 'constant', value: 456 } });
    await insertStream(t.db, {
      id: 'S',
      eventId: 'E',
      videoId: 'unreachVid1',
      label: 'S',
      status: 'pending',
      statusReason: null,
      scheduledStart: null,
      title: null,
      channelTitle: null,
    });
    const target = new URL(t.url!);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(t.url!);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    server = await runServer({
      DATABASE_URL: viaProxy.toString(),
      DATA_DIR: dataDir,
      YT_API_KEY: 'test-key-for-the-simulator',
      YT_API_BASE_URL: sim.baseUrl,
      POLL_INTERVAL_SECONDS: String(INTERVAL),
      ADMIN_PASSWORD: 'unreachable-test-password',
      AUTH_SECRET: 'unreachable-test-secret-0123456789abcdefgh',
    });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    await sim?.close();
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const timed = async (path: string) => {
    const started = performance.now();
    const res = await fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(20_000) });
    return { res, ms: performance.now() - started, body: await res.json() };
  };

  it('answers 503 within 2 s while the database is gone, and 200 from the same process once it is back', async () => {
    expect((await timed('/api/events/E/history')).res.status).toBe(200);
    const storedTicks = async () => (await storedSamples(t.db, 'E')).map((r) => r.ts.getTime());
    for (let i = 0; i < 40 && (await storedTicks()).length < 2; i++) await new Promise((r) => setTimeout(r, 250));
    const cutAt = Date.now();

    for (const cut of ['blackhole', 'stop'] as const) {
      const modeStart = Date.now();
      if (cut === 'blackhole') proxy.blackhole();
      else await proxy.stop();
      for (const path of [
        '/api/events/E/history',
        '/api/events/E/history',
        '/api/health',
        '/api/events/E/history.csv',
      ]) {
        const { res, ms, body } = await timed(path);
        expect({ cut, path, status: res.status, code: body.error?.code ?? body.status }).toEqual({
          cut,
          path,
          status: 503,
          code: path === '/api/health' ? 'degraded' : 'db_unavailable',
        });
        if (path !== '/api/health') {
          expect(res.headers.get('retry-after')).toBe('5');
          expect(body.error.message).toMatch(/database/);
        }
        expect(ms).toBeLessThan(2000);
      }
      // Each way of being gone lasts a few poll intervals, so ticks have to wait in the queue.
      await new Promise((r) => setTimeout(r, Math.max(0, modeStart + 8000 - Date.now())));
    }

    await proxy.pass();
    let back = 0;
    for (let i = 0; i < 20 && back !== 200; i++) {
      const { res, ms } = await timed('/api/events/E/history');
      expect(ms).toBeLessThan(2000);
      back = res.status;
      if (back !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(back).toBe(200);
    const backAt = Date.now();
    expect(server.child.exitCode).toBeNull();
    expect((await timed('/api/health')).res.status).toBe(200);

    // The ticks polled while the database was gone waited in the queue and are all stored: no hole.
    for (let i = 0; i < 60; i++) {
      const ticks = await storedTicks();
      if (ticks.at(-1)! > backAt + INTERVAL * 1000 && (await timed('/api/health')).body.queuedTicks === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const ticks = await storedTicks();
    const during = ticks.filter((ts) => ts > cutAt && ts < backAt);
    expect(during.length).toBeGreaterThanOrEqual(Math.floor((backAt - cutAt) / 1000 / INTERVAL) - 1);
    const gaps = ticks.slice(1).map((ts, i) => (ts - ticks[i]) / 1000);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2 * INTERVAL + 1);
    const totals = await distinctTotals(t.db, 'E');
    expect(totals).toEqual([{ total: 456 }]);
    console.log(
      `outage ${((backAt - cutAt) / 1000).toFixed(1)} s: ${during.length} ticks polled during it, all stored; longest gap ${Math.max(...gaps)} s`,
    );
  }, 120_000);
});
