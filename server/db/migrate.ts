// Applies the numbered files of sql/ that are not yet recorded, in one transaction, under an
// advisory lock so concurrent starters queue up and the later ones find nothing left to do.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Db } from './db.ts';
import {
  appliedVersions,
  ensureMigrationsTable,
  lockMigrations,
  noStatementTimeout,
  recordMigration,
} from './queries.ts';

const SQL_DIR = fileURLToPath(new URL('../../sql/', import.meta.url));

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
    await lockMigrations(tx);
    // A migration may rewrite a big table (sql/005): the request-sized statement timeout does not apply.
    await noStatementTimeout(tx);
    await ensureMigrationsTable(tx);
    const done = await appliedVersions(tx);
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await recordMigration(tx, m);
      await tx.exec(m.text);
      applied.push(m.name);
    }
    return applied;
  });
}
