// The benchmarks' own SQL: the fixtures they add beside the product's writes.
import type { Queryable } from '../server/db/db.ts';
import { sql } from '../server/db/sql.ts';

/** `count` live streams s0…s<count-1> of the event, each with its own video id and a viewer count. */
export async function insertLiveStreams(db: Queryable, eventId: string, count: number): Promise<void> {
  await db.query(sql`
    insert into streams (id, event_id, video_id, label, position, status, viewers)
    select 's' || n, ${eventId}, 'benchvid' || lpad(n::text, 3, '0'), 'Camera ' || n, n, 'live', 1000 + n
      from generate_series(0, ${count}::int - 1) as n`);
}

/** Statistics and the visibility map (which index-only scans use), as autovacuum leaves a week-old table. */
export async function vacuumAnalyze(db: Queryable): Promise<void> {
  await db.query(sql`vacuum analyze`);
}
