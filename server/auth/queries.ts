// The SQL of signing in and of read access: failed logins (the brake), spent token ids, and the access
// settings of events (public flag, embed key).
import type { Queryable } from '../db/db.ts';
import { sql } from '../db/sql.ts';

// --- failed logins (login-throttle.ts) ---

/** Serialises every login check across instances until the transaction of `tx` ends. */
export async function lockLoginChecks(tx: Queryable, key: number): Promise<void> {
  await tx.query(sql`select pg_advisory_xact_lock(${key}, 0)`);
}

/** The newest `limit` failures of `address` after `since`, newest first. */
export async function recentFailures(q: Queryable, address: string, since: Date, limit: number): Promise<Date[]> {
  const rows = await q.query(
    sql<{ failed_at: Date | string }>`select failed_at from login_failures
      where address = ${address} and failed_at > ${since} order by failed_at desc limit ${limit}`,
  );
  return rows.map((r) => new Date(r.failed_at));
}

/** How many failures from all addresses after `since`, and the last of them. */
export async function failuresSince(q: Queryable, since: Date): Promise<{ n: number; last: Date | null }> {
  const [row] = await q.query(
    sql<{ n: number; last: Date | string | null }>`select count(*)::int as n, max(failed_at) as last
      from login_failures where failed_at > ${since}`,
  );
  return { n: row.n, last: row.last === null ? null : new Date(row.last) };
}

export async function clearFailures(tx: Queryable, address: string): Promise<void> {
  await tx.query(sql`delete from login_failures where address = ${address}`);
}

/** Records a failure and forgets those that left the window (at or before `forgetBefore`). */
export async function recordFailure(tx: Queryable, address: string, at: Date, forgetBefore: Date): Promise<void> {
  await tx.query(sql`insert into login_failures (address, failed_at) values (${address}, ${at})`);
  await tx.query(sql`delete from login_failures where failed_at <= ${forgetBefore}`);
}

// --- spent token ids: single-use magic links once spent, and sessions after logout ---
// One table (used_magic_links) for both; a row is needed only until its token would expire anyway.

export async function isSpent(db: Queryable, jti: string): Promise<boolean> {
  return (await db.query(sql`select 1 from used_magic_links where jti = ${jti}`)).length > 0;
}

/** Marks an id spent; of any number of parallel calls for one id, exactly one returns true. */
export async function spend(db: Queryable, jti: string, exp: number): Promise<boolean> {
  const rows = await db.query(
    sql`insert into used_magic_links (jti, expires_at) values (${jti}, to_timestamp(${exp}))
        on conflict (jti) do nothing returning jti`,
  );
  return rows.length === 1;
}

export async function forgetExpired(db: Queryable): Promise<void> {
  await db.query(sql`delete from used_magic_links where expires_at < now()`);
}

// --- event access settings (access.ts, embed-routes.ts) ---

export interface EventAccessRow {
  id: string;
  public: boolean;
  embed_key: string;
}

/** The access settings of the given events (deleted ones are absent). */
export async function eventAccessRows(db: Queryable, ids: string[]): Promise<EventAccessRow[]> {
  return db.query(sql<EventAccessRow>`select id, public, embed_key from events where id = any(${ids}::text[])`);
}

/** The embed key of one event, or null for an unknown event. */
export async function embedKeyOf(db: Queryable, id: string): Promise<string | null> {
  const [row] = await db.query(sql<{ embed_key: string }>`select embed_key from events where id = ${id}`);
  return row?.embed_key ?? null;
}

/** Replaces the event's embed key (every token signed with the old one stops working); false for an unknown event. */
export async function rotateEmbedKey(db: Queryable, id: string, embedKey: string): Promise<boolean> {
  const rows = await db.query(
    sql`update events set embed_key = ${embedKey}, updated_at = now() where id = ${id} returning id`,
  );
  return rows.length > 0;
}
