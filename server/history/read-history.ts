// An event's history as JSON points: raw samples, or time buckets carrying each bucket's average and
// peak. Buckets made of whole rollups (1, 5, 15, 60 min: sql/003) read the widest rollup that fits and
// only the ragged edges of the window from the raw tables, so a week costs about what an hour does.
import type { Queryable } from '../db/db.ts';
import type { HistoryPoint, HistoryResponse } from '../wire.ts';
import { DEFAULT_LIMIT, type HistoryOptions, type HistoryWindow } from './params.ts';

// Widest first: the rollup widths of sql/003, in seconds.
const ROLLUP_WIDTHS = [3600, 900, 300, 60];
// Round steps, so bucket edges fall on readable times (…:15, …:30) for every window.
const STEPS = [
  1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
];

/** The smallest round step giving at most `maxPoints` buckets, counting partial buckets at both ends. */
export function bucketSecondsFor(window: HistoryWindow, maxPoints: number): number {
  const needed = (window.to.getTime() - window.from.getTime()) / 1000 / (maxPoints - 1);
  return STEPS.find((s) => s >= needed) ?? Math.ceil(needed / 86400) * 86400;
}

interface Bounds {
  from: Date;
  to: Date;
  after: Date | null;
  /** [rolledFrom, rolledTo) is read from rollups `width` s wide; [from, rolledFrom) and [rolledTo, to) from raw rows. */
  rolledFrom: Date;
  rolledTo: Date;
  width: number;
}

function boundsFor(window: HistoryWindow, after: Date | null, bucketSeconds: number): Bounds {
  const to = window.to.getTime();
  const width = ROLLUP_WIDTHS.find((w) => bucketSeconds % w === 0);
  if (!width) return { ...window, after, rolledFrom: window.to, rolledTo: window.to, width: 60 };
  const step = width * 1000;
  // A rollup is wholly newer than `after` once it starts after it.
  const low = Math.max(window.from.getTime(), after ? after.getTime() + 1 : -Infinity);
  const rolledFrom = Math.min(Math.ceil(low / step) * step, to);
  const rolledTo = Math.max(Math.floor(to / step) * step, rolledFrom);
  return { ...window, after, rolledFrom: new Date(rolledFrom), rolledTo: new Date(rolledTo), width };
}

const params = (b: Bounds, bucketSeconds: number) => [
  b.from,
  b.to,
  b.after,
  b.rolledFrom,
  b.rolledTo,
  bucketSeconds,
  b.width,
];

// Parameters: $1 event, $2 from, $3 to, $4 after, $5 rolledFrom, $6 rolledTo, $7 bucket seconds, $8 rollup width.
const RAW_AFTER = `ts > coalesce($4::timestamptz, '-infinity')`;

const TOTAL_BUCKETS = `
  with parts as (
    select ts, total::bigint as sum, 1 as n, total as max from samples
     where event_id = $1 and ts >= $2 and ts < $5 and ${RAW_AFTER}
    union all
    select ts, total, 1, total from samples
     where event_id = $1 and ts >= $6 and ts < $3 and ${RAW_AFTER}
    union all
    select bucket, sum, n, max from sample_rollups
     where event_id = $1 and width = $8 and bucket >= $5 and bucket < $6
  )
  select date_bin($7::int * interval '1 second', ts, timestamptz 'epoch') as ts,
         sum(sum)::float8 / nullif(sum(n), 0) as viewers, max(max) as max
    from parts group by 1 order by 1`;

const STREAM_BUCKETS = `
  with parts as (
    select stream_id, ts, coalesce(viewers, 0)::bigint as sum, (viewers is not null)::int as n, viewers as max
      from stream_samples where event_id = $1 and ts >= $2 and ts < $5 and ${RAW_AFTER}
    union all
    select stream_id, ts, coalesce(viewers, 0), (viewers is not null)::int, viewers
      from stream_samples where event_id = $1 and ts >= $6 and ts < $3 and ${RAW_AFTER}
    union all
    select stream_id, bucket, sum, n, max from stream_sample_rollups
     where event_id = $1 and width = $8 and bucket >= $5 and bucket < $6
  )
  select stream_id, date_bin($7::int * interval '1 second', ts, timestamptz 'epoch') as ts,
         sum(sum)::float8 / nullif(sum(n), 0) as viewers, max(max) as max
    from parts group by 1, 2 order by 2`;

const TOTAL_RAW = `
  select ts, total as viewers, total as max from samples
   where event_id = $1 and ts >= $2 and ts < $3 and ${RAW_AFTER}
   order by ts limit $5`;

const STREAM_RAW = `
  select stream_id, ts, viewers, viewers as max from (
    select stream_id, ts, viewers, row_number() over (partition by stream_id order by ts) as rank
      from stream_samples
     where event_id = $1 and ts >= $2 and ts < $3 and ${RAW_AFTER}
  ) ranked where rank <= $5 order by ts`;

interface PointRow {
  stream_id?: string;
  ts: Date;
  viewers: number | null;
  max: number | null;
}

// Averages leave SQL as float8 and are rounded here: numeric rounding in SQL cost more than the rest of the query.
const point = (r: PointRow): HistoryPoint => ({
  ts: r.ts.toISOString(),
  viewers: r.viewers === null ? null : Math.round(r.viewers),
  max: r.max,
});

/**
 * The points of [from, to) (newer than `afterTs` when given), oldest first, at most `limit` per series
 * (the oldest ones, so a caller pages on with afterTs = the last ts). With `maxPoints`, buckets of
 * `bucketSeconds` aligned on the Unix epoch, each stamped with its start.
 */
export async function readHistory(
  db: Queryable,
  eventId: string,
  window: HistoryWindow,
  opts: HistoryOptions,
): Promise<HistoryResponse> {
  const limit = opts.limit ?? DEFAULT_LIMIT;
  const after = opts.afterTs ?? null;
  const bucketSeconds = opts.maxPoints ? bucketSecondsFor(window, opts.maxPoints) : 0;
  let totalRows: Promise<PointRow[]>;
  let streamRows: Promise<PointRow[]> = Promise.resolve([]);
  if (bucketSeconds) {
    const b = boundsFor(window, after, bucketSeconds);
    totalRows = db.query<PointRow>(TOTAL_BUCKETS, [eventId, ...params(b, bucketSeconds)]);
    if (opts.streams) streamRows = db.query<PointRow>(STREAM_BUCKETS, [eventId, ...params(b, bucketSeconds)]);
  } else {
    totalRows = db.query<PointRow>(TOTAL_RAW, [eventId, window.from, window.to, after, limit]);
    if (opts.streams) streamRows = db.query<PointRow>(STREAM_RAW, [eventId, window.from, window.to, after, limit]);
  }
  const streamIds = opts.streams
    ? db.query<{ id: string }>('select id from streams where event_id = $1 order by position, created_at', [eventId])
    : Promise.resolve([]);
  const [total, perStream, ids] = await Promise.all([totalRows, streamRows, streamIds]);

  const response: HistoryResponse = {
    eventId,
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    bucketSeconds,
    total: total.slice(0, limit).map(point),
  };
  if (opts.streams) {
    const streams: Record<string, HistoryPoint[]> = Object.fromEntries(ids.map((r) => [r.id, []]));
    for (const r of perStream) {
      const series = (streams[r.stream_id!] ??= []);
      if (series.length < limit) series.push(point(r));
    }
    response.streams = streams;
  }
  return response;
}
