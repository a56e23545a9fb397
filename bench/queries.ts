// The benchmarks' own SQL: the fixtures they add beside the product's writes, and what a run stored.
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

/**
 * `perEvent` pending streams st0… in each of the events ev0…ev<events-1>, numbered across events, each with
 * its own video id bench000000…: the streams the poller bench polls.
 */
export async function insertPendingStreams(db: Queryable, events: number, perEvent: number): Promise<void> {
  await db.query(sql`insert into streams (id, event_id, video_id, label, position, status)
     select 'st' || n, 'ev' || (n / ${perEvent}::int), 'bench' || lpad(n::text, 6, '0'), 'Camera ' || n,
            n % ${perEvent}::int, 'pending'
       from generate_series(0, ${events * perEvent}::int - 1) as n`);
}

/** Fresh planner statistics for every table (no vacuum: the fixtures were just inserted). */
export async function analyzeTables(db: Queryable): Promise<void> {
  await db.query(sql`analyze`);
}

/** What a run stored: total and stream samples, and the streams now live. */
export async function storedCounts(db: Queryable): Promise<{ samples: number; stream_samples: number; live: number }> {
  const [row] = await db.query(
    sql<{
      samples: number;
      stream_samples: number;
      live: number;
    }>`select (select count(*)::int from samples) as samples, (select count(*)::int from stream_samples) as stream_samples,
            (select count(*)::int from streams where status = 'live') as live`,
  );
  return row;
}

/**
 * The mixed run's streams: like insertPendingStreams, but every odd stream is a Twitch channel (login
 * bench_<n>) instead of a YouTube video, so each event is half YouTube, half Twitch.
 */
export async function insertMixedStreams(db: Queryable, events: number, perEvent: number): Promise<void> {
  await db.query(sql`insert into streams (id, event_id, platform, video_id, login, label, position, status)
     select 'st' || n, 'ev' || (n / ${perEvent}::int), case when n % 2 = 0 then 'youtube' else 'twitch' end,
            case when n % 2 = 0 then 'bench' || lpad(n::text, 6, '0') end,
            case when n % 2 = 1 then 'bench_' || n end, 'Camera ' || n, n % ${perEvent}::int, 'pending'
       from generate_series(0, ${events * perEvent}::int - 1) as n`);
}
