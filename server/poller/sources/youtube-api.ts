// The YouTube Data API as a source: videos.list, distinct ids 50 a call, one unit a call. The first
// fault about the key or the quota ends the poll: the ids not yet asked about share that fault.
import type { UpstreamFault } from '../../youtube/classify-fault.ts';
import type { VideoState } from '../../youtube/video-state.ts';
import type { SourceName } from '../../wire.ts';
import type { VideoOutcome } from '../tick.ts';
import { isFatal, type Source, type SourceAnswer, type SourceFault, type Target } from './source.ts';

export type FetchVideos = (
  ids: string[],
) => Promise<{ ok: true; videos: VideoState[]; missing: string[] } | { ok: false; fault: UpstreamFault }>;

/** Distinct video ids in batches of at most `size` (videos.list takes 50 ids per call). */
export function batchVideoIds(targets: readonly Target[], size = 50): string[][] {
  const ids = [
    ...new Set(targets.flatMap((s) => ((s.platform ?? 'youtube') === 'youtube' && s.videoId ? [s.videoId] : []))),
  ];
  const batches: string[][] = [];
  for (let i = 0; i < ids.length; i += size) batches.push(ids.slice(i, i + size));
  return batches;
}

export const API_REASON = 'Data API (key set)';

export function youtubeApiSource(fetchVideos: FetchVideos): Source {
  return {
    name: 'youtube_api',
    unitsFor: (targets) => batchVideoIds(targets).length,
    async poll(targets, held): Promise<SourceAnswer> {
      const batches = batchVideoIds(targets);
      const sources: SourceName[] = batches.length ? ['api'] : [];
      // Backed off after passing trouble: no call, and its streams keep what the failed poll said.
      if (held?.has('api')) return { outcomes: new Map(), calls: 0, units: 0, faults: [], sources };
      const outcomes = new Map<string, VideoOutcome>();
      const faults: SourceFault[] = [];
      let calls = 0;
      for (const [i, ids] of batches.entries()) {
        calls++;
        const answer = await fetchVideos(ids);
        if (answer.ok) {
          for (const v of answer.videos) outcomes.set(v.videoId, { kind: 'video', video: v });
          for (const id of answer.missing) outcomes.set(id, { kind: 'missing' });
          continue;
        }
        const fault = answer.fault;
        faults.push({ ...fault, source: 'api' });
        const fatal = isFatal(fault);
        for (const id of (fatal ? batches.slice(i) : [ids]).flat()) outcomes.set(id, { kind: 'fault', fault });
        if (fatal) break;
      }
      // Alone (YT_SOURCE=api and no other source configured), the Data API says so itself.
      const answeredBy = new Map<string, SourceName>([...outcomes.keys()].map((k) => [k, 'api']));
      const reasons = new Map([...outcomes.keys()].map((k) => [k, API_REASON]));
      return { outcomes, calls, units: calls, faults, answeredBy, reasons, sources };
    },
  };
}
