// The `chat` part of an event's history (issue 16): messages per minute per stream and in total, bucketed like
// the viewers when the window is long (a bucket's figure is then the average of its stored minutes: a minute
// not read is a gap, never a 0). Present when a stream of the event has chat enabled or the window has chat rows.
import type { Queryable } from '../db/db.ts';
import type { ChatPoint, HistoryResponse } from '../wire.ts';
import { chatBuckets, chatEnabledIn } from './queries.ts';

export async function readChatHistory(
  db: Queryable,
  eventId: string,
  window: { from: Date; to: Date },
  o: { after: Date | null; bucketSeconds: number; limit: number },
): Promise<HistoryResponse['chat']> {
  // Minutes are the finest grain: a shorter bucket (or raw points) reads one point per minute.
  const bucketSeconds = Math.max(60, Math.ceil(o.bucketSeconds / 60) * 60);
  const [enabled, rows] = await Promise.all([
    chatEnabledIn(db, eventId),
    chatBuckets(db, { eventId, ...window, after: o.after, bucketSeconds, limit: o.limit }),
  ]);
  if (!enabled && rows.length === 0) return undefined;
  const total: ChatPoint[] = [];
  const streams: Record<string, ChatPoint[]> = {};
  for (const r of rows) {
    // An average of whole minutes, to one decimal; a minute's own figure stays a whole number.
    const point = { ts: r.ts.toISOString(), messages: Math.round(r.messages * 10) / 10 };
    if (r.streamId === null) total.push(point);
    else (streams[r.streamId] ??= []).push(point);
  }
  return { total, streams };
}
