// Whole ticks with every source behind the poller's seam, on every engine, against the simulator over
// HTTP: a mixed event's total is YouTube + Twitch of the same tick, each sample records its source, and
// without a key YouTube is read through InnerTube.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../simulator/simulator.ts';
import { seedEvent } from '../testing/queries.ts';
import { engines } from '../testing/test-db.ts';
import { testInstance } from '../testing/test-instance.ts';
import { insertRawStream, storedSamples, streamRow } from './testing/queries.ts';
import { simulatedSourcesEnv } from './testing/simulated-env.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

describe.each(engines)('ticks with all sources (%s)', (engine) => {
  let inst: Awaited<ReturnType<typeof testInstance>> | undefined;
  afterEach(async () => {
    await inst?.close();
    inst = undefined;
  });

  let clock = Date.parse('2026-11-29T12:00:00Z');
  const start = (withKey: boolean) =>
    testInstance(engine, {
      now: () => new Date(clock),
      youtube: withKey ? { baseUrl: sim.baseUrl, apiKey: 'test-key-for-the-simulator' } : null,
      env: simulatedSourcesEnv(sim),
    });

  const scene = async (db: Parameters<typeof seedEvent>[0]) => {
    sim.reset();
    sim.setVideo('ytLive00001', { state: 'live', curve: { kind: 'constant', value: 1200 } });
    sim.twitch.setChannel('shroud', { live: true, curve: { kind: 'constant', value: 345 } });
    await seedEvent(db, 'mix', [{ id: 'yt', videoId: 'ytLive00001' }]);
    await insertRawStream(db, { id: 'tw', eventId: 'mix', videoId: null, platform: 'twitch', login: 'shroud' });
    await insertRawStream(db, { id: 'tw2', eventId: 'mix', videoId: null, platform: 'twitch', login: 'sleeping_cat' });
  };

  it('with a key: total = YouTube (Data API) + Twitch of the same tick; an absent channel is offline', async () => {
    inst = await start(true);
    await scene(inst.db);
    await inst.poller.tickOnce();
    const { totals, streams } = await storedSamples(inst.db, 'mix');
    expect(totals.map((t) => t.total)).toEqual([1545]);
    expect(streams.map((s) => [s.stream_id, s.viewers, s.source])).toEqual([
      ['tw', 345, 'twitch'],
      ['yt', 1200, 'api'],
    ]);
    expect(streams[0]?.ts.getTime()).toBe(streams[1]?.ts.getTime());
    expect(await streamRow(inst.db, 'tw2')).toMatchObject({ status: 'offline', viewers: null });
    expect(sim.innertube.calls()).toHaveLength(0);
  });

  it('without a key: YouTube through InnerTube (no quota), the same total', async () => {
    inst = await start(false);
    await scene(inst.db);
    await inst.poller.tickOnce();
    const { totals, streams } = await storedSamples(inst.db, 'mix');
    expect(totals.map((t) => t.total)).toEqual([1545]);
    expect(streams.find((s) => s.stream_id === 'yt')?.source).toBe('innertube');
    expect(sim.calls()).toHaveLength(0);
    expect((await inst.poller.quota()).used).toBe(0);
  });

  it('follows a channel across a restart: same stream, new video id, no sample invented across the switch', async () => {
    inst = await start(true);
    sim.reset();
    sim.setVideo('firstLive01', { state: 'live', curve: { kind: 'constant', value: 500 } });
    sim.innertube.setChannel('@LofiGirl', { channelId: 'UCSJ4gkVC6NrvII8umztf0Ow', liveVideoId: 'firstLive01' });
    await seedEvent(inst.db, 'fol', []);
    await insertRawStream(inst.db, {
      id: 'ch',
      eventId: 'fol',
      videoId: null,
      follows: true,
      target: 'youtube.com/@LofiGirl',
    });
    const tick = async () => {
      clock += 10_000;
      await inst!.poller.tickOnce();
    };
    await tick(); // resolves to firstLive01 and counts it
    // The broadcast ends; the channel restarts under a new id.
    sim.setVideo('firstLive01', { state: 'ended' });
    sim.setVideo('secondLive1', { state: 'live', curve: { kind: 'constant', value: 900 } });
    sim.innertube.setChannel('@LofiGirl', { channelId: 'UCSJ4gkVC6NrvII8umztf0Ow', liveVideoId: 'secondLive1' });
    await tick(); // the old video says ended: no sample
    await tick(); // re-resolved: the same stream now counts the new video
    const { streams, totals } = await storedSamples(inst.db, 'fol');
    expect(streams.map((r) => [r.stream_id, r.viewers, r.source])).toEqual([
      ['ch', 500, 'api'],
      ['ch', 900, 'api'],
    ]);
    expect(totals.map((t) => t.total)).toEqual([500, 900]);
    expect(streams[1].ts.getTime() - streams[0].ts.getTime()).toBe(20_000); // the ended tick has no row
    expect(await streamRow(inst.db, 'ch')).toMatchObject({ id: 'ch', video_id: 'secondLive1', status: 'live' });
    // Nothing live any more: offline, not an error.
    sim.setVideo('secondLive1', { state: 'ended' });
    sim.innertube.setChannel('@LofiGirl', { channelId: 'UCSJ4gkVC6NrvII8umztf0Ow', liveVideoId: null });
    await tick();
    await tick();
    expect(await streamRow(inst.db, 'ch')).toMatchObject({ video_id: null, status: 'offline' });
  });

  it('auto: the quota spent moves YouTube to InnerTube until the Pacific reset, then back to the Data API', async () => {
    clock = Date.parse('2026-11-29T12:00:00Z'); // 04:00 Pacific: the reset is at 08:00 UTC tomorrow
    inst = await start(true);
    await scene(inst.db);
    const tick = async (ms = 10_000) => {
      clock += ms;
      await inst!.poller.tickOnce();
    };
    sim.injectFault('quota_exceeded');
    await tick(); // the Data API says the quota is spent: no YouTube sample this tick
    await tick(); // InnerTube takes over; Twitch never stopped
    await tick(20 * 3_600_000); // past the Pacific midnight: the Data API again
    const { streams } = await storedSamples(inst.db, 'mix');
    expect(streams.filter((r) => r.stream_id === 'yt').map((r) => r.source)).toEqual(['innertube', 'api']);
    // The tick the Data API said 403 is a gap for the event (YouTube unread), Twitch's row with it.
    expect(streams.filter((r) => r.stream_id === 'tw').map((r) => r.source)).toEqual(['twitch', 'twitch']);
  });
});
