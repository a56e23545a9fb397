// The router against the simulator over HTTP: YouTube through the source chosen now, Twitch through
// Helix, in one poll; which source answered each target.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { VideoOutcome } from '../poller/tick.ts';
import { startSimulator, type Simulator } from '../simulator/simulator.ts';
import { fetchVideos } from '../youtube/videos-list.ts';
import { createInnertubeClient } from './innertube/client.ts';
import { innertubeOutcomes } from './innertube/source.ts';
import { createRouter, type RoutedTarget } from './router.ts';
import { createTwitchClient } from './twitch/streams.ts';
import { twitchOutcomes } from './twitch/source.ts';
import { chooseYoutubeSource } from './youtube-choice.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());
beforeEach(() => {
  sim.reset();
  sim.setVideo('liveVideo01', { state: 'live', curve: { kind: 'constant', value: 1000 } });
  sim.twitch.setChannel('shroud', { live: true, curve: { kind: 'constant', value: 234 } });
});

const targets: RoutedTarget[] = [
  { platform: 'youtube', videoId: 'liveVideo01', login: null },
  { platform: 'twitch', videoId: null, login: 'shroud' },
  { platform: 'twitch', videoId: null, login: 'sleeping_cat' },
];

function router(o: { key: boolean; spentUntil?: Date | null; twitch?: boolean }) {
  const api = {
    unitsFor: (ids: string[]) => Math.ceil(ids.length / 50),
    async poll(ids: string[]) {
      const r = await fetchVideos(ids, { baseUrl: sim.baseUrl, apiKey: 'test-key-for-the-simulator' });
      const outcomes = new Map<string, VideoOutcome>();
      if (r.ok) for (const v of r.videos) outcomes.set(v.videoId, { kind: 'video', video: v });
      return { outcomes, calls: 1, units: 1, faults: [] };
    },
  };
  const innertube = createInnertubeClient({ baseUrl: sim.origin, perSecond: 50, concurrency: 2, minIntervalMs: 0 });
  const twitch = createTwitchClient({
    clientId: 'simclientid0000000000000000000',
    clientSecret: 'simclientsecret00000000000000',
    apiBaseUrl: sim.twitchApiBaseUrl,
    authBaseUrl: sim.twitchAuthBaseUrl,
  });
  return createRouter({
    api: o.key ? api : null,
    innertube: innertubeOutcomes(innertube),
    twitch: o.twitch === false ? null : twitchOutcomes(twitch),
    choose: () =>
      chooseYoutubeSource({ setting: 'auto', hasKey: o.key, quotaSpentUntil: o.spentUntil ?? null, now: new Date() }),
  });
}

const viewers = (o: VideoOutcome | undefined) => (o?.kind === 'video' ? o.video.viewers : undefined);

describe('the source router', () => {
  it('with a key: YouTube through the Data API, Twitch through Helix, offline channels offline', async () => {
    const r = router({ key: true });
    expect(r.unitsFor(targets)).toBe(1);
    const answer = await r.poll(targets);
    expect(viewers(answer.outcomes.get('liveVideo01'))).toBe(1000);
    expect(viewers(answer.outcomes.get('twitch:shroud'))).toBe(234);
    expect(answer.outcomes.get('twitch:sleeping_cat')).toMatchObject({ kind: 'video', video: { status: 'offline' } });
    expect(Object.fromEntries(answer.answeredBy)).toEqual({
      liveVideo01: 'api',
      'twitch:shroud': 'twitch',
      'twitch:sleeping_cat': 'twitch',
    });
    expect(sim.calls()).toHaveLength(1);
    expect(sim.innertube.calls()).toHaveLength(0);
  });

  it('without a key: InnerTube, no quota units, the same count', async () => {
    const r = router({ key: false });
    expect(r.unitsFor(targets)).toBe(0);
    const answer = await r.poll(targets);
    expect(viewers(answer.outcomes.get('liveVideo01'))).toBe(1000);
    expect(answer.answeredBy.get('liveVideo01')).toBe('innertube');
    expect(answer.youtubeWhy).toBe('InnerTube: no API key');
    expect(answer.reasons.get('liveVideo01')).toBe('InnerTube: no API key');
    expect(answer.reasons.get('twitch:shroud')).toBe('Twitch Helix');
    expect(sim.calls()).toHaveLength(0);
  });

  it('with the quota spent: InnerTube until the reset, then the Data API again', async () => {
    const spent = router({ key: true, spentUntil: new Date(Date.now() + 3_600_000) });
    expect((await spent.poll(targets)).answeredBy.get('liveVideo01')).toBe('innertube');
    const reset = router({ key: true, spentUntil: new Date(Date.now() - 1000) });
    expect((await reset.poll(targets)).answeredBy.get('liveVideo01')).toBe('api');
  });

  it('without a Twitch app, Twitch streams say what to configure', async () => {
    const answer = await router({ key: true, twitch: false }).poll(targets);
    expect(answer.outcomes.get('twitch:shroud')).toMatchObject({
      kind: 'fault',
      fault: { reason: expect.stringContaining('TWITCH_CLIENT_ID') },
    });
  });
});
