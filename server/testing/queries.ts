// For tests and benches only: the SQL they need beside the product's queries. Seeding an event with
// streams and samples (generated inside the database with generate_series, so a million rows take
// seconds, or given row by row for exact cases), looking at what was stored, putting rows into states a
// test needs, and making and dropping the test databases themselves.
import type { Queryable } from '../db/db.ts';
import { sql } from '../db/sql.ts';

// --- seeding ---

export interface SeedStream {
  id: string;
  videoId?: string;
  label?: string;
}

/** An event named `Event <id>` with embed key `key-<id>`, and its streams in the order given. */
export async function seedEvent(db: Queryable, eventId: string, streams: SeedStream[], isPublic = true): Promise<void> {
  await db.query(sql`insert into events (id, name, public, embed_key)
    values (${eventId}, ${`Event ${eventId}`}, ${isPublic}, ${`key-${eventId}`})`);
  if (streams.length === 0) return;
  const ids = streams.map((s) => s.id);
  const videos = streams.map((s, i) => s.videoId ?? `vid${String(i).padStart(8, '0')}`);
  const labels = streams.map((s) => s.label ?? s.id);
  const positions = streams.map((_, i) => i);
  await db.query(sql`insert into streams (id, event_id, video_id, label, position)
    select s.id, ${eventId}, s.video, s.label, s.pos
      from unnest(${ids}::text[], ${videos}::text[], ${labels}::text[], ${positions}::int[]) as s(id, video, label, pos)`);
}

/**
 * `ticks` samples every `everySeconds` from `start` for every stream of the event: stream k at tick i
 * has (i * 7 + k * 13) % 1000 viewers, and the total is their sum.
 */
export async function seedTicks(
  db: Queryable,
  eventId: string,
  start: Date,
  ticks: number,
  everySeconds: number,
): Promise<void> {
  const step = sql`${everySeconds}::int * interval '1 second'`;
  await db.query(sql`insert into stream_samples (event_id, stream_id, ts, viewers)
    select ${eventId}, s.id, ${start}::timestamptz + i * ${step}, (i * 7 + s.position * 13) % 1000
      from generate_series(0, ${ticks}::int - 1) as i cross join streams s where s.event_id = ${eventId}`);
  await db.query(sql`insert into samples (event_id, ts, total)
    select ${eventId}, ts, sum(viewers)::bigint from stream_samples
     where event_id = ${eventId} and ts >= ${start} and ts < ${start}::timestamptz + ${ticks}::int * ${step}
     group by ts`);
}

export interface SeedRow {
  streamId: string;
  ts: string;
  viewers: number | null;
}

/** Exact stream rows, and totals as the sum of the non-hidden counts of each tick (as the poller does). */
export async function seedRows(db: Queryable, eventId: string, rows: SeedRow[]): Promise<void> {
  const streams = rows.map((r) => r.streamId);
  const times = rows.map((r) => r.ts);
  const viewers = rows.map((r) => r.viewers);
  await db.query(sql`insert into stream_samples (event_id, stream_id, ts, viewers)
    select ${eventId}, s, t, v from unnest(${streams}::text[], ${times}::timestamptz[], ${viewers}::bigint[]) as u(s, t, v)`);
  await db.query(sql`insert into samples (event_id, ts, total)
    select ${eventId}, t, coalesce(sum(v), 0)::bigint from unnest(${times}::timestamptz[], ${viewers}::bigint[]) as u(t, v)
     group by t`);
}

/** seedTicks in slices of `perCall` ticks, so each statement stays well inside statement_timeout on a loaded machine. */
export async function seedTicksInSlices(
  db: Queryable,
  eventId: string,
  start: Date,
  ticks: number,
  everySeconds: number,
  perCall = 5_000,
): Promise<void> {
  for (let done = 0; done < ticks; done += perCall) {
    await seedTicks(
      db,
      eventId,
      new Date(start.getTime() + done * everySeconds * 1000),
      Math.min(perCall, ticks - done),
      everySeconds,
    );
  }
}

// --- what was stored ---

/** The event's total samples, oldest first. */
export async function storedSamples(db: Queryable, eventId: string): Promise<{ ts: Date; total: number }[]> {
  return db.query(
    sql<{ ts: Date; total: number }>`select ts, total from samples where event_id = ${eventId} order by ts`,
  );
}

/** The times (epoch ms) of the event's samples after `after`, oldest first: the ids SSE gives them. */
export async function sampleMsAfter(db: Queryable, eventId: string, after: Date): Promise<number[]> {
  const rows = await db.query(
    sql<{ ms: number }>`select (extract(epoch from ts) * 1000)::float8 as ms from samples
      where event_id = ${eventId} and ts > ${after} order by ts`,
  );
  return rows.map((r) => r.ms);
}

export async function totalAt(db: Queryable, eventId: string, ts: Date): Promise<number | undefined> {
  const [row] = await db.query(
    sql<{ total: number }>`select total from samples where event_id = ${eventId} and ts = ${ts}`,
  );
  return row?.total;
}

export async function distinctTotals(db: Queryable, eventId: string): Promise<{ total: number }[]> {
  return db.query(sql<{ total: number }>`select distinct total from samples where event_id = ${eventId}`);
}

export async function sampleCount(db: Queryable): Promise<number> {
  const [row] = await db.query(sql<{ n: number }>`select count(*)::int as n from samples`);
  return row.n;
}

export async function streamSampleCount(db: Queryable, eventId: string): Promise<number> {
  const [row] = await db.query(
    sql<{ n: number }>`select count(*)::int as n from stream_samples where event_id = ${eventId}`,
  );
  return row.n;
}

/** Quota units spent on all days together. */
export async function quotaUnitsSpent(db: Queryable): Promise<number> {
  const [row] = await db.query(sql<{ units: number }>`select coalesce(sum(units), 0)::int as units from quota_usage`);
  return row.units;
}

/** Everything a request could change in the admin's tables, as one comparable text. */
export async function adminTablesSnapshot(db: Queryable): Promise<string> {
  return JSON.stringify([
    await db.query(sql`select * from events order by id`),
    await db.query(sql`select id, label from streams order by id`),
    await db.query(sql`select count(*)::int from export_jobs`),
  ]);
}

// --- sign-in state ---

export async function clearLoginFailures(db: Queryable): Promise<void> {
  await db.query(sql`delete from login_failures`);
}

export async function spentIdCount(db: Queryable): Promise<number> {
  const [row] = await db.query(sql<{ n: number }>`select count(*)::int as n from used_magic_links`);
  return row.n;
}

// --- rows put into the state a test needs ---

/** Every stream of every event in `status`, as the poller would leave them. */
export async function setAllStreamsStatus(db: Queryable, status: string, reason: string | null): Promise<void> {
  await db.query(sql`update streams set status = ${status}, status_reason = ${reason}`);
}

export async function deleteAllJobs(db: Queryable): Promise<void> {
  await db.query(sql`delete from export_jobs`);
}

export async function jobClaimedBy(db: Queryable, id: string): Promise<string | null | undefined> {
  const [row] = await db.query(sql<{ claimed_by: string | null }>`select claimed_by from export_jobs where id = ${id}`);
  return row?.claimed_by;
}

export async function jobStates(db: Queryable): Promise<string[]> {
  return (await db.query(sql<{ state: string }>`select state from export_jobs`)).map((r) => r.state);
}

export async function jobExists(db: Queryable, id: string): Promise<boolean> {
  return (await db.query(sql`select 1 from export_jobs where id = ${id}`)).length > 0;
}

/** As if the job's runner last reported `ms` ago. */
export async function ageJobHeartbeat(db: Queryable, id: string, ms: number): Promise<void> {
  await db.query(
    sql`update export_jobs set updated_at = now() - ${ms}::int * interval '1 millisecond' where id = ${id}`,
  );
}

/** As if the job's time to live ran out a second ago. */
export async function expireJob(db: Queryable, id: string): Promise<void> {
  await db.query(sql`update export_jobs set expires_at = now() - interval '1 second' where id = ${id}`);
}

// --- the session and the server ---

/** Runs `pg_sleep` past a statement timeout set for this transaction only (`tx` must be a transaction). */
export async function sleepPastTimeout(tx: Queryable, timeoutMs: number, sleepSeconds: number): Promise<void> {
  await tx.query(sql`select set_config('statement_timeout', ${String(timeoutMs)}, true)`);
  await tx.query(sql`select pg_sleep(${sleepSeconds})`);
}

/** Ends every session on `database` but the caller's (PostgreSQL only); how many there were. */
export async function terminateSessionsOf(db: Queryable, database: string): Promise<number> {
  const [row] = await db.query(
    sql<{ n: number }>`select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
      where datname = ${database} and pid <> pg_backend_pid()`,
  );
  return row.n;
}

/** Takes a session-level advisory lock if it is free (PostgreSQL only), as another instance's poller would. */
export async function tryAdvisoryLock(db: Queryable, key: number): Promise<boolean> {
  const [row] = await db.query(sql<{ ok: boolean }>`select pg_try_advisory_lock(${key}) as ok`);
  return row.ok;
}

// --- test databases (PostgreSQL) ---

/** Serialises template creation across parallel test workers, until the transaction of `tx` ends. */
export async function lockTemplateCreation(tx: Queryable): Promise<void> {
  await tx.query(sql`select pg_advisory_xact_lock(7401)`);
}

export async function databaseExists(db: Queryable, name: string): Promise<boolean> {
  return (await db.query(sql`select 1 from pg_database where datname = ${name}`)).length > 0;
}

export async function createDatabase(db: Queryable, name: string, template?: string): Promise<void> {
  await db.query(sql`create database ${sql.id(name)}${template ? sql` template ${sql.id(template)}` : sql``}`);
}

export async function dropDatabase(db: Queryable, name: string): Promise<void> {
  await db.query(sql`drop database if exists ${sql.id(name)} with (force)`);
}
