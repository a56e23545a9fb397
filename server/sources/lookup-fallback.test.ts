// Adding a YouTube video while the Data API's quota is spent: with YT_SOURCE=auto the admin's lookup goes
// through InnerTube, as the ticks do (the video is checked and titled, a wrong id refused); with
// YT_SOURCE=api nothing else may read YouTube, so the stream is kept with the quota's status and no call.
// Through POST /api/events/:id/streams against the simulator, on both engines.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders } from '../auth/testing/test-session.ts';
import { startSimulator, type Simulator } from '../simulator/simulator.ts';
import { seedEvent } from '../testing/queries.ts';
import { engines } from '../testing/test-db.ts';
import { testInstance } from '../testing/test-instance.ts';
import { simulatedSourcesEnv } from './testing/simulated-env.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

describe.each(engines)('adding a YouTube video with the Data API quota spent (%s)', (engine) => {
  let inst: Awaited<ReturnType<typeof testInstance>> | undefined;
  afterEach(async () => {
    await inst?.close();
    inst = undefined;
  });

  const clock = Date.parse('2026-11-29T12:00:00Z');
  /** An instance whose first tick met quotaExceeded: the quota is spent until the Pacific reset. */
  const spent = async (setting: 'api' | 'auto') => {
    inst = await testInstance(engine, {
      now: () => new Date(clock),
      youtube: { baseUrl: sim.baseUrl, apiKey: 'test-key-for-the-simulator' },
      // With Twitch configured, YT_SOURCE=api goes through the router too (the path that decides here).
      env: simulatedSourcesEnv(sim, { setting }),
    });
    sim.reset();
    sim.setVideo('ytLive00001', { state: 'live', curve: { kind: 'constant', value: 1200 } });
    sim.setVideo('keynote0001', { state: 'live', title: 'Keynote', channelTitle: 'Conf' });
    await seedEvent(inst.db, 'ev', [{ id: 'yt', videoId: 'ytLive00001' }]);
    sim.injectFault('quota_exceeded');
    await inst.poller.tickOnce();
    expect((await inst.poller.quota()).exhausted).toBe(true);
    return inst;
  };
  const add = async (url: string) =>
    inst!.app.request('http://localhost/api/events/ev/streams', {
      method: 'POST',
      headers: await adminHeaders(inst!.config),
      body: JSON.stringify({ url }),
    });

  it('auto: looked up through InnerTube, titled and checked; a wrong id is refused; the Data API is not asked', async () => {
    await spent('auto');
    const used = (await inst!.poller.quota()).used;
    const added = await add('https://youtu.be/keynote0001');
    expect(added.status).toBe(201);
    expect(await added.json()).toMatchObject({
      videoId: 'keynote0001',
      label: 'Keynote',
      title: 'Keynote',
      channelTitle: 'Conf',
      status: 'pending',
    });
    const wrong = await add('https://youtu.be/noSuchVid01');
    expect(wrong.status).toBe(422);
    expect((await wrong.json()).error.code).toBe('video_not_found');
    expect(sim.calls()).toHaveLength(1); // the tick's 403 only
    expect(sim.innertube.calls().length).toBeGreaterThan(0);
    expect((await inst!.poller.quota()).used).toBe(used);
  });

  it('YT_SOURCE=api: no call; the stream is kept, saying the quota is spent', async () => {
    await spent('api');
    const added = await add('https://youtu.be/keynote0001');
    expect(added.status).toBe(201);
    expect(await added.json()).toMatchObject({
      videoId: 'keynote0001',
      label: 'keynote0001',
      status: 'quota_exceeded',
    });
    expect(sim.calls()).toHaveLength(1);
    expect(sim.innertube.calls()).toHaveLength(0);
  });
});
