// Twitch as a poll source: all due channels in batches of 100 (streams.ts). A live channel is a count,
// an offline one the `offline` status, a channel Twitch did not answer for a gap with the reason; trouble
// of Twitch itself (a 5xx, a timeout, a 429) is also said once as the source's fault, for its back-off.
import type { VideoOutcome } from '../../poller/tick.ts';
import type { UpstreamFault } from '../../youtube/classify-fault.ts';
import type { TwitchClient } from './streams.ts';

/** The key a Twitch stream's outcome is filed under (YouTube outcomes use the video id). */
export const twitchKey = (login: string) => `twitch:${login}`;

export function twitchOutcomes(client: Pick<TwitchClient, 'streams'>) {
  return async (
    logins: string[],
  ): Promise<{ outcomes: Map<string, VideoOutcome>; calls: number; faults: UpstreamFault[] }> => {
    const outcomes = new Map<string, VideoOutcome>();
    let fault: UpstreamFault | undefined;
    const answers = await client.streams(logins);
    for (const o of answers) {
      const key = twitchKey(o.login);
      if (o.status === 'failed') {
        fault ??= o.fault;
        outcomes.set(key, { kind: 'fault', fault: { kind: 'unavailable', reason: o.reason } });
        continue;
      }
      outcomes.set(key, {
        kind: 'video',
        video: {
          videoId: key,
          status: o.status === 'live' ? 'live' : 'offline',
          viewers: o.status === 'live' ? o.viewers : null,
          scheduledStart: null,
          actualStart: o.status === 'live' ? o.startedAt : null,
          actualEnd: null,
          title: o.status === 'live' ? o.title : null,
          channelTitle: o.login,
        },
      });
    }
    return { outcomes, calls: Math.ceil(new Set(logins).size / 100), faults: fault ? [fault] : [] };
  };
}
