// Test-only SQL of chat activity: a Twitch stream to refuse, a followed channel's video change, and the
// stored minutes as they are.
import type { Queryable } from '../../db/db.ts';
import { sql } from '../../db/sql.ts';

export async function seedTwitchStream(db: Queryable, eventId: string, id: string, login: string): Promise<void> {
  await db.query(sql`insert into streams (id, event_id, platform, login, video_id, label, position)
    values (${id}, ${eventId}, 'twitch', ${login}, null, ${login}, 99)`);
}

/** Makes the stream a followed channel whose current video is `videoId` (null: nothing live), as the poller does. */
export async function setStreamVideo(db: Queryable, streamId: string, videoId: string | null): Promise<void> {
  await db.query(sql`update streams set video_id = ${videoId}, follows = true,
    target = coalesce(target, 'youtube.com/@' || id) where id = ${streamId}`);
}

/** Every stored minute of the event, as `stream hh:mm messages`, in order. */
export async function chatMinutesOf(db: Queryable, eventId: string): Promise<string[]> {
  const rows = await db.query(sql<{ line: string }>`
    select stream_id || ' ' || to_char(minute at time zone 'UTC', 'HH24:MI') || ' ' || messages as line
      from chat_minutes where event_id = ${eventId} order by stream_id, minute`);
  return rows.map((r) => r.line);
}
