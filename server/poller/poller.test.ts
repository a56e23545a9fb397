import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.ts';
import { getStream, insertEvent, insertStream } from '../events/queries.ts';
import { startSimulator, type Simulator } from '../simulator/simulator.ts';
import { quotaUnitsSpent, sampleCount, storedSamples } from '../testing/queries.ts';
import { engines, openTestDb, type TestDb } from '../testing/test-db.ts';
import { fetchVideos } from '../youtube/videos-list.ts';
import { createPoller } from './poller.ts';
import {
  allStreamSampleCount,
  allStreamSamples,
  pauseEvent,
  quotaDays,
  streamSampleTickCount,
  streamStatuses,
  totalsByEvent,
  unpauseAllEvents,
} from './testing/queries.ts';
import type { TickResult } from './tick.ts';

const KEY = 'test-key-for-the-simulator';
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

const vid = (n: number) => `vid${String(n).padStart(8, '0')}`;

describe.each(engines)('poller against the simulator on %s', (engine) => {
  let t: TestDb;
  let clock: Date;
  let published: Pick<TickResult, 'ts' | 'samples' | 'statusChanged'>[];
  const make = (db: Db = t.db, config: { POLL_INTERVAL_SECONDS?: number; YT_DAILY_QUOTA?: number } = {}) =>
    createPoller({
      config: { POLL_INTERVAL_SECONDS: 10, YT_DAILY_QUOTA: 10_000, ...config },
      db,
      fetchVideos: (ids) => fetchVideos(ids, { baseUrl: sim.baseUrl, apiKey: KEY, timeoutMs: 5000 }),
      publish: (p) => published.push(p),
      now: () => clock,
      random: () => 0.5,
    });
  const addEvent = async (id: string, videoIds: string[], extra: { paused?: boolean; startsAt?: Date } = {}) => {
    await insertEvent(t.db, {
      id,
      name: id,
      public: true,
      startsAt: extra.startsAt ?? null,
      endsAt: null,
      embedKey: 'k',
    });
    for (const v of videoIds) {
      await insertStream(t.db, {
        id: `${id}-${v}`,
        eventId: id,
        videoId: v,
        label: v,
        status: 'pending',
        statusReason: null,
        scheduledStart: null,
        title: null,
        channelTitle: null,
      });
    }
    if (extra.paused) await pauseEvent(t.db, id);
  };
  const statuses = () => streamStatuses(t.db);
  const advance = (seconds: number) => (clock = new Date(clock.getTime() + seconds * 1000));

  beforeEach(async () => {
    t = await openTestDb(engine);
    sim.reset();
    published = [];
    clock = new Date('2026-05-01T17:00:00Z');
  });
  afterEach(() => t.close());

  it('asks for 120 distinct ids in 3 calls (50+50+20), de-duplicated across events, and counts 3 units', async () => {
    const ids = Array.from({ length: 120 }, (_, i) => vid(i));
    ids.forEach((id) => sim.setVideo(id, { state: 'live', curve: { kind: 'constant', value: 10 } }));
    await addEvent('A', ids.slice(0, 70));
    await addEvent('B', ids.slice(50, 120)); // 20 ids shared with A
    await addEvent('C', ids.slice(0, 10));
    const report = await make().tickOnce();
    expect(report.calls).toBe(3);
    const calls = sim.calls();
    expect(calls.map((c) => c.ids.length).sort((a, b) => a - b)).toEqual([20, 50, 50]);
    expect(new Set(calls.flatMap((c) => c.ids)).size).toBe(120);
    expect(calls.every((c) => c.keyVia === 'header')).toBe(true);
    expect(await quotaUnitsSpent(t.db)).toBe(3);
    expect(await totalsByEvent(t.db)).toEqual({ A: 700, B: 700, C: 100 });
    expect(await allStreamSampleCount(t.db)).toBe(150);
  });

  it('stores every status, never a zero for a hidden count, and one tick time for all rows', async () => {
    sim.setVideo('liveVideo01', { state: 'live', curve: { kind: 'constant', value: 4321 } });
    sim.setVideo('hiddenVid01', { state: 'live_hidden' });
    sim.setVideo('upcomingV01', { state: 'upcoming', scheduledStart: '2026-05-01T16:00:00Z' }); // late start
    sim.setVideo('endedVideo1', { state: 'ended', raw: { snippet: { liveBroadcastContent: 'live' } } }); // stale label
    sim.setVideo('regularVid1', { state: 'not_live' });
    sim.setVideo('driftVideo1', { state: 'live', raw: { liveStreamingDetails: { concurrentViewers: '-1' } } });
    const all = [
      'liveVideo01',
      'hiddenVid01',
      'upcomingV01',
      'endedVideo1',
      'regularVid1',
      'driftVideo1',
      'goneVideo01',
    ];
    await addEvent('E', all);
    const poller = make();
    for (let i = 0; i < 3; i++) {
      await poller.tickOnce();
      advance(10);
    }
    expect(await statuses()).toEqual({
      'E-liveVideo01': 'live',
      'E-hiddenVid01': 'live_hidden',
      'E-upcomingV01': 'upcoming',
      'E-endedVideo1': 'ended',
      'E-regularVid1': 'not_live',
      'E-driftVideo1': 'error',
      'E-goneVideo01': 'unavailable',
    });
    const samples = await storedSamples(t.db, 'E');
    expect(samples.map((s) => s.total)).toEqual([4321, 4321, 4321]);
    const rows = await allStreamSamples(t.db);
    expect(rows.filter((r) => r.stream_id === 'E-hiddenVid01').map((r) => r.viewers)).toEqual([null, null, null]);
    expect(rows.some((r) => r.viewers === 0)).toBe(false);
    expect(rows.filter((r) => r.stream_id === 'E-driftVideo1')).toEqual([]);
    expect(await streamSampleTickCount(t.db)).toBe(3);
    // Slow rates: the upcoming and ended videos are not asked again 10 s later.
    sim.reset();
    for (const v of all) sim.setVideo(v, { state: 'live', curve: { kind: 'constant', value: 1 } });
    await poller.tickOnce();
    expect(sim.calls()[0].ids.sort()).toEqual(['driftVideo1', 'hiddenVid01', 'liveVideo01'].sort());
  });

  it('keeps gaps as gaps: a failed tick writes nothing and the next one backs off', async () => {
    sim.setVideo('liveVideo01', { state: 'live', curve: { kind: 'constant', value: 50 } });
    await addEvent('E', ['liveVideo01']);
    const poller = make();
    await poller.tickOnce();
    advance(10);
    sim.injectFault('backend_error_503', { times: 2 });
    expect(poller.upstream()).toBe('ok');
    const failed = await poller.tickOnce();
    expect(poller.upstream()).toBe('unavailable'); // /api/health says degraded meanwhile
    expect(failed.delaySeconds).toBeGreaterThanOrEqual(10);
    advance(failed.delaySeconds);
    const failedAgain = await poller.tickOnce();
    expect(failedAgain.delaySeconds).toBeGreaterThan(failed.delaySeconds); // exponential
    expect((await statuses())['E-liveVideo01']).toBe('error');
    advance(failedAgain.delaySeconds);
    await poller.tickOnce();
    expect(await sampleCount(t.db)).toBe(2);
    expect((await statuses())['E-liveVideo01']).toBe('live');
    expect(poller.upstream()).toBe('ok');
  });

  it('pauses on quotaExceeded until the next Pacific midnight, across the November DST change', async () => {
    clock = new Date('2026-11-01T20:00:00Z'); // 12:00 PST, the day clocks went back
    sim.setVideo('liveVideo01', { state: 'live' });
    await addEvent('E', ['liveVideo01']);
    const poller = make();
    sim.injectFault('quota_exceeded');
    const r = await poller.tickOnce();
    expect(r.calls).toBe(1);
    expect(new Date(clock.getTime() + r.delaySeconds * 1000).toISOString()).toBe('2026-11-02T08:00:00.000Z');
    expect((await statuses())['E-liveVideo01']).toBe('quota_exceeded');
    expect(await poller.quota()).toMatchObject({ exhausted: true, used: 10_000, resetAt: '2026-11-02T08:00:00.000Z' });
    advance(3600);
    expect((await poller.tickOnce()).calls).toBe(0); // no retries: each would cost quota
    expect(sim.calls()).toHaveLength(1);
    clock = new Date('2026-11-02T08:00:01Z');
    expect((await poller.tickOnce()).calls).toBe(1);
    expect((await statuses())['E-liveVideo01']).toBe('live');
    const days = await quotaDays(t.db);
    expect(days).toEqual([
      { day: '2026-11-01', units: 10_000 },
      { day: '2026-11-02', units: 1 },
    ]);
  });

  it('rolls the quota day at Pacific midnight in March (23-hour day)', async () => {
    sim.setVideo('liveVideo01', { state: 'live' });
    await addEvent('E', ['liveVideo01']);
    const poller = make();
    clock = new Date('2026-03-08T07:59:00Z'); // 23:59 PST, March 7
    await poller.tickOnce();
    clock = new Date('2026-03-08T08:00:30Z'); // 00:00:30 PST, March 8
    await poller.tickOnce();
    clock = new Date('2026-03-09T06:59:00Z'); // 23:59 PDT, March 8 (the clocks went forward at 2:00)
    await poller.tickOnce();
    clock = new Date('2026-03-09T07:00:30Z'); // 00:00:30 PDT, March 9
    await poller.tickOnce();
    const days = await quotaDays(t.db);
    expect(days).toEqual([
      { day: '2026-03-07', units: 1 },
      { day: '2026-03-08', units: 2 },
      { day: '2026-03-09', units: 1 },
    ]);
  });

  it.each([
    ['key_invalid', 'api_key_invalid'],
    ['key_invalid_legacy', 'api_key_invalid'],
    ['api_not_enabled', 'api_config_error'],
    ['key_service_blocked', 'api_config_error'],
  ] as const)('%s stops polling and retries after 5 minutes', async (fault, status) => {
    sim.setVideo('liveVideo01', { state: 'live' });
    await addEvent('E', ['liveVideo01']);
    const poller = make();
    sim.injectFault(fault);
    const r = await poller.tickOnce();
    expect(r.delaySeconds).toBe(300);
    expect((await statuses())['E-liveVideo01']).toBe(status);
    advance(60);
    expect((await poller.tickOnce()).calls).toBe(0);
    advance(241);
    expect((await poller.tickOnce()).calls).toBe(1);
    expect((await statuses())['E-liveVideo01']).toBe('live');
  });

  it.each(['rate_limit_exceeded', 'too_many_requests'] as const)(
    '%s backs off (honouring Retry-After), not until midnight',
    async (fault) => {
      sim.setVideo('liveVideo01', { state: 'live' });
      await addEvent('E', ['liveVideo01']);
      sim.injectFault(fault, { retryAfterSeconds: 45 });
      const r = await make().tickOnce();
      expect(r.delaySeconds).toBeGreaterThanOrEqual(fault === 'too_many_requests' ? 45 : 5);
      expect(r.delaySeconds).toBeLessThanOrEqual(120);
      expect((await statuses())['E-liveVideo01']).toBe('error');
    },
  );

  it.each(['html_502', 'malformed_json', 'reset', 'backend_error_500', 'hang'] as const)(
    '%s is an upstream error with backoff, and the process goes on',
    async (fault) => {
      sim.setVideo('liveVideo01', { state: 'live' });
      await addEvent('E', ['liveVideo01']);
      sim.injectFault(fault, { hangMs: 8000 }); // hang: longer than the client's 5 s timeout here
      const r = await make().tickOnce();
      expect(r.delaySeconds).toBeGreaterThan(0);
      expect(await sampleCount(t.db)).toBe(0);
      const stream = await getStream(t.db, 'E', 'E-liveVideo01');
      expect(stream?.status).toBe('error');
      expect(stream?.statusReason).not.toMatch(/<html|AIza|test-key/i);
    },
  );

  it('stretches the interval to make a small budget last until the reset', async () => {
    sim.setVideo('liveVideo01', { state: 'live' });
    await addEvent('E', ['liveVideo01']);
    // 17:00Z is 10:00 PDT: 50,400 s to the reset; 100 units at 1 call per tick → 504 s.
    const r = await make(t.db, { YT_DAILY_QUOTA: 100 }).tickOnce();
    expect(r.delaySeconds).toBe(504);
  });

  it('polls nothing for paused events or before the planned window, and says so', async () => {
    sim.setVideo('liveVideo01', { state: 'live' });
    sim.setVideo('liveVideo02', { state: 'live' });
    await addEvent('P', ['liveVideo01'], { paused: true });
    await addEvent('W', ['liveVideo02'], { startsAt: new Date(clock.getTime() + 3600_000) });
    const poller = make();
    expect((await poller.tickOnce()).calls).toBe(0);
    expect(await statuses()).toEqual({ 'P-liveVideo01': 'paused', 'W-liveVideo02': 'paused' });
    advance(3600 - 10 * 60); // inside the 15-minute margin before the planned start
    await unpauseAllEvents(t.db);
    expect((await poller.tickOnce()).calls).toBe(1);
    expect(await statuses()).toEqual({ 'P-liveVideo01': 'live', 'W-liveVideo02': 'live' });
  });

  it('keeps polling after a tick that throws: an exception in one tick does not stop the loop', async () => {
    sim.setVideo('liveVideo01', { state: 'live', curve: { kind: 'constant', value: 9 } });
    await addEvent('E', ['liveVideo01']);
    let calls = 0;
    const poller = createPoller({
      config: { POLL_INTERVAL_SECONDS: 1, YT_DAILY_QUOTA: 10_000_000 },
      db: t.db,
      // A bug, not an upstream fault: the call itself throws.
      fetchVideos: (ids) =>
        ++calls === 1
          ? Promise.reject(new TypeError('boom'))
          : fetchVideos(ids, { baseUrl: sim.baseUrl, apiKey: KEY, timeoutMs: 5000 }),
      publish: () => {},
    });
    poller.start();
    try {
      const until = Date.now() + 15_000;
      while ((await sampleCount(t.db)) === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await poller.stop();
    }
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(await sampleCount(t.db)).toBeGreaterThanOrEqual(1);
  });

  it('keeps samples in order through a database outage and writes them all when it returns', async () => {
    sim.setVideo('liveVideo01', { state: 'live', curve: { kind: 'constant', value: 7 } });
    await addEvent('E', ['liveVideo01']);
    let down = false;
    const fail = () => Promise.reject(new Error('connection refused'));
    const flaky: Db = {
      ...t.db,
      query: (text) => (down ? fail() : t.db.query(text)),
      transaction: (fn) => (down ? fail() : t.db.transaction(fn)),
    };
    const poller = make(flaky);
    const tick = async () => {
      await poller.tickOnce();
      advance(10);
    };
    await tick();
    down = true;
    await tick();
    await tick();
    await tick();
    expect(poller.queuedTicks()).toBe(3);
    expect(published.filter((p) => p.samples.size).length).toBe(4); // live clients kept receiving
    down = false;
    await tick();
    expect(poller.queuedTicks()).toBe(0);
    const rows = await storedSamples(t.db, 'E');
    expect(rows.map((r) => r.ts.getTime() - rows[0].ts.getTime())).toEqual([0, 10_000, 20_000, 30_000, 40_000]);
    expect(await quotaUnitsSpent(t.db)).toBe(5);
  });
});
