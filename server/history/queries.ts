// The SQL of history reads: bucketed and raw points for charts, and the selects that COPY turns into CSV.
import type { Queryable } from '../db/db.ts';
import { sql, type Sql } from '../db/sql.ts';
import type { StreamCells } from './csv-lines.ts';

/**
 * A bucketed read: [rolledFrom, rolledTo) comes from the rollups `width` s wide, [from, rolledFrom) and
 * [rolledTo, to) from the raw rows; only rows newer than `after` when it is set.
 */
export interface BucketRead {
  eventId: string;
  from: Date;
  to: Date;
  after: Date | null;
  rolledFrom: Date;
  rolledTo: Date;
  width: number;
  bucketSeconds: number;
}

const newer = (after: Date | null) => (after ? sql`and ts > ${after}` : sql``);

/** One bucket as SQL hands it over: [start in epoch seconds, average (unrounded), peak], led by the stream id. */
export type TotalBucket = [number, number | null, number | null];
export type StreamBucket = [string, number, number | null, number | null];

// A week is ~13,000 stream buckets: as rows, PGlite's per-row decoding in JS took most of the request
// (~100 ms); as one JSON text, parsed natively, a few ms. The buckets leave SQL ordered by start.
async function asJson<T>(db: Queryable, buckets: Sql, tuple: Sql): Promise<T[]> {
  const [row] = await db.query(sql<{ points: string }>`
    with buckets as (${buckets})
    select coalesce(json_agg(json_build_array(${tuple}) order by ts), '[]')::text as points from buckets`);
  return JSON.parse(row.points) as T[];
}

/**
 * Bucket starts, averages and peaks. When the bucket is the rollup width, each rollup row is a bucket
 * of its own and the raw edges (outside [rolledFrom, rolledTo)) fill buckets no rollup touches, so only
 * the edges are grouped; otherwise a bucket may mix an edge and several rollups and all are grouped.
 */
export function totalBuckets(db: Queryable, r: BucketRead): Promise<TotalBucket[]> {
  const bin = sql`date_bin(${r.bucketSeconds}::int * interval '1 second', ts, timestamptz 'epoch')`;
  // Two ranges, two index range scans (one "or" could scan the whole window).
  const edge = (from: Date, to: Date) => sql`
    select ts, total::bigint as sum, 1 as n, total as max from samples
     where event_id = ${r.eventId} and ts >= ${from} and ts < ${to} ${newer(r.after)}`;
  const raw = sql`${edge(r.from, r.rolledFrom)} union all ${edge(r.rolledTo, r.to)}`;
  const rolled = sql`
    select bucket as ts, sum, n, max from sample_rollups
     where event_id = ${r.eventId} and width = ${r.width} and bucket >= ${r.rolledFrom} and bucket < ${r.rolledTo}`;
  const group = (parts: Sql) =>
    sql`select ${bin} as ts, sum(sum)::float8 / nullif(sum(n), 0) as viewers, max(max) as max from (${parts}) p group by 1`;
  const buckets =
    r.width === r.bucketSeconds
      ? sql`${group(raw)} union all select ts, sum::float8 / nullif(n, 0), max from (${rolled}) p`
      : group(sql`${raw} union all ${rolled}`);
  return asJson(db, buckets, sql`date_part('epoch', ts), viewers, max`);
}

export function streamBuckets(db: Queryable, r: BucketRead): Promise<StreamBucket[]> {
  const bin = sql`date_bin(${r.bucketSeconds}::int * interval '1 second', ts, timestamptz 'epoch')`;
  const edge = (from: Date, to: Date) => sql`
    select stream_id, ts, coalesce(viewers, 0)::bigint as sum, (viewers is not null)::int as n, viewers as max
      from stream_samples
     where event_id = ${r.eventId} and ts >= ${from} and ts < ${to} ${newer(r.after)}`;
  const raw = sql`${edge(r.from, r.rolledFrom)} union all ${edge(r.rolledTo, r.to)}`;
  const rolled = sql`
    select stream_id, bucket as ts, sum, n, max from stream_sample_rollups
     where event_id = ${r.eventId} and width = ${r.width} and bucket >= ${r.rolledFrom} and bucket < ${r.rolledTo}`;
  const group = (parts: Sql) => sql`
    select stream_id, ${bin} as ts, sum(sum)::float8 / nullif(sum(n), 0) as viewers, max(max) as max
      from (${parts}) p group by 1, 2`;
  const buckets =
    r.width === r.bucketSeconds
      ? sql`${group(raw)} union all select stream_id, ts, sum::float8 / nullif(n, 0), max from (${rolled}) p`
      : group(sql`${raw} union all ${rolled}`);
  return asJson(db, buckets, sql`stream_id, date_part('epoch', ts), viewers, max`);
}

/** A raw read: the samples of [from, to) newer than `after` when set, at most `limit` per series. */
export interface RawRead {
  eventId: string;
  from: Date;
  to: Date;
  after: Date | null;
  limit: number;
}

// Raw reads leave SQL as JSON text, each series one string of points ready for the response: forty
// concurrent week-long reads (180,000 points each) as rows of Date-carrying objects, then point objects,
// then the response text, grew the PostgreSQL-backed server by 250–360 MB (history-memory.test.ts), and
// PGlite decoded every row in JS. The text is exactly what JSON.stringify makes of a HistoryPoint.
const pointText = (viewers: Sql) => sql`
  '{"ts":"' || to_char(ts at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
  || '","viewers":' || coalesce(${viewers}::text, 'null') || ',"max":' || coalesce(${viewers}::text, 'null') || '}'`;

/** The total's raw points of [from, to) newer than `after`, oldest first, at most `limit`: a JSON array's inside. */
export async function totalRawText(db: Queryable, r: RawRead): Promise<string> {
  const [row] = await db.query(sql<{ points: string }>`
    select coalesce(string_agg(${pointText(sql`total`)}, ',' order by ts), '') as points from (
      select ts, total from samples
       where event_id = ${r.eventId} and ts >= ${r.from} and ts < ${r.to} ${newer(r.after)}
       order by ts limit ${r.limit}
    ) p`);
  return row.points;
}

/** Each stream's raw points, as for the total: stream id → a JSON array's inside (streams with none are absent). */
export async function streamRawText(db: Queryable, r: RawRead): Promise<Map<string, string>> {
  const rows = await db.query(sql<{ stream_id: string; points: string }>`
    select stream_id, string_agg(${pointText(sql`viewers`)}, ',' order by ts) as points from (
      select stream_id, ts, viewers, row_number() over (partition by stream_id order by ts) as rank
        from stream_samples
       where event_id = ${r.eventId} and ts >= ${r.from} and ts < ${r.to} ${newer(r.after)}
    ) ranked where rank <= ${r.limit} group by stream_id`);
  return new Map(rows.map((r) => [r.stream_id, r.points]));
}

/** The event's stream ids in the order the dashboard shows them. */
export async function streamIds(db: Queryable, eventId: string): Promise<string[]> {
  const rows = await db.query(
    sql<{ id: string }>`select id from streams where event_id = ${eventId} order by position, created_at`,
  );
  return rows.map((r) => r.id);
}

export async function streamCount(db: Queryable, eventId: string): Promise<number> {
  const [row] = await db.query(sql<{ n: number }>`select count(*)::int as n from streams where event_id = ${eventId}`);
  return row?.n ?? 1;
}

export type CsvKind = 'total' | 'streams' | 'stream';

/** What one CSV select reads: the event's rows in [from, to), of one stream for kind 'stream'. */
export interface CsvSlice {
  eventId: string;
  kind: CsvKind;
  streamId: string;
  from: Date;
  to: Date;
}

// OWASP: a spreadsheet runs a cell starting with = + - @ tab or CR as a formula, quoted or not; a leading ' makes it text.
const SAFE_LABEL = sql`case when left(label, 1) in ('=', '+', '-', '@', chr(9), chr(13)) then '''' || label else label end`;

/** The cells of the streams a CSV names: all of the event's, or the one of kind 'stream'. */
export function csvStreams(db: Queryable, s: Pick<CsvSlice, 'eventId' | 'kind' | 'streamId'>): Promise<StreamCells[]> {
  const which = s.kind === 'stream' ? sql`id = ${s.streamId}` : sql`event_id = ${s.eventId}`;
  return db.query(
    sql<StreamCells>`select id, coalesce(video_id, '') as "videoId", ${SAFE_LABEL} as label, platform
                       from streams where ${which}`,
  );
}

/**
 * The compact rows COPY writes for a CSV: epoch seconds (float8 text, exact to the microsecond), then
 * the stream id and its count, or the total; server/history/csv-lines.ts makes the lines. COPY takes
 * no bind parameters: Db.copyCsv hands each value over as a text setting, so every value is cast here.
 */
export function csvSelect(s: CsvSlice): Sql {
  const inWindow = sql`x.event_id = ${s.eventId}::text and x.ts >= ${s.from}::timestamptz and x.ts < ${s.to}::timestamptz`;
  if (s.kind === 'total')
    return sql`select date_part('epoch', x.ts), x.total from samples x where ${inWindow} order by x.ts`;
  if (s.kind === 'streams')
    return sql`select date_part('epoch', x.ts), x.stream_id, x.viewers, x.source
                 from stream_samples x where ${inWindow} order by x.ts, x.stream_id`;
  return sql`select date_part('epoch', x.ts), x.stream_id, x.viewers, x.source
               from stream_samples x where ${inWindow} and x.stream_id = ${s.streamId}::text order by x.ts`;
}
