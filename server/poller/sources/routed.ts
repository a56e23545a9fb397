// The poll source when more than the Data API is configured (issue 15): YouTube through the source chosen
// each tick (the Data API while a key is set and its quota lasts, InnerTube otherwise) and Twitch through
// Helix, behind the one Source seam, so the tick, statuses, storage and publishing stay one path.
import type { SourceClients } from '../../sources/build.ts';
import { innertubeOutcomes } from '../../sources/innertube/source.ts';
import { createRouter, type RoutedTarget } from '../../sources/router.ts';
import { twitchOutcomes } from '../../sources/twitch/source.ts';
import { chooseYoutubeSource } from '../../sources/youtube-choice.ts';
import type { Source, Target } from './source.ts';

const routed = (t: Target): RoutedTarget => ({
  platform: t.platform ?? 'youtube',
  videoId: t.videoId,
  login: t.login ?? null,
});

export function routedSource(
  api: Source | null,
  clients: SourceClients,
  quotaSpentUntil: () => Date | null,
  now: () => Date,
  keyHeldUntil: () => Date | null = () => null,
): Source {
  const asTargets = (ids: string[]) => ids.map((videoId) => ({ videoId }));
  const router = createRouter({
    api: api ? { unitsFor: (ids) => api.unitsFor(asTargets(ids)), poll: (ids) => api.poll(asTargets(ids)) } : null,
    innertube: clients.setting === 'api' ? null : innertubeOutcomes(clients.innertube),
    twitch: clients.twitch ? twitchOutcomes(clients.twitch) : null,
    choose: () =>
      chooseYoutubeSource({
        setting: clients.setting,
        hasKey: api !== null,
        quotaSpentUntil: quotaSpentUntil(),
        keyHeldUntil: keyHeldUntil(),
        now: now(),
      }),
  });
  return {
    name: 'sources',
    unitsFor: (targets) => router.unitsFor(targets.map(routed)),
    poll: (targets, held) => router.poll(targets.map(routed), held),
    // Twitch, and InnerTube unless YT_SOURCE=api, go on while the Data API's quota is spent or its key refused.
    worksWithoutQuota: router.worksWithoutQuota,
  };
}
