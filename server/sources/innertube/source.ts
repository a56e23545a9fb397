// InnerTube as a poll source: one paced lookup per due video. Its trouble stays per video (a stream in
// `error` with the reason, a gap in the numbers) and never pauses the Data API's quota logic: InnerTube
// has its own hold after YouTube pushes back (pacer.ts). Costs no quota units.
import { log } from '../../log.ts';
import type { VideoOutcome } from '../../poller/tick.ts';
import type { InnertubeClient } from './client.ts';

/** Failed lookups are said in the log at most this often (the streams say each reason all the time). */
const LOG_EVERY_MS = 60_000;

export function innertubeOutcomes(client: Pick<InnertubeClient, 'videos'>, now: () => number = Date.now) {
  let loggedAt = -Infinity;
  return async (videoIds: string[]): Promise<{ outcomes: Map<string, VideoOutcome>; calls: number }> => {
    const outcomes = new Map<string, VideoOutcome>();
    let calls = 0;
    const answers = await client.videos(videoIds);
    const failed = answers.filter((o) => !o.ok && (o.kind === 'blocked' || o.kind === 'failed'));
    // An operator reading the log saw nothing while every lookup failed (no network, YouTube refusing).
    if (failed.length && now() - loggedAt >= LOG_EVERY_MS) {
      loggedAt = now();
      const first = failed[0] as { reason: string };
      log(
        'warn',
        'innertube_failed',
        `${failed.length} of ${answers.length} InnerTube lookups failed: ${first.reason}`,
      );
    }
    for (const o of answers) {
      if (o.ok) {
        calls++;
        outcomes.set(o.videoId, { kind: 'video', video: o.state });
      } else if (o.kind === 'missing') {
        calls++;
        outcomes.set(o.videoId, { kind: 'missing' });
      } else if (o.kind === 'blocked' || o.kind === 'failed') {
        outcomes.set(o.videoId, { kind: 'fault', fault: { kind: 'unavailable', reason: o.reason } });
      }
    }
    return { outcomes, calls };
  };
}
