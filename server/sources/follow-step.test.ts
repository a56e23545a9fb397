// A followed channel across a restart, on every engine, against the simulator over HTTP: the same stream
// follows the channel's new video id; a channel with nothing live is offline, not an error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../simulator/simulator.ts';
import { seedEvent } from '../testing/queries.ts';
import { engines, openTestDb, type TestDb } from '../testing/test-db.ts';
import { followStep } from './follow-step.ts';
import { createInnertubeClient } from './innertube/client.ts';
import { insertRawStream, setStreamStatus, streamRow } from './testing/queries.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

describe.each(engines)('following a channel (%s)', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(engine);
    await seedEvent(t.db, 'e1', []);
    await insertRawStream(t.db, {
      id: 'ch',
      eventId: 'e1',
      videoId: null,
      follows: true,
      target: 'youtube.com/@LofiGirl',
    });
  });
  afterAll(() => t.close());

  it('resolves to the live video, follows a restart under a new id in the same stream, and goes offline', async () => {
    sim.reset();
    const client = createInnertubeClient({ baseUrl: sim.origin, perSecond: 50, concurrency: 2, minIntervalMs: 0 });
    let now = new Date('2026-11-29T12:00:00Z');
    sim.innertube.setChannel('@LofiGirl', { channelId: 'UCSJ4gkVC6NrvII8umztf0Ow', liveVideoId: 'firstLive01' });
    expect(await followStep(t.db, ['e1'], now, client)).toEqual(['e1']);
    expect(await streamRow(t.db, 'ch')).toMatchObject({ video_id: 'firstLive01', status: 'pending', viewers: null });

    // While the video is live nothing is asked.
    await setStreamStatus(t.db, 'ch', 'live');
    now = new Date(now.getTime() + 10_000);
    await followStep(t.db, ['e1'], now, client);
    expect(sim.innertube.calls().filter((c) => c.path === 'navigation/resolve_url')).toHaveLength(1);

    // The broadcast ends and restarts under a new id: same stream, new video, no count carried over.
    await setStreamStatus(t.db, 'ch', 'ended');
    sim.innertube.setChannel('@LofiGirl', { channelId: 'UCSJ4gkVC6NrvII8umztf0Ow', liveVideoId: 'secondLive1' });
    now = new Date(now.getTime() + 10_000);
    expect(await followStep(t.db, ['e1'], now, client)).toEqual(['e1']);
    expect(await streamRow(t.db, 'ch')).toMatchObject({
      id: 'ch',
      video_id: 'secondLive1',
      status: 'pending',
      viewers: null,
    });

    // It ends and nothing follows: offline, not an error.
    await setStreamStatus(t.db, 'ch', 'ended');
    sim.innertube.setChannel('@LofiGirl', { channelId: 'UCSJ4gkVC6NrvII8umztf0Ow', liveVideoId: null });
    now = new Date(now.getTime() + 10_000);
    await followStep(t.db, ['e1'], now, client);
    expect(await streamRow(t.db, 'ch')).toMatchObject({ video_id: null, status: 'offline' });
  });
});
