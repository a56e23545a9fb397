// Twitch as a poll source: all due channels in batches of 100 (streams.ts). A live channel is a count,
// an offline one the `offline` status, a channel Twitch did not answer for a gap with the reason.
import type { VideoOutcome } from '../../poller/tick.ts';
import type { TwitchClient } from './streams.ts';

/** The key a Twitch stream's outcome is filed under (YouTube outcomes use the video id). */
export const twitchKey = (login: string) => `twitch:${login}`;

export function twitchOutcomes(client: Pick<TwitchClient, 'streams'>) {
  return async (logins: string[]): Promise<{ outcomes: Map<string, VideoOutcome>; calls: number }> => {
    const outcomes = new Map<string, VideoOutcome>();
    const answers = await client.streams(logins);
    for (const o of answers) {
      const key = twitchKey(o.login);
      if (o.status === 'failed') {
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
    return { outcomes, calls: Math.ceil(new Set(logins).size / 100) };
  };
}
