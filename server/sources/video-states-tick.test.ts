// The data truth of every YouTube state, at tick level, through each YouTube source (the Data API alone,
// and InnerTube without a key): the real poll tick over HTTP to the simulator, the real write, on both
// engines. One simulated video answers both sources, so each must give the same status and the same
// stored numbers: a count only for "watching now"; an upcoming premiere's "N waiting" never stored;
// a hidden count live_hidden with null; a replay ended and a regular video not_live, neither counted.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../simulator/simulator.ts';
import { seedEvent } from '../testing/queries.ts';
import { engines } from '../testing/test-db.ts';
import { testInstance } from '../testing/test-instance.ts';
import { storedSamples, streamRow } from './testing/queries.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

const sources = ['api', 'innertube'] as const;
const cases = engines.flatMap((engine) => sources.map((source) => [engine, source] as const));

describe.each(cases)('YouTube states at tick level (%s, %s)', (engine, source) => {
  let inst: Awaited<ReturnType<typeof testInstance>> | undefined;
  afterEach(async () => {
    await inst?.close();
    inst = undefined;
  });

  let clock = Date.parse('2026-11-29T12:00:00Z');
  const start = async () => {
    inst = await testInstance(engine, {
      now: () => new Date(clock),
      // The Data API path alone (YT_SOURCE=api, as before issue 15), or InnerTube with no key at all.
      youtube: source === 'api' ? { baseUrl: sim.baseUrl, apiKey: 'test-key-for-the-simulator' } : null,
      env: {
        YT_SOURCE: source,
        YT_INNERTUBE_BASE_URL: sim.origin,
        YT_INNERTUBE_PER_SECOND: '50',
        // InnerTube looks a video up at most once per poll interval (real time): 2 s keeps the test short.
        POLL_INTERVAL_SECONDS: '2',
      },
    });
    sim.reset();
    return inst;
  };
  const tick = async () => {
    clock += 10_000;
    await inst!.poller.tickOnce();
  };
  /** The InnerTube calls about a video (the page was read, not skipped); none through the Data API. */
  const innertubeReads = (videoId: string) =>
    sim.innertube.calls().filter((c) => c.videoId === videoId && c.status === 200).length;

  it('an upcoming premiere showing "57 waiting": upcoming, nothing stored for it', async () => {
    const { db } = await start();
    sim.setVideo('premiere001', { state: 'upcoming', scheduledStart: '2026-11-29T13:00:00Z' });
    await seedEvent(db, 'pre', [{ id: 'p', videoId: 'premiere001' }]);
    await tick();
    expect(await streamRow(db, 'p')).toMatchObject({ status: 'upcoming', viewers: null });
    expect(await storedSamples(db, 'pre')).toEqual({ totals: [], streams: [] });
    // InnerTube did read the watch page, whose "57 waiting" is the only number on it.
    expect(innertubeReads('premiere001') > 0).toBe(source === 'innertube');
  });

  it('a hidden count: live_hidden with null; alone nothing is stored, beside a live stream a null', async () => {
    const { db } = await start();
    sim.setVideo('hidden00001', { state: 'live_hidden' });
    sim.setVideo('liveCount01', { state: 'live', curve: { kind: 'constant', value: 700 } });
    await seedEvent(db, 'hid', [{ id: 'h', videoId: 'hidden00001' }]);
    await seedEvent(db, 'two', [
      { id: 'h2', videoId: 'hidden00001' },
      { id: 'l2', videoId: 'liveCount01' },
    ]);
    await tick();
    expect(await streamRow(db, 'h')).toMatchObject({ status: 'live_hidden', viewers: null });
    // An event whose only live stream hides its count has no total: not a zero.
    expect(await storedSamples(db, 'hid')).toEqual({ totals: [], streams: [] });
    const two = await storedSamples(db, 'two');
    expect(two.totals.map((t) => t.total)).toEqual([700]);
    expect(two.streams.map((s) => [s.stream_id, s.viewers, s.source])).toEqual([
      ['h2', null, source],
      ['l2', 700, source],
    ]);
  });

  it('a replay (a past broadcast) is ended and a regular video not_live: neither is ever counted', async () => {
    const { db } = await start();
    sim.setVideo('replay00001', {
      state: 'ended',
      actualStart: '2026-11-28T18:00:00Z',
      actualEnd: '2026-11-28T20:00:00Z',
    });
    sim.setVideo('regular0001', { state: 'not_live' });
    await seedEvent(db, 'rep', [{ id: 'r', videoId: 'replay00001' }]);
    await seedEvent(db, 'reg', [{ id: 'g', videoId: 'regular0001' }]);
    await tick();
    expect(await streamRow(db, 'r')).toMatchObject({ status: 'ended', viewers: null });
    expect(await streamRow(db, 'g')).toMatchObject({ status: 'not_live', viewers: null });
    expect(await storedSamples(db, 'rep')).toEqual({ totals: [], streams: [] });
    expect(await storedSamples(db, 'reg')).toEqual({ totals: [], streams: [] });
    // Both watch pages carry a view total ("48,213 views"): it was read and not taken for viewers.
    if (source === 'innertube')
      expect(innertubeReads('replay00001') * innertubeReads('regular0001')).toBeGreaterThan(0);
  });

  it('a broadcast that ends during the event: its live counts stay, then ended with no value after', async () => {
    const { db } = await start();
    sim.setVideo('ending00001', { state: 'live', curve: { kind: 'constant', value: 321 } });
    await seedEvent(db, 'end', [{ id: 'e', videoId: 'ending00001' }]);
    await tick();
    sim.setVideo('ending00001', { state: 'ended' });
    await new Promise((r) => setTimeout(r, 600)); // InnerTube's once-per-interval per video (real time)
    await tick();
    expect(await streamRow(db, 'e')).toMatchObject({ status: 'ended', viewers: null });
    const { totals, streams } = await storedSamples(db, 'end');
    expect(totals.map((t) => t.total)).toEqual([321]);
    expect(streams.map((s) => [s.stream_id, s.viewers])).toEqual([['e', 321]]);
  });
});
