// InnerTube as a poll source: one paced lookup per due video. Its trouble stays per video (a stream in
// `error` with the reason, a gap in the numbers) and never pauses the Data API's quota logic: InnerTube
// has its own hold after YouTube pushes back (pacer.ts). Costs no quota units.
import type { VideoOutcome } from '../../poller/tick.ts';
import type { InnertubeClient } from './client.ts';

export function innertubeOutcomes(client: Pick<InnertubeClient, 'videos'>) {
  return async (videoIds: string[]): Promise<{ outcomes: Map<string, VideoOutcome>; calls: number }> => {
    const outcomes = new Map<string, VideoOutcome>();
    let calls = 0;
    for (const o of await client.videos(videoIds)) {
      if (o.ok) {
        calls++;
        outcomes.set(o.videoId, { kind: 'video', video: o.state });
      } else if (o.kind === 'missing') {
        calls++;
        outcomes.set(o.videoId, { kind: 'missing' });
      } else if (o.kind === 'blocked' || o.kind === 'failed') {
        outcomes.set(o.videoId, { kind: 'fault', fault: { kind: 'unavailable', reason: o.reason } });
      }
      // not_due: looked up less than a poll interval ago; no outcome, so the stream keeps its state.
    }
    return { outcomes, calls };
  };
}
