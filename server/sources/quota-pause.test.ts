// A spent Data API quota holds only the Data API (issue 15): Twitch streams of the same event keep their
// counts, the YouTube streams say quota_exceeded with no invented value, and the poller keeps its beat
// instead of sleeping until the Pacific reset. With YT_SOURCE=auto YouTube goes on through InnerTube.
// Real ticks over HTTP against the simulator, on both engines, read back through GET /api/events/:id.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders } from '../auth/testing/test-session.ts';
import { startSimulator, type Simulator } from '../simulator/simulator.ts';
import { seedEvent } from '../testing/queries.ts';
import { engines } from '../testing/test-db.ts';
import { testInstance } from '../testing/test-instance.ts';
import { insertRawStream, storedSamples } from './testing/queries.ts';
import { simulatedSourcesEnv } from './testing/simulated-env.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

describe.each(engines)('a spent YouTube quota and Twitch (%s)', (engine) => {
  let inst: Awaited<ReturnType<typeof testInstance>> | undefined;
  afterEach(async () => {
    await inst?.close();
    inst = undefined;
  });

  let clock = 0;
  const start = async (setting: 'api' | 'auto') => {
    clock = Date.parse('2026-11-29T12:00:00Z'); // 04:00 Pacific: the reset is at 08:00 UTC tomorrow
    inst = await testInstance(engine, {
      now: () => new Date(clock),
      youtube: { baseUrl: sim.baseUrl, apiKey: 'test-key-for-the-simulator' },
      env: simulatedSourcesEnv(sim, { setting }),
    });
    sim.reset();
    sim.setVideo('ytLive00001', { state: 'live', curve: { kind: 'constant', value: 1200 } });
    sim.twitch.setChannel('shroud', { live: true, curve: { kind: 'constant', value: 345 } });
    await seedEvent(inst.db, 'mix', [{ id: 'yt', videoId: 'ytLive00001' }]);
    await insertRawStream(inst.db, { id: 'tw', eventId: 'mix', videoId: null, platform: 'twitch', login: 'shroud' });
    return inst;
  };
  const tick = async () => {
    clock += 10_000;
    return inst!.poller.tickOnce();
  };
  const streamsOf = async () => {
    const res = await inst!.app.request('http://localhost/api/events/mix', {
      headers: await adminHeaders(inst!.config),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { streams: { id: string; status: string; viewers: number | null }[] };
    return Object.fromEntries(body.streams.map((s) => [s.id, { status: s.status, viewers: s.viewers }]));
  };

  it('YT_SOURCE=api: Twitch keeps counting, YouTube says quota_exceeded and is not asked again', async () => {
    await start('api');
    await tick();
    sim.injectFault('quota_exceeded');
    const spent = await tick(); // the Data API answers 403 quotaExceeded
    // The beat is kept for Twitch: not a sleep until the Pacific reset (20 hours away).
    expect(spent.delaySeconds).toBeLessThanOrEqual(10);
    const later = await tick();
    expect(later.delaySeconds).toBeLessThanOrEqual(10);
    expect(later.calls).toBe(1); // Twitch's one /streams call; nothing to the Data API
    await tick();
    expect(sim.calls()).toHaveLength(2); // the first tick's videos.list and the one that said 403
    expect(await streamsOf()).toEqual({
      yt: { status: 'quota_exceeded', viewers: null },
      tw: { status: 'live', viewers: 345 },
    });
    const { totals, streams } = await storedSamples(inst!.db, 'mix');
    expect(streams.map((r) => [r.stream_id, r.viewers])).toEqual([
      ['tw', 345],
      ['yt', 1200],
      ['tw', 345],
      ['tw', 345],
    ]);
    // The tick of the 403 is a gap (YouTube unread); after it, YouTube says its quota is spent until the reset
    // and the total is Twitch's: no YouTube value carried over or invented (tick.ts, NOT_COUNTING).
    expect(totals.map((t) => t.total)).toEqual([1545, 345, 345]);
    expect((await inst!.poller.quota()).exhausted).toBe(true);

    // After the Pacific reset the Data API is asked again.
    clock = Date.parse('2026-11-30T08:00:05Z');
    await inst!.poller.tickOnce();
    expect(await streamsOf()).toEqual({
      yt: { status: 'live', viewers: 1200 },
      tw: { status: 'live', viewers: 345 },
    });
  });

  it('YT_SOURCE=auto: YouTube moves to InnerTube at once, Twitch never stops, the beat is kept', async () => {
    await start('auto');
    sim.injectFault('quota_exceeded');
    const spent = await tick();
    expect(spent.delaySeconds).toBeLessThanOrEqual(10);
    await tick();
    expect(await streamsOf()).toEqual({
      yt: { status: 'live', viewers: 1200 },
      tw: { status: 'live', viewers: 345 },
    });
    const { totals } = await storedSamples(inst!.db, 'mix');
    // The tick the Data API said 403 read no YouTube count: a gap, not Twitch's 345 as the total.
    expect(totals.map((t) => t.total)).toEqual([1545]);
    expect(sim.calls()).toHaveLength(1);
  });

  it('a refused key holds only the Data API too: Twitch keeps counting, YouTube is asked again after 5 minutes', async () => {
    await start('api');
    sim.injectFault('key_invalid');
    const refused = await tick();
    expect(refused.delaySeconds).toBeLessThanOrEqual(10); // not the 5-minute key pause for everything
    await tick();
    await tick();
    expect(sim.calls()).toHaveLength(1); // the refused call only
    expect(await streamsOf()).toEqual({
      yt: { status: 'api_key_invalid', viewers: null },
      tw: { status: 'live', viewers: 345 },
    });
    const { totals } = await storedSamples(inst!.db, 'mix');
    // The refused tick is a gap; then YouTube says its key is refused and Twitch's count is the total.
    expect(totals.map((t) => t.total)).toEqual([345, 345]);
    clock += 300_000; // the key is tried again
    await tick();
    expect(sim.calls()).toHaveLength(2);
    expect(await streamsOf()).toEqual({
      yt: { status: 'live', viewers: 1200 },
      tw: { status: 'live', viewers: 345 },
    });
  });

  it('auto: a refused key moves YouTube to InnerTube until the Data API is asked again', async () => {
    await start('auto');
    sim.injectFault('key_invalid');
    await tick(); // the refusal: no YouTube count this tick
    await tick();
    expect(await streamsOf()).toEqual({
      yt: { status: 'live', viewers: 1200 },
      tw: { status: 'live', viewers: 345 },
    });
    expect(sim.calls()).toHaveLength(1);
  });
});
