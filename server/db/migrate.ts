// Applies the numbered files of sql/ that are not yet recorded, in one transaction, under an
// advisory lock so concurrent starters queue up and the later ones find nothing left to do.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.ts';

const SQL_DIR = fileURLToPath(new URL('../../sql/', import.meta.url));
const MIGRATION_LOCK = 0x4c50_0001; // "LP" + 1: an arbitrary key of ours

export interface Migration {
  version: number;
  name: string;
  text: string;
}

export function readMigrations(dir = SQL_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d+_[\w-]+\.sql$/.test(f))
    .sort()
    .map((name) => ({ version: Number(name.split('_')[0]), name, text: readFileSync(dir + name, 'utf8') }));
}

/** Returns the names of the migrations it applied. */
export async function migrate(db: Db, migrations = readMigrations()): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    // A migration may rewrite a big table (sql/005): the request-sized statement timeout does not apply.
    await tx.query(`set local statement_timeout = 0`);
    await tx.query(`create table if not exists schema_migrations (
      version integer primary key, name text not null, applied_at timestamptz not null default now())`);
    const done = new Set((await tx.query<{ version: number }>('select version from schema_migrations')).map((r) => r.version));
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [m.version, m.name]);
      await tx.exec(m.text);
      applied.push(m.name);
    }
    return applied;
  });
}
