// One tick's channel following: resolve the followed channels that are due (follow-channels.ts) through
// InnerTube (no Data API quota), and store what changed. Returns the events whose streams changed.
import type { Queryable } from '../db/db.ts';
import { followChannels } from './follow-channels.ts';
import type { InnertubeClient } from './innertube/client.ts';
import { applyFollowDecisions, followedStreams } from './queries.ts';

export async function followStep(
  db: Queryable,
  eventIds: string[],
  now: Date,
  client: Pick<InnertubeClient, 'channel'>,
): Promise<string[]> {
  if (eventIds.length === 0) return [];
  const streams = await followedStreams(db, eventIds);
  if (streams.length === 0) return [];
  const decisions = await followChannels(streams, now, (ref) => client.channel(ref));
  return applyFollowDecisions(db, decisions, now);
}
