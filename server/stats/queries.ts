// The SQL of event stats: the poll intervals in force, the per-hour parts stored in stat_parts (computed
// once, dropped by a trigger when a sample lands in their hour), the parts of the window's edges
// computed on the fly, and whether a series goes on after the window. Parts follow compute.ts#partOf.
import type { Db, Queryable } from '../db/db.ts';
import { sql } from '../db/sql.ts';
import { COVERAGE_FACTOR, type IntervalStep, type Part } from './compute.ts';

/** The series key of the event's total in stat_parts. */
export const TOTAL = '';
/** Taken exclusively while hours are stored; the sample triggers of sql/008 take it shared. */
const STAT_PARTS_LOCK = 1279529011;

export interface SeriesPart extends Part {
  /** The start (ms) of the hour or edge piece the part covers. */
  bucket: number;
  /** A stream id, or TOTAL. */
  series: string;
}

interface PartRow {
  bucket: number;
  series: string;
  n: number;
  first_ts: number | null;
  first_v: number | null;
  last_ts: number | null;
  last_v: number | null;
  inner_seconds: number;
  inner_area: number;
  peak_v: number | null;
  peak_ts: number | null;
}

const toPart = (r: PartRow): SeriesPart => ({
  bucket: r.bucket,
  series: r.series,
  n: r.n,
  firstTs: r.first_ts,
  firstV: r.first_v,
  lastTs: r.last_ts,
  lastV: r.last_v,
  innerSeconds: r.inner_seconds,
  innerArea: r.inner_area,
  peakV: r.peak_v,
  peakTs: r.peak_ts,
});

/** The stored whole hours of [from, to) (markers included: a TOTAL row per computed hour). */
export async function storedParts(db: Queryable, eventId: string, from: Date, to: Date): Promise<SeriesPart[]> {
  const rows = await db.query<PartRow>(sql`
    select (extract(epoch from bucket) * 1000)::float8 as bucket, series, n,
           (extract(epoch from first_ts) * 1000)::float8 as first_ts, first_v,
           (extract(epoch from last_ts) * 1000)::float8 as last_ts, last_v, inner_seconds, inner_area, peak_v,
           (extract(epoch from peak_ts) * 1000)::float8 as peak_ts
      from stat_parts
     where event_id = ${eventId} and bucket >= ${from}::timestamptz and bucket < ${to}::timestamptz`);
  return rows.map(toPart);
}

export interface PartRequest {
  eventId: string;
  /** The window's start: rows before the first whole hour are keyed by it. */
  from: Date;
  /** Contiguous spans to read, each a run of tiles. */
  spans: { lo: Date; hi: Date }[];
  /** Whole past hours among the spans to store in stat_parts. */
  store: Date[];
  /** The interval for samples older than every recorded one. */
  fallbackSeconds: number;
}

/**
 * The parts of every tile in the spans: for each series, its rows of the tile with each row's next
 * inside the tile, its cap from the interval then in force. Hours in `store` are written to
 * stat_parts (a TOTAL row for each, empty or not) in the same statement, under the exclusive lock.
 * A tile's last row has no next (null secs), and least() skips nulls: the sums leave it out by name.
 */
export async function computeParts(db: Db, r: PartRequest): Promise<SeriesPart[]> {
  if (r.spans.length === 0) return [];
  const statement = sql<PartRow>`
    with spans as (
      select * from unnest(${r.spans.map((s) => s.lo)}::timestamptz[], ${r.spans.map((s) => s.hi)}::timestamptz[]) as s(lo, hi)
    ),
    raw as (
      select greatest(date_bin(interval '1 hour', x.ts, timestamptz 'epoch'), ${r.from}::timestamptz) as bucket,
             x.series, x.ts, x.v
        from spans cross join lateral (
          select ss.stream_id as series, ss.ts, ss.viewers as v
            from stream_samples ss
           where ss.event_id = ${r.eventId} and ss.ts >= spans.lo and ss.ts < spans.hi
          union all
          select ${TOTAL}::text, s.ts, s.total
            from samples s
           where s.event_id = ${r.eventId} and s.ts >= spans.lo and s.ts < spans.hi
          union all
          -- A tick whose live streams all hid their counts has no samples row: a hidden total.
          select distinct ${TOTAL}::text, h.ts, null::bigint
            from stream_samples h
           where h.event_id = ${r.eventId} and h.viewers is null and h.ts >= spans.lo and h.ts < spans.hi
             and not exists (select 1 from samples s where s.event_id = h.event_id and s.ts = h.ts)
        ) x
    ),
    ordered as (
      select raw.*,
             lead(ts) over w as next_ts,
             first_value(v) over w as first_v,
             last_value(v) over wall as last_v,
             max(v) over wall as top,
             ${COVERAGE_FACTOR}::float8 * coalesce(
               (select p.seconds from poll_intervals p where p.since <= raw.ts order by p.since desc limit 1),
               ${r.fallbackSeconds}::int) as cap
        from raw
      window w as (partition by bucket, series order by ts),
             wall as (partition by bucket, series order by ts rows between unbounded preceding and unbounded following)
    ),
    covered as (
      select ordered.*, least(extract(epoch from next_ts - ts)::float8, cap) as secs from ordered
    ),
    parts as (
      select bucket, series, count(v)::int as n, min(ts) as first_ts, min(first_v) as first_v, max(ts) as last_ts,
             min(last_v) as last_v,
             coalesce(sum(secs) filter (where v is not null and next_ts is not null), 0)::float8 as inner_seconds,
             coalesce(sum(v * secs) filter (where v is not null and next_ts is not null), 0)::float8 as inner_area,
             max(v) as peak_v, min(ts) filter (where v = top) as peak_ts
        from covered group by bucket, series
    ),
    stored as (
      insert into stat_parts (event_id, bucket, series, n, first_ts, first_v, last_ts, last_v, inner_seconds,
                              inner_area, peak_v, peak_ts)
      select ${r.eventId}, bucket, series, n, first_ts, first_v, last_ts, last_v, inner_seconds, inner_area, peak_v, peak_ts
        from parts where bucket = any(${r.store}::timestamptz[])
      union all
      select ${r.eventId}, h, ${TOTAL}, 0, null, null, null, null, 0, 0, null, null
        from unnest(${r.store}::timestamptz[]) as h
       where not exists (select 1 from parts where parts.bucket = h and parts.series = ${TOTAL})
      on conflict do nothing
    )
    select (extract(epoch from bucket) * 1000)::float8 as bucket, series, n,
           (extract(epoch from first_ts) * 1000)::float8 as first_ts, first_v,
           (extract(epoch from last_ts) * 1000)::float8 as last_ts, last_v, inner_seconds, inner_area, peak_v,
           (extract(epoch from peak_ts) * 1000)::float8 as peak_ts
      from parts`;
  // Storing waits for the ticks being written to commit (their trigger holds the lock shared), so the
  // snapshot this statement reads is not made old by one of them a moment later.
  const rows =
    r.store.length === 0
      ? await db.query(statement)
      : await db.transaction(async (tx) => {
          await tx.query(sql`select pg_advisory_xact_lock(${STAT_PARTS_LOCK}::bigint)`);
          return tx.query(statement);
        });
  return rows.map(toPart);
}

/** The poll intervals that apply in [from, to): the one in force at `from` (if any) and every later change. */
export async function intervalSteps(db: Queryable, from: Date, to: Date): Promise<IntervalStep[]> {
  return db.query<IntervalStep>(sql`
    select (extract(epoch from since) * 1000)::float8 as since, seconds from poll_intervals
     where since < ${to}::timestamptz
       and since >= coalesce((select max(since) from poll_intervals where since <= ${from}::timestamptz), '-infinity')
     order by since`);
}

/** The series (stream ids, and TOTAL) that have a sample at or after `to`. */
export async function seriesGoingOn(db: Queryable, eventId: string, to: Date): Promise<Set<string>> {
  const rows = await db.query<{ series: string }>(sql`
    select s.id as series from streams s
     where s.event_id = ${eventId}
       and exists (select 1 from stream_samples x where x.event_id = s.event_id and x.stream_id = s.id and x.ts >= ${to}::timestamptz)
    union all
    select ${TOTAL}::text where exists (select 1 from stream_samples x where x.event_id = ${eventId} and x.ts >= ${to}::timestamptz)`);
  return new Set(rows.map((r) => r.series));
}

export interface StatsStream {
  id: string;
  videoId: string;
  label: string;
  platform: 'youtube' | 'twitch';
}

export async function eventStreams(db: Queryable, eventId: string): Promise<StatsStream[]> {
  return db.query<StatsStream>(sql`
    select id, video_id as "videoId", label, platform from streams where event_id = ${eventId} order by position, created_at, id`);
}

/**
 * Records the poll interval in force from each tick on: `changes` are consecutive changes (each
 * differs from the one before it); the first is skipped when it only repeats the interval already
 * recorded (a restart, another instance taking over).
 */
export async function recordIntervals(db: Queryable, changes: { since: Date; seconds: number }[]): Promise<void> {
  if (changes.length === 0) return;
  await db.query(sql`
    insert into poll_intervals (since, seconds)
    select u.since, u.seconds
      from unnest(${changes.map((c) => c.since)}::timestamptz[], ${changes.map((c) => c.seconds)}::int[])
           with ordinality as u(since, seconds, i)
     where u.i > 1 or u.seconds is distinct from
           (select p.seconds from poll_intervals p where p.since <= u.since order by p.since desc limit 1)
    on conflict (since) do nothing`);
}

/** What the report page needs to pick its default window: the event's plan and its first and last sample. */
export async function eventSpan(
  db: Queryable,
  eventId: string,
): Promise<{ startsAt: Date | null; endsAt: Date | null; firstTs: Date | null; lastTs: Date | null } | null> {
  const [row] = await db.query<{
    startsAt: Date | null;
    endsAt: Date | null;
    firstTs: Date | null;
    lastTs: Date | null;
  }>(
    sql`
    select e.starts_at as "startsAt", e.ends_at as "endsAt",
           (select min(ts) from samples where event_id = e.id) as "firstTs",
           (select max(ts) from samples where event_id = e.id) as "lastTs"
      from events e where e.id = ${eventId}`,
  );
  return row ?? null;
}
