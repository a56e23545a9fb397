// For the poller's tests only: what the ticks stored across all events, the quota days, events paused by
// hand, the roll-up bookkeeping, the rollups recomputed from the raw rows to compare with the stored ones,
// and constraints that make the database refuse part of a tick.
import type { Queryable } from '../../db/db.ts';
import { sql } from '../../db/sql.ts';

// --- what the ticks stored ---

/** Every stream's status, by stream id. */
export async function streamStatuses(db: Queryable): Promise<Record<string, string>> {
  const rows = await db.query(sql<{ id: string; status: string }>`select id, status from streams`);
  return Object.fromEntries(rows.map((r) => [r.id, r.status]));
}

/** Each event's total, by event id (meant for a single stored tick). */
export async function totalsByEvent(db: Queryable): Promise<Record<string, number>> {
  const rows = await db.query(sql<{ event_id: string; total: number }>`select event_id, total from samples`);
  return Object.fromEntries(rows.map((r) => [r.event_id, r.total]));
}

/** The total samples of every event, by tick and then event. */
export async function allSamples(db: Queryable): Promise<{ event_id: string; ts: Date; total: number }[]> {
  return db.query(
    sql<{ event_id: string; ts: Date; total: number }>`select event_id, ts, total from samples order by ts, event_id`,
  );
}

/** The stream samples of every event, by tick and then stream. */
export async function allStreamSamples(db: Queryable): Promise<{ stream_id: string; viewers: number | null }[]> {
  return db.query(
    sql<{
      stream_id: string;
      viewers: number | null;
    }>`select stream_id, viewers from stream_samples order by ts, stream_id`,
  );
}

/** Stream samples of all events together. */
export async function allStreamSampleCount(db: Queryable): Promise<number> {
  const [row] = await db.query(sql<{ n: number }>`select count(*)::int as n from stream_samples`);
  return row.n;
}

/** How many tick times the stream samples have (one per tick when a tick stores all its rows at one time). */
export async function streamSampleTickCount(db: Queryable): Promise<number> {
  const [row] = await db.query(sql<{ n: number }>`select count(distinct ts)::int as n from stream_samples`);
  return row.n;
}

/** Quota units by Pacific day (as YYYY-MM-DD), oldest first. */
export async function quotaDays(db: Queryable): Promise<{ day: string; units: number }[]> {
  return db.query(
    sql<{ day: string; units: number }>`select to_char(day, 'YYYY-MM-DD') as day, units from quota_usage order by day`,
  );
}

// --- events paused by hand ---

export async function pauseEvent(db: Queryable, eventId: string): Promise<void> {
  await db.query(sql`update events set paused = true where id = ${eventId}`);
}

export async function unpauseAllEvents(db: Queryable): Promise<void> {
  await db.query(sql`update events set paused = false`);
}

// --- rollups ---

/** As if the database had been migrated at `at`: nothing before it is left to roll up. */
export async function setRollupsDoneUntil(db: Queryable, at: Date): Promise<void> {
  await db.query(sql`update rollups_done set until = ${at}::timestamptz`);
}

export async function rollupsDoneUntil(db: Queryable): Promise<Date> {
  const [row] = await db.query(sql<{ until: Date }>`select until from rollups_done`);
  return row.until;
}

/** Rows stored in the closed part of the stream rollups (the rest is added by the view on read). */
export async function closedStreamRollupRows(db: Queryable): Promise<number> {
  const [row] = await db.query(sql<{ n: number }>`select count(*)::int as n from stream_sample_rollups_closed`);
  return row.n;
}

/** The sample count stored in one closed bucket of an event's total rollup. */
export async function closedRollupCount(
  db: Queryable,
  eventId: string,
  width: number,
  bucket: Date,
): Promise<number | undefined> {
  const [row] = await db.query(
    sql<{
      n: number;
    }>`select n from sample_rollups_closed where event_id = ${eventId} and width = ${width} and bucket = ${bucket}`,
  );
  return row?.n;
}

/** The largest total in an event's rollup of the given width (the first bucket's). */
export async function rollupMax(db: Queryable, eventId: string, width: number): Promise<number | undefined> {
  const [row] = await db.query(
    sql<{ max: number }>`select max from sample_rollups where event_id = ${eventId} and width = ${width}`,
  );
  return row?.max;
}

const WIDTHS = sql`(values (60), (300), (900), (3600)) as w(width)`;

/** The total rollups at every width, computed from the raw samples (numeric sums as the engine returns them). */
export async function totalRollupsFromRaw(db: Queryable): Promise<Record<string, unknown>[]> {
  return db.query(sql`select event_id, w.width, date_bin(w.width * interval '1 second', ts, timestamptz 'epoch') as bucket,
           count(total)::int as n, coalesce(sum(total), 0)::numeric as sum, max(total) as max
      from samples cross join ${WIDTHS} group by 1, 2, 3 order by 1, 2, 3`);
}

/** The total rollups as readers see them (stored and added on read). */
export async function totalRollups(db: Queryable): Promise<Record<string, unknown>[]> {
  return db.query(sql`select event_id, width, bucket, n, sum::numeric, max from sample_rollups order by 1, 2, 3`);
}

/** The stream rollups at every width, computed from the raw stream samples. */
export async function streamRollupsFromRaw(db: Queryable): Promise<Record<string, unknown>[]> {
  return db.query(sql`select event_id, stream_id, w.width,
           date_bin(w.width * interval '1 second', ts, timestamptz 'epoch') as bucket,
           count(viewers)::int as n, coalesce(sum(viewers), 0)::numeric as sum, max(viewers) as max
      from stream_samples cross join ${WIDTHS} group by 1, 2, 3, 4 order by 1, 2, 3, 4`);
}

/** The stream rollups as readers see them. */
export async function streamRollups(db: Queryable): Promise<Record<string, unknown>[]> {
  return db.query(
    sql`select event_id, stream_id, width, bucket, n, sum::numeric, max from stream_sample_rollups order by 1, 2, 3, 4`,
  );
}

// --- the database refusing part of a tick for its data ---

/** A check constraint (class 23) that refuses a total of 4242. */
export async function refuseTotal4242ByCheck(db: Queryable): Promise<void> {
  await db.exec(`alter table samples add constraint poison check (total <> 4242)`);
}

/** A trigger raising class 22 (22023) for a stream sample of 4242 viewers. */
export async function refuseViewers4242ByTrigger(db: Queryable): Promise<void> {
  await db.exec(`create function poison() returns trigger language plpgsql as $$ begin if new.viewers = 4242 then raise exception 'poisoned' using errcode = '22023'; end if; return new; end $$;
       create trigger poison before insert on stream_samples for each row execute function poison()`);
}
