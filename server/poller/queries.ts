// The poller's SQL: which streams are active, one set-based write per table per tick, the status of
// streams whose event is paused or outside its planned window, and the quota units spent per day.
import type { Db, Queryable } from '../db/db.ts';
import { sql } from '../db/sql.ts';
import { toStorable } from '../storable-text.ts';
import type { Platform, StreamStatus } from '../wire.ts';
import type { PollableStream } from './schedule.ts';
import type { StreamUpdate } from './tick.ts';

/**
 * Whether some session holds the poller's advisory lock (pg_try_advisory_lock(bigint) shows as classid 0,
 * objid the key, objsubid 1): a standby asks, so health can tell "another instance polls" from "nobody does".
 */
export async function pollerLockHeld(db: Queryable, key: number): Promise<boolean> {
  const [row] = await db.query(
    sql<{ held: boolean }>`select exists(select 1 from pg_locks where locktype = 'advisory' and granted
      and classid::bigint = 0 and objid::bigint = ${key} and objsubid = 1) as held`,
  );
  return row?.held === true;
}

/** How long before a planned start and after a planned end an event is still polled. */
export const WINDOW_MARGIN_MINUTES = 15;

/** The events (alias `e`) polled at `now`: not paused, and inside their planned window with its margins. */
const activeEvent = (now: Date) => {
  const margin = sql`${WINDOW_MARGIN_MINUTES}::int * interval '1 minute'`;
  return sql`not e.paused
    and (e.starts_at is null or e.starts_at - ${margin} <= ${now}::timestamptz)
    and (e.ends_at is null or e.ends_at + ${margin} >= ${now}::timestamptz)`;
};

export async function activeStreams(db: Queryable, now: Date): Promise<PollableStream[]> {
  const rows = await db.query(
    sql<{
      id: string;
      event_id: string;
      platform: Platform;
      video_id: string | null;
      login: string | null;
      status: StreamStatus;
      status_reason: string | null;
      misses: number;
      last_polled_at: Date | null;
    }>`select s.id, s.event_id, s.platform, s.video_id, s.login, s.status, s.status_reason, s.misses,
              s.last_polled_at
         from streams s join events e on e.id = s.event_id
        where ${activeEvent(now)}
        order by s.id`,
  );
  return rows.map((r) => ({
    id: r.id,
    eventId: r.event_id,
    platform: r.platform,
    videoId: r.video_id,
    login: r.login,
    status: r.status,
    statusReason: r.status_reason,
    misses: r.misses,
    lastPolledAt: r.last_polled_at,
  }));
}

/** Marks streams of inactive events as paused (once); returns the events that changed. */
export async function markInactiveStreams(db: Queryable, now: Date): Promise<string[]> {
  const rows = await db.query(
    sql<{ event_id: string }>`update streams s set status = 'paused', viewers = null, updated_at = ${now},
            status_reason = case when e.paused then 'event paused'
                                 when e.starts_at is not null and e.starts_at > ${now}::timestamptz
                                   then 'before the planned start (' || to_char(e.starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ')'
                                 else 'after the planned end' end
       from events e
      where e.id = s.event_id and s.status <> 'paused' and not (${activeEvent(now)})
      returning s.event_id`,
  );
  return [...new Set(rows.map((r) => r.event_id))];
}

/** Sets every active stream to one status (no key, quota spent, key rejected); returns the events that changed. */
export async function markActiveStreams(
  db: Queryable,
  now: Date,
  status: StreamStatus,
  reason: string,
): Promise<string[]> {
  const rows = await db.query(
    sql<{ event_id: string }>`update streams s set status = ${status}, status_reason = ${reason}, viewers = null,
            updated_at = ${now}
       from events e
      where e.id = s.event_id and ${activeEvent(now)}
        and (s.status is distinct from ${status} or s.status_reason is distinct from ${reason})
      returning s.event_id`,
  );
  return [...new Set(rows.map((r) => r.event_id))];
}

export interface TickWrite {
  ts: Date;
  updates: StreamUpdate[];
  totals: { eventId: string; total: number }[];
  /** Quota units the tick's calls spent, on their Pacific day. */
  units: { day: string; units: number } | null;
}

/**
 * The last guard before SQL for YouTube's text (video-state.ts cleans it on the way in): a NUL that reached
 * a text column would have the database refuse the event's whole tick, every tick (SQLSTATE 22021).
 */
const storable = (s: string | null) => (s === null ? null : toStorable(s));

/** One transaction, one statement per table. Re-running the same write is harmless (flush after an outage). */
export async function writeTick(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  w: TickWrite,
): Promise<void> {
  const sampled = w.updates.filter((u) => u.sampled);
  await db.transaction(async (tx) => {
    if (w.totals.length) {
      await tx.query(sql`insert into samples (event_id, ts, total)
         select e, ${w.ts}::timestamptz, t
           from unnest(${w.totals.map((t) => t.eventId)}::text[], ${w.totals.map((t) => t.total)}::bigint[]) as u(e, t)
         on conflict do nothing`);
      const counted = sampled.filter((u) => w.totals.some((t) => t.eventId === u.eventId));
      if (counted.length) {
        await tx.query(sql`insert into stream_samples (event_id, stream_id, ts, viewers, source)
           select e, s, ${w.ts}::timestamptz, v, src
             from unnest(${counted.map((u) => u.eventId)}::text[], ${counted.map((u) => u.id)}::text[],
                         ${counted.map((u) => u.viewers)}::bigint[], ${counted.map((u) => u.source ?? null)}::text[])
                  as u(e, s, v, src)
            where exists (select 1 from streams where id = u.s)
           on conflict do nothing`);
      }
    }
    if (w.updates.length) {
      const u = w.updates;
      await tx.query(sql`update streams s set status = u.status, status_reason = u.reason, viewers = u.viewers,
                misses = u.misses, scheduled_start = coalesce(u.scheduled::timestamptz, s.scheduled_start),
                title = coalesce(u.title, s.title), channel_title = coalesce(u.channel, s.channel_title),
                source = coalesce(u.source, s.source), source_reason = coalesce(u.source_reason, s.source_reason),
                last_polled_at = ${w.ts}, updated_at = ${w.ts}
           from unnest(${u.map((x) => x.id)}::text[], ${u.map((x) => x.status)}::text[],
                       ${u.map((x) => storable(x.statusReason))}::text[], ${u.map((x) => x.viewers)}::bigint[],
                       ${u.map((x) => x.misses)}::int[], ${u.map((x) => x.scheduledStart)}::text[],
                       ${u.map((x) => storable(x.title))}::text[], ${u.map((x) => storable(x.channelTitle))}::text[],
                       ${u.map((x) => x.source ?? null)}::text[], ${u.map((x) => x.sourceReason ?? null)}::text[])
                as u(id, status, reason, viewers, misses, scheduled, title, channel, source, source_reason)
          where s.id = u.id and (s.last_polled_at is null or s.last_polled_at <= ${w.ts}::timestamptz)`);
    }
    if (w.units) await addUnits(tx, w.units.day, w.units.units);
  });
}

export async function unitsUsed(db: Queryable, day: string): Promise<number> {
  const [row] = await db.query(sql<{ units: number }>`select units from quota_usage where day = ${day}::date`);
  return row?.units ?? 0;
}

export async function addUnits(db: Queryable, day: string, units: number): Promise<void> {
  await db.query(sql`insert into quota_usage (day, units) values (${day}::date, ${units})
    on conflict (day) do update set units = quota_usage.units + excluded.units`);
}

/** After a quotaExceeded answer: the day counts as spent whatever our own count said. */
export async function markDaySpent(db: Queryable, day: string, budget: number): Promise<void> {
  await db.query(sql`insert into quota_usage (day, units) values (${day}::date, ${budget})
    on conflict (day) do update set units = greatest(quota_usage.units, excluded.units)`);
}

/**
 * Rolls the raw rows of the minutes closed by `at` into stored minute rows, and each wider bucket (5, 15,
 * 60 min) that closed with them into a stored row made of its minute rows (sql/006). One transaction,
 * overwriting: after a crash or on another instance it simply runs again. Returns the new `until`, or null
 * when there was nothing to roll up.
 */
export async function rollUp(db: Pick<Db, 'transaction'>, at: Date): Promise<Date | null> {
  return db.transaction(async (tx) => {
    // FOR UPDATE: a tick writing rows older than the new `until` waits, then rolls them up itself.
    const [done] = await tx.query(sql<{ until: Date; next: Date }>`select until,
        date_bin('1 minute', ${at}::timestamptz, timestamptz 'epoch') as next from rollups_done for update`);
    if (!done || done.next <= done.until) return null;
    const [from, to] = [done.until, done.next];
    await tx.query(sql`insert into sample_rollups_closed (event_id, width, bucket, n, sum, max)
      select s.event_id, 60, date_bin('1 minute', s.ts, timestamptz 'epoch'), count(s.total),
             coalesce(sum(s.total), 0), max(s.total)
        from events e join samples s on s.event_id = e.id and s.ts >= ${from}::timestamptz and s.ts < ${to}::timestamptz
       group by 1, 3
      on conflict (event_id, width, bucket) do update set n = excluded.n, sum = excluded.sum, max = excluded.max`);
    await tx.query(sql`insert into stream_sample_rollups_closed (event_id, stream_id, width, bucket, n, sum, max)
      select s.event_id, s.stream_id, 60, date_bin('1 minute', s.ts, timestamptz 'epoch'), count(s.viewers),
             coalesce(sum(s.viewers), 0), max(s.viewers)
        from events e join stream_samples s on s.event_id = e.id
         and s.ts >= ${from}::timestamptz and s.ts < ${to}::timestamptz
       group by 1, 2, 4
      on conflict (event_id, width, bucket, stream_id) do update
        set n = excluded.n, sum = excluded.sum, max = excluded.max`);
    // A wider bucket closes when `until` passes its end: [date_bin(w, from), date_bin(w, to)) holds those.
    const closing = sql`m.bucket >= date_bin(w.width * interval '1 second', ${from}::timestamptz, timestamptz 'epoch')
         and m.bucket < date_bin(w.width * interval '1 second', ${to}::timestamptz, timestamptz 'epoch')`;
    await tx.query(sql`insert into sample_rollups_closed (event_id, width, bucket, n, sum, max)
      select m.event_id, w.width, date_bin(w.width * interval '1 second', m.bucket, timestamptz 'epoch'),
             sum(m.n), sum(m.sum), max(m.max)
        from events e cross join (values (300), (900), (3600)) as w(width)
        join sample_rollups_closed m on m.event_id = e.id and m.width = 60 and ${closing}
       group by 1, 2, 3
      on conflict (event_id, width, bucket) do update set n = excluded.n, sum = excluded.sum, max = excluded.max`);
    await tx.query(sql`insert into stream_sample_rollups_closed (event_id, stream_id, width, bucket, n, sum, max)
      select m.event_id, m.stream_id, w.width, date_bin(w.width * interval '1 second', m.bucket, timestamptz 'epoch'),
             sum(m.n), sum(m.sum), max(m.max)
        from events e cross join (values (300), (900), (3600)) as w(width)
        join stream_sample_rollups_closed m on m.event_id = e.id and m.width = 60 and ${closing}
       group by 1, 2, 3, 4
      on conflict (event_id, width, bucket, stream_id) do update
        set n = excluded.n, sum = excluded.sum, max = excluded.max`);
    await tx.query(sql`update rollups_done set until = ${to}::timestamptz`);
    return to;
  });
}
