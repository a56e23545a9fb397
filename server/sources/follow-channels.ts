// Keeps a followed YouTube channel on its current live video: which followed streams need their channel
// resolved again this tick, and what the answer means. A stream is re-resolved when it has no video yet
// (offline, or just added), when its video ended or is not live (the broadcast restarted under a new id,
// or the channel moved on), and shortly before or after a planned start (the premiere may be replaced);
// a live video is left alone. The stream keeps its id across the switch; nothing is carried over from
// the old video into the new one (the next count comes from the new video's own answer).
import type { StreamStatus } from '../wire.ts';
import type { ChannelOutcome } from './innertube/client.ts';
import type { ChannelRef } from './links.ts';

export interface FollowedStream {
  id: string;
  eventId: string;
  channel: ChannelRef;
  videoId: string | null;
  status: StreamStatus;
  scheduledStart: Date | null;
  /** When the channel was last resolved (null: never). */
  resolvedAt: Date | null;
}

export type FollowDecision =
  | { id: string; eventId: string; kind: 'switch'; videoId: string }
  | { id: string; eventId: string; kind: 'offline' }
  | { id: string; eventId: string; kind: 'keep' }
  | { id: string; eventId: string; kind: 'fault'; reason: string };

/** How often a channel with nothing live is asked again. */
export const OFFLINE_RECHECK_MS = 60_000;
/** How often an upcoming video's channel is asked again, and how close to its start it is asked every tick. */
const UPCOMING_RECHECK_MS = 5 * 60_000;
const NEAR_START_MS = 2 * 60_000;
const DONE: ReadonlySet<StreamStatus> = new Set(['ended', 'not_live', 'unavailable']);

export function needsResolving(s: FollowedStream, now: Date): boolean {
  const since = s.resolvedAt ? now.getTime() - s.resolvedAt.getTime() : Infinity;
  if (s.videoId === null) return since >= OFFLINE_RECHECK_MS - 1500;
  if (DONE.has(s.status)) return true;
  if (s.status === 'upcoming') {
    const toStart = s.scheduledStart ? s.scheduledStart.getTime() - now.getTime() : Infinity;
    return Math.abs(toStart) <= NEAR_START_MS ? since >= 10_000 : since >= UPCOMING_RECHECK_MS;
  }
  return false;
}

/** What a resolution means for the stream. */
export function decide(s: FollowedStream, answer: ChannelOutcome): FollowDecision {
  const base = { id: s.id, eventId: s.eventId };
  if (!answer.ok) return { ...base, kind: 'fault', reason: `channel lookup: ${answer.reason}` };
  if (answer.videoId === null) return { ...base, kind: 'offline' };
  // The /live page still shows the video that just ended for a while: not a new broadcast yet.
  if (answer.videoId === s.videoId)
    return DONE.has(s.status) ? { ...base, kind: 'offline' } : { ...base, kind: 'keep' };
  return { ...base, kind: 'switch', videoId: answer.videoId };
}

export async function followChannels(
  streams: FollowedStream[],
  now: Date,
  resolve: (ref: ChannelRef) => Promise<ChannelOutcome>,
): Promise<FollowDecision[]> {
  const due = streams.filter((s) => needsResolving(s, now));
  // One lookup per channel even when several events follow it.
  const byChannel = new Map<string, Promise<ChannelOutcome>>();
  return Promise.all(
    due.map(async (s) => {
      const key = `${s.channel.by}:${s.channel.value.toLowerCase()}`;
      let answer = byChannel.get(key);
      if (!answer) byChannel.set(key, (answer = resolve(s.channel)));
      return decide(s, await answer);
    }),
  );
}
