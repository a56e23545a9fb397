// For tests only: streams put in the statuses the poller would have given them.
import type { Queryable } from '../../db/db.ts';
import { sql } from '../../db/sql.ts';
import type { StreamStatus } from '../../wire.ts';

export async function setStreamStatus(db: Queryable, streamIds: string[], status: StreamStatus): Promise<void> {
  await db.query(sql`update streams set status = ${status} where id = any(${streamIds}::text[])`);
}

export async function setStreamLabel(db: Queryable, streamId: string, label: string): Promise<void> {
  await db.query(sql`update streams set label = ${label} where id = ${streamId}`);
}

/** Makes a seeded stream a Twitch channel (`login`), as a pasted twitch.tv link would be. */
export async function makeTwitchStream(db: Queryable, streamId: string, login: string): Promise<void> {
  await db.query(sql`update streams set platform = 'twitch', login = ${login}, video_id = null where id = ${streamId}`);
}
