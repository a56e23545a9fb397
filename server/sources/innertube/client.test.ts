import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../../simulator/simulator.ts';
import { createInnertubeClient } from './client.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const client = (over: { minIntervalMs?: number; perSecond?: number; concurrency?: number } = {}) =>
  createInnertubeClient({
    baseUrl: sim.origin,
    perSecond: over.perSecond ?? 50,
    concurrency: over.concurrency ?? 4,
    minIntervalMs: over.minIntervalMs ?? 0,
  });

const LIVE = 'liveVideo01';
const HIDDEN = 'hiddenVid01';
const SOON = 'upcomingV01';
const ENDED = 'endedVideo1';
const PLAIN = 'plainVideo1';
const GONE = 'goneVideo01';

describe('InnerTube client against the simulator', () => {
  it('reads every state with the Data API path’s truth: only a live "watching now" count is a count', async () => {
    sim.setVideo(LIVE, { state: 'live', curve: { kind: 'constant', value: 12_345 } });
    sim.setVideo(HIDDEN, { state: 'live_hidden' });
    sim.setVideo(SOON, { state: 'upcoming', scheduledStart: '2030-01-01T10:00:00Z' });
    sim.setVideo(ENDED, { state: 'ended' });
    sim.setVideo(PLAIN, { state: 'not_live' });
    const out = await client().videos([LIVE, HIDDEN, SOON, ENDED, PLAIN, GONE]);
    const by = Object.fromEntries(out.map((o) => [o.videoId, o]));
    expect(by[LIVE]).toMatchObject({ ok: true, state: { status: 'live', viewers: 12_345 } });
    expect(by[HIDDEN]).toMatchObject({ ok: true, state: { status: 'live_hidden', viewers: null } });
    // The simulator's watch page says "57 waiting": never stored as viewers.
    expect(by[SOON]).toMatchObject({
      ok: true,
      state: { status: 'upcoming', viewers: null, scheduledStart: '2030-01-01T10:00:00.000Z' },
    });
    expect(by[ENDED]).toMatchObject({ ok: true, state: { status: 'ended', viewers: null } });
    expect(by[PLAIN]).toMatchObject({ ok: true, state: { status: 'not_live', viewers: null } });
    expect(by[GONE]).toMatchObject({ ok: false, kind: 'missing' });
    // Asked in English, through the InnerTube endpoints youtubei.js uses.
    const calls = sim.innertube.calls();
    expect(calls.filter((c) => c.path === 'player').every((c) => c.hl === 'en')).toBe(true);
    expect(new Set(calls.map((c) => c.path))).toEqual(new Set(['config', 'player', 'next']));
  });

  it('never looks a video up more often than the poll interval: a second ask gets the last answer', async () => {
    sim.setVideo(LIVE, { state: 'live', curve: { kind: 'constant', value: 1200 } });
    const yt = client({ minIntervalMs: 60_000 });
    const first = await yt.videos([LIVE, GONE]);
    expect(first[0]).toMatchObject({ ok: true, state: { status: 'live', viewers: 1200 } });
    // Asked again within the interval (the same video added to a second event, a tick right after an add),
    // and at once while a lookup is still running: the same answers, no second call.
    expect(await yt.videos([LIVE, GONE])).toEqual(first);
    sim.setVideo(SOON, { state: 'upcoming', scheduledStart: '2030-01-01T10:00:00Z' });
    const [a, b] = await Promise.all([yt.videos([SOON]), yt.videos([SOON])]);
    expect(b).toEqual(a);
    expect(sim.innertube.calls().filter((c) => c.path === 'player')).toHaveLength(3);
  });

  it.each(['429', 'consent', 'captcha'] as const)('after a %s holds every lookup (a gap, not a zero)', async (kind) => {
    sim.setVideo(LIVE, { state: 'live' });
    const yt = client();
    await yt.videos([LIVE]); // the session is up
    sim.innertube.block(kind, 10);
    const out = await yt.videos([LIVE, SOON, PLAIN]);
    expect(out.every((o) => !o.ok && o.kind === 'blocked')).toBe(true);
    const held = yt.blockedUntil();
    expect(held).toBeGreaterThan(Date.now() + 25_000);
    const before = sim.innertube.calls().length;
    expect((await yt.videos([LIVE]))[0]).toMatchObject({ ok: false, kind: 'blocked' });
    expect(sim.innertube.calls().length).toBe(before);
  });

  it('paces lookups: a global rate and a concurrency limit', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `pacedVideo${i}`);
    for (const id of ids) sim.setVideo(id, { state: 'live' });
    const yt = client({ perSecond: 10, concurrency: 2 });
    await yt.videos(['pacedVideoX']); // session start-up outside the measurement
    const started = Date.now();
    await yt.videos(ids);
    const players = sim.innertube.calls().filter((c) => c.path === 'player' && c.videoId !== 'pacedVideoX');
    expect(players).toHaveLength(8);
    // 8 starts at most 10 a second: the last one no earlier than 0.7 s after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(700);
  });

  it('follows a channel link to the video its /live page shows, and says when nothing is live', async () => {
    sim.innertube.setChannel('@LofiGirl', { channelId: 'UCSJ4gkVC6NrvII8umztf0Ow', liveVideoId: LIVE });
    const yt = client();
    expect(await yt.channel({ by: 'handle', value: 'LofiGirl' })).toEqual({ ok: true, videoId: LIVE });
    sim.innertube.setChannel('@LofiGirl', { channelId: 'UCSJ4gkVC6NrvII8umztf0Ow', liveVideoId: null });
    expect(await yt.channel({ by: 'handle', value: 'LofiGirl' })).toEqual({
      ok: true,
      videoId: null,
      channelId: 'UCSJ4gkVC6NrvII8umztf0Ow',
    });
    expect(await yt.channel({ by: 'handle', value: 'nobody_here' })).toMatchObject({ ok: false, kind: 'missing' });
    expect(
      sim.innertube
        .calls()
        .filter((c) => c.path === 'navigation/resolve_url')
        .map((c) => c.url),
    ).toEqual([
      'https://www.youtube.com/@LofiGirl/live',
      'https://www.youtube.com/@LofiGirl/live',
      'https://www.youtube.com/@nobody_here/live',
    ]);
  });
});

describe('InnerTube client with YouTube out of reach', () => {
  it('says YouTube cannot be reached, with the network code, for a video and for a channel', async () => {
    // A port nobody listens on: fetch fails with a bare TypeError whose cause holds ECONNREFUSED.
    const closed = await import('node:net').then(
      (net) =>
        new Promise<number>((resolve) => {
          const s = net.createServer().listen(0, '127.0.0.1', () => {
            const port = (s.address() as import('node:net').AddressInfo).port;
            s.close(() => resolve(port));
          });
        }),
    );
    const yt = createInnertubeClient({
      baseUrl: `http://127.0.0.1:${closed}`,
      perSecond: 50,
      concurrency: 4,
      minIntervalMs: 0,
    });
    expect((await yt.videos([LIVE]))[0]).toEqual({
      videoId: LIVE,
      ok: false,
      kind: 'failed',
      reason: 'YouTube cannot be reached (ECONNREFUSED)',
    });
    expect(await yt.channel({ by: 'handle', value: 'lofigirl' })).toEqual({
      ok: false,
      kind: 'failed',
      reason: 'YouTube cannot be reached (ECONNREFUSED)',
    });
  });
});
