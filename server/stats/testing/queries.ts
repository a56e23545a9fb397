// For tests and the stats bench only: stream rows given one by one, and each tick's total written as the
// poller writes it (the sum of the counted streams; no total row for a tick whose streams all hid theirs).
import type { Queryable } from '../../db/db.ts';
import { sql } from '../../db/sql.ts';

export interface PolledRow {
  streamId: string;
  ts: string;
  viewers: number | null;
}

export async function seedPolled(db: Queryable, eventId: string, rows: PolledRow[]): Promise<void> {
  const streams = rows.map((r) => r.streamId);
  const times = rows.map((r) => r.ts);
  const viewers = rows.map((r) => r.viewers);
  await db.query(sql`
    insert into stream_samples (event_id, stream_id, ts, viewers)
    select ${eventId}, s, t, v from unnest(${streams}::text[], ${times}::timestamptz[], ${viewers}::bigint[]) as u(s, t, v)`);
  await db.query(sql`
    insert into samples (event_id, ts, total)
    select ${eventId}, t, sum(v) from unnest(${times}::timestamptz[], ${viewers}::bigint[]) as u(t, v)
     group by t having count(v) > 0`);
}
