import { describe, expect, it } from 'vitest';
import { adminHeaders } from './auth/testing/test-session.ts';
import { insertEvent, insertStream } from './events/queries.ts';
import { startSimulator } from './simulator/simulator.ts';
import { engines } from './testing/test-db.ts';
import { testInstance } from './testing/test-instance.ts';
import { sleepPastTimeout } from './testing/queries.ts';

describe.each(engines)('app on %s', (engine) => {
  it('reports health with the engine and the poller role', async () => {
    const inst = await testInstance(engine);
    try {
      const res = await inst.app.request('http://localhost/api/health');
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        status: 'ok',
        db: engine,
        dbState: 'up',
        poller: 'off',
        version: 'test',
        upstream: 'idle',
        queuedTicks: 0,
      });
    } finally {
      await inst.close();
    }
  });

  it('says degraded (still 200) while YouTube fails, and ok again once it answers', async () => {
    const sim = await startSimulator();
    let ahead = 0; // the back-off the test waits out: YouTube is not asked again before it has run out
    const inst = await testInstance(engine, {
      now: () => new Date(Date.now() + ahead),
      youtube: { baseUrl: sim.baseUrl, apiKey: 'test-key-for-the-simulator' },
    });
    const health = async () => {
      const res = await inst.app.request('http://localhost/api/health');
      return { http: res.status, ...((await res.json()) as { status: string; upstream: string }) };
    };
    try {
      sim.setVideo('liveVideo01', { state: 'live' });
      await insertEvent(inst.db, { id: 'E', name: 'E', public: true, startsAt: null, endsAt: null, embedKey: 'k' });
      await insertStream(inst.db, {
        id: 'S',
        eventId: 'E',
        videoId: 'liveVideo01',
        label: 'S',
        status: 'pending',
        statusReason: null,
        scheduledStart: null,
        title: null,
        channelTitle: null,
      });
      sim.injectFault('backend_error_503');
      ahead += (await inst.poller.tickOnce()).delaySeconds * 1000;
      expect(await health()).toMatchObject({ http: 200, status: 'degraded', upstream: 'unavailable' });
      await inst.poller.tickOnce();
      expect(await health()).toMatchObject({ http: 200, status: 'ok', upstream: 'ok' });
    } finally {
      await inst.close();
      await sim.close();
    }
  });

  it('answers 503 (not 500) when the database is down or a query times out, and says so in health', async () => {
    const inst = await testInstance(engine);
    const real = inst.db.query.bind(inst.db);
    try {
      const headers = await adminHeaders(inst.config);
      for (const [code, expected] of [
        ['57014', 'db_timeout'],
        ['ECONNREFUSED', 'db_unavailable'],
        ['CONNECT_TIMEOUT', 'db_unavailable'],
        ['57P01', 'db_unavailable'],
        ['57P03', 'db_unavailable'],
        ['08006', 'db_unavailable'],
        ['53300', 'db_unavailable'],
        ['53100', 'db_unavailable'],
        ['55000', 'db_busy'],
        ['55P03', 'db_busy'],
        ['40001', 'db_busy'],
      ]) {
        inst.db.query = () => Promise.reject(Object.assign(new Error('simulated'), { code }));
        const res = await inst.app.request('http://localhost/api/events', { headers });
        expect(res.status).toBe(503);
        expect(res.headers.get('retry-after')).toBe('5');
        expect((await res.json()).error.code).toBe(expected);
      }
      const health = await inst.app.request('http://localhost/api/health');
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: 'degraded', dbState: 'down' });
    } finally {
      inst.db.query = real;
      await inst.close();
    }
  });

  it("says degraded, with the queue depth and the oldest tick's age, as soon as ticks wait for the database", async () => {
    const inst = await testInstance(engine);
    try {
      inst.poller.writeBacklog = () => ({ depth: 3, oldestAgeSeconds: 25 });
      const res = await inst.app.request('http://localhost/api/health');
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({
        status: 'degraded',
        dbState: 'up',
        queuedTicks: 3,
        oldestQueuedTickSeconds: 25,
      });
    } finally {
      await inst.close();
    }
  });

  it.runIf(engine === 'postgres')(
    'gets SQLSTATE 57014 from a real statement timeout (what the 503 relies on)',
    async () => {
      const inst = await testInstance(engine);
      try {
        const error = await inst.db
          .transaction(async (tx) => {
            await sleepPastTimeout(tx, 50, 1);
          })
          .catch((e: unknown) => e);
        expect((error as { code?: string }).code).toBe('57014');
      } finally {
        await inst.close();
      }
    },
  );
});
