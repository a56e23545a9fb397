// The server's own bookkeeping SQL: the migration runner's lock, the schema_migrations table and what it
// has applied, and the health check's ping.
import type { Queryable } from './db.ts';
import { sql } from './sql.ts';

const MIGRATION_LOCK = 0x4c50_0001; // "LP" + 1: an arbitrary key of ours

/** Waits for the migration lock; it is held until the transaction of `tx` ends. */
export async function lockMigrations(tx: Queryable): Promise<void> {
  await tx.query(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`);
}

/** Lifts the statement timeout until the transaction of `tx` ends (SET takes no parameters: set_config does). */
export async function noStatementTimeout(tx: Queryable): Promise<void> {
  await tx.query(sql`select set_config('statement_timeout', '0', true)`);
}

export async function ensureMigrationsTable(tx: Queryable): Promise<void> {
  await tx.query(sql`create table if not exists schema_migrations (
    version integer primary key, name text not null, applied_at timestamptz not null default now())`);
}

export async function appliedVersions(tx: Queryable): Promise<Set<number>> {
  const rows = await tx.query(sql<{ version: number }>`select version from schema_migrations`);
  return new Set(rows.map((r) => r.version));
}

/** Recorded before the migration runs, so a concurrent starter that slipped past the lock collides on the key. */
export async function recordMigration(tx: Queryable, m: { version: number; name: string }): Promise<void> {
  await tx.query(sql`insert into schema_migrations (version, name) values (${m.version}, ${m.name})`);
}

/** Whether the database answers at all (the health check); throws when it does not. */
export async function ping(db: Queryable): Promise<void> {
  await db.query(sql`select 1`);
}
