// Each stream says which source answered it and why, in an organiser's words (streams.source and
// source_reason, on the wire as source and sourceReason): real ticks over HTTP against the simulator, read
// back through GET /api/events/:id, on both engines.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders } from '../auth/testing/test-session.ts';
import { startSimulator, type Simulator } from '../simulator/simulator.ts';
import { seedEvent } from '../testing/queries.ts';
import { engines } from '../testing/test-db.ts';
import { testInstance } from '../testing/test-instance.ts';
import type { EventInfo } from '../wire.ts';
import { insertRawStream } from './testing/queries.ts';
import { simulatedSourcesEnv } from './testing/simulated-env.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

describe.each(engines)('source and sourceReason per stream (%s)', (engine) => {
  let inst: Awaited<ReturnType<typeof testInstance>> | undefined;
  afterEach(async () => {
    await inst?.close();
    inst = undefined;
  });

  let clock = 0;
  const start = async (o: { setting: 'api' | 'auto'; key: boolean; twitch?: boolean }) => {
    clock = Date.parse('2026-11-29T12:00:00Z'); // 04:00 Pacific: the reset is at 08:00 UTC tomorrow
    inst = await testInstance(engine, {
      now: () => new Date(clock),
      youtube: o.key ? { baseUrl: sim.baseUrl, apiKey: 'test-key-for-the-simulator' } : null,
      env: simulatedSourcesEnv(sim, { setting: o.setting, twitch: o.twitch }),
    });
    sim.reset();
    sim.setVideo('ytLive00001', { state: 'live', curve: { kind: 'constant', value: 1200 } });
    sim.twitch.setChannel('shroud', { live: true, curve: { kind: 'constant', value: 345 } });
    await seedEvent(inst.db, 'mix', [{ id: 'yt', videoId: 'ytLive00001' }]);
    if (o.twitch !== false) {
      await insertRawStream(inst.db, { id: 'tw', eventId: 'mix', videoId: null, platform: 'twitch', login: 'shroud' });
    }
  };
  const tick = async (ms = 10_000) => {
    clock += ms;
    await inst!.poller.tickOnce();
  };
  const sources = async () => {
    const res = await inst!.app.request('http://localhost/api/events/mix', {
      headers: await adminHeaders(inst!.config),
    });
    expect(res.status).toBe(200);
    const event = (await res.json()) as EventInfo;
    return Object.fromEntries(event.streams.map((s) => [s.id, [s.status, s.source, s.sourceReason]]));
  };

  it('before any tick: no source and no reason (nothing has answered yet)', async () => {
    await start({ setting: 'auto', key: true });
    expect(await sources()).toEqual({ yt: ['pending', null, null], tw: ['pending', null, null] });
  });

  it('auto with a key: the Data API because the key is set; Twitch through Helix', async () => {
    await start({ setting: 'auto', key: true });
    await tick();
    expect(await sources()).toEqual({
      yt: ['live', 'api', 'Data API (key set)'],
      tw: ['live', 'twitch', 'Twitch Helix'],
    });
  });

  it('auto without a key: InnerTube, because there is no key', async () => {
    await start({ setting: 'auto', key: false });
    await tick();
    expect(await sources()).toEqual({
      yt: ['live', 'innertube', 'InnerTube: no API key'],
      tw: ['live', 'twitch', 'Twitch Helix'],
    });
  });

  it('auto, quota spent then reset: InnerTube until the Pacific midnight, then the Data API again', async () => {
    await start({ setting: 'auto', key: true });
    await tick();
    sim.injectFault('quota_exceeded');
    await tick(); // the 403: the Data API answered (with the fault), nothing counted for YouTube
    expect((await sources()).yt).toEqual(['quota_exceeded', 'api', 'Data API (key set)']);
    await tick();
    expect(await sources()).toEqual({
      yt: ['live', 'innertube', 'InnerTube: Data API quota spent until 00:00 PT (08:00 UTC)'],
      tw: ['live', 'twitch', 'Twitch Helix'],
    });
    clock = Date.parse('2026-11-30T08:00:05Z');
    await tick(0);
    expect((await sources()).yt).toEqual(['live', 'api', 'Data API (key set)']);
  });

  it('YT_SOURCE=api, quota spent: the stream says until when, and that the setting keeps InnerTube out', async () => {
    await start({ setting: 'api', key: true });
    sim.injectFault('quota_exceeded');
    await tick();
    await tick();
    expect(await sources()).toEqual({
      yt: ['quota_exceeded', 'api', 'Data API quota spent until 00:00 PT (08:00 UTC) (YT_SOURCE=api)'],
      tw: ['live', 'twitch', 'Twitch Helix'],
    });
  });

  it('YT_SOURCE=api without a key: YouTube says what to set, Twitch counts all the same', async () => {
    await start({ setting: 'api', key: false });
    await tick();
    expect(await sources()).toEqual({
      yt: ['api_config_error', null, 'YT_SOURCE=api but no YT_API_KEY is set'],
      tw: ['live', 'twitch', 'Twitch Helix'],
    });
  });

  it('YT_SOURCE=api alone (no other source configured): the Data API says so too', async () => {
    await start({ setting: 'api', key: true, twitch: false });
    await tick();
    expect(await sources()).toEqual({ yt: ['live', 'api', 'Data API (key set)'] });
  });
});
