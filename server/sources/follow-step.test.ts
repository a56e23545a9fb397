// A followed channel across a restart, on every engine, against the simulator over HTTP: the same stream
// follows the channel's new video id; a channel with nothing live is offline, not an error.
import { createServer, type AddressInfo } from 'node:net';
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

  it('a channel that cannot be resolved says why (an error, no number), and counts again once it can', async () => {
    await insertRawStream(t.db, {
      id: 'ch2',
      eventId: 'e1',
      videoId: null,
      follows: true,
      target: 'youtube.com/@Nowhere',
    });
    const closed = await closedPort();
    const away = createInnertubeClient({
      baseUrl: `http://127.0.0.1:${closed}`,
      perSecond: 50,
      concurrency: 2,
      minIntervalMs: 0,
    });
    let now = new Date('2026-11-29T13:00:00Z');
    expect(await followStep(t.db, ['e1'], now, away)).toContain('e1');
    expect(await streamRow(t.db, 'ch2')).toMatchObject({
      video_id: null,
      status: 'error',
      status_reason: 'channel lookup: YouTube cannot be reached (ECONNREFUSED)',
      viewers: null,
    });
    // The same failure a minute later changes nothing (no new status to publish).
    now = new Date(now.getTime() + 60_000);
    expect(await followStep(t.db, ['e1'], now, away)).not.toContain('e1');
    // YouTube answers again: the channel's live video, pending its first count.
    sim.innertube.setChannel('@Nowhere', { channelId: 'UCnowhere000000000000000', liveVideoId: 'backAgain01' });
    const client = createInnertubeClient({ baseUrl: sim.origin, perSecond: 50, concurrency: 2, minIntervalMs: 0 });
    now = new Date(now.getTime() + 60_000);
    await followStep(t.db, ['e1'], now, client);
    expect(await streamRow(t.db, 'ch2')).toMatchObject({ video_id: 'backAgain01', status: 'pending' });
  });
});

/** A loopback port nobody listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}
