// For tests only: rows of sql/010_sources.sql written and read directly, to check its constraints.
import type { Queryable } from '../../db/db.ts';
import { sql } from '../../db/sql.ts';

export interface RawStream {
  id: string;
  eventId: string;
  videoId: string | null;
  platform?: string;
  login?: string | null;
  follows?: boolean;
  target?: string | null;
}

export async function insertRawStream(db: Queryable, s: RawStream): Promise<void> {
  await db.query(sql`insert into streams (id, event_id, video_id, platform, login, follows, target)
    values (${s.id}, ${s.eventId}, ${s.videoId}, ${s.platform ?? 'youtube'}, ${s.login ?? null},
            ${s.follows ?? false}, ${s.target ?? null})`);
}

export async function insertOldStyleStream(db: Queryable, id: string, eventId: string, videoId: string) {
  await db.query(sql`insert into streams (id, event_id, video_id) values (${id}, ${eventId}, ${videoId})`);
}

export async function sourceColumns(db: Queryable, id: string) {
  const [row] = await db.query<{ platform: string; follows: boolean; source: string | null }>(
    sql`select platform, follows, source from streams where id = ${id}`,
  );
  return row;
}

export async function insertSourcedSample(
  db: Queryable,
  eventId: string,
  streamId: string,
  viewers: number,
  source: string,
) {
  await db.query(sql`insert into stream_samples (event_id, stream_id, ts, viewers, source)
    values (${eventId}, ${streamId}, now(), ${viewers}, ${source})`);
}

export async function streamRow(db: Queryable, id: string) {
  const [row] = await db.query<{ id: string; video_id: string | null; status: string; viewers: number | null }>(
    sql`select id, video_id, status, viewers from streams where id = ${id}`,
  );
  return row;
}

/** What a tick would have written when the followed video ended. */
export async function setStreamStatus(db: Queryable, id: string, status: string) {
  await db.query(sql`update streams set status = ${status} where id = ${id}`);
}

/** The event's totals and stream samples, oldest first. */
export async function storedSamples(db: Queryable, eventId: string) {
  const totals = await db.query<{ ts: Date; total: number }>(
    sql`select ts, total::float8 as total from samples where event_id = ${eventId} order by ts`,
  );
  const streams = await db.query<{ ts: Date; stream_id: string; viewers: number | null; source: string | null }>(
    sql`select ts, stream_id, viewers::float8 as viewers, source from stream_samples where event_id = ${eventId}
         order by ts, stream_id`,
  );
  return { totals, streams };
}

/** The reasons the poller wrote beside `source` on the streams it answered for (one each, null when none). */
export async function sourceReasons(db: Queryable, source: string): Promise<(string | null)[]> {
  const rows = await db.query(
    sql<{ source_reason: string | null }>`select distinct source_reason from streams where source = ${source}`,
  );
  return rows.map((r) => r.source_reason);
}

export async function streamSources(db: Queryable, eventId: string) {
  return db.query<{ id: string; source: string | null; status: string }>(
    sql`select id, source, status from streams where event_id = ${eventId} order by position`,
  );
}
