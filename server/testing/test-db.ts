// For tests only: fresh, migrated databases on each engine the run has. PGlite ones are cloned from a
// migrated template dump (about 1 s instead of 3–5 s to create); PostgreSQL ones are created from a
// migrated template database and dropped afterwards.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { Db } from '../db/db.ts';
import { openEmbedded, wrapPGlite } from '../db/embedded.ts';
import { migrate, readMigrations } from '../db/migrate.ts';
import { openPostgres } from '../db/postgres.ts';
import { createDatabase, databaseExists, dropDatabase, lockTemplateCreation } from './queries.ts';

export type Engine = 'embedded' | 'postgres';

/** PGlite always; the PostgreSQL server too when TEST_DATABASE_URL is set (as CI does). */
export const engines: Engine[] = process.env.TEST_DATABASE_URL ? ['embedded', 'postgres'] : ['embedded'];

const schemaHash = createHash('sha256')
  .update(
    readMigrations()
      .map((m) => m.name + m.text)
      .join('\n'),
  )
  .digest('hex')
  .slice(0, 12);

async function embeddedTemplate(): Promise<Blob> {
  const file = join(tmpdir(), `livepulse-template-${schemaHash}.tar.gz`);
  if (!existsSync(file)) {
    const pg = await PGlite.create('memory://');
    await migrate(wrapPGlite(pg));
    const dump = await pg.dumpDataDir('gzip');
    await pg.close();
    const tmp = `${file}.${process.pid}`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, file);
  }
  return new Blob([readFileSync(file)]);
}

let templateDbReady: Promise<string> | undefined;

function adminUrl(): string {
  return process.env.TEST_DATABASE_URL!;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function postgresTemplate(): Promise<string> {
  const name = `lp_template_${schemaHash}`;
  // Two connections: one holds the lock's transaction while the other runs CREATE DATABASE, which
  // cannot run inside a transaction (with one, the second statement waits for the first forever).
  const admin = openPostgres(adminUrl(), { max: 2, statementTimeoutMs: 0 });
  try {
    await admin.transaction(async (tx) => {
      await lockTemplateCreation(tx);
      if (await databaseExists(tx, name)) return;
      await createDatabase(admin, name);
      const db = openPostgres(withDatabase(adminUrl(), name), { max: 1 });
      await migrate(db);
      await db.close();
    });
  } finally {
    await admin.close();
  }
  return name;
}

/**
 * Test pools wait up to 10 s for a connection, not the product's 1 s (issue 13: answer fast when the database
 * is gone): at the start of a CI run the machine is at load ~20 and a connection to a healthy server took
 * longer than 1 s (CI: `write CONNECT_TIMEOUT 127.0.0.1:5432` in auth/routes.test.ts). Tests of a database
 * that is gone run real server processes with their own settings.
 */
export const TEST_CONNECT_TIMEOUT_MS = 10_000;

export interface TestDb {
  db: Db;
  /** The database URL (PostgreSQL only), for starting server processes on the same data. */
  url?: string;
  close(): Promise<void>;
}

/** A new database on the PostgreSQL server of `serverUrl` (a copy of `template` when given), dropped by close(). */
export async function scratchPostgres(serverUrl: string, prefix: string, template?: string): Promise<TestDb> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = openPostgres(serverUrl, { max: 1, statementTimeoutMs: 0, connectTimeoutMs: TEST_CONNECT_TIMEOUT_MS });
  await createDatabase(admin, name, template).finally(() => admin.close());
  const url = withDatabase(serverUrl, name);
  const db = openPostgres(url, { max: 4, connectTimeoutMs: TEST_CONNECT_TIMEOUT_MS });
  return {
    db,
    url,
    async close() {
      await db.close();
      const a = openPostgres(serverUrl, { max: 1, statementTimeoutMs: 0, connectTimeoutMs: TEST_CONNECT_TIMEOUT_MS });
      await dropDatabase(a, name).finally(() => a.close());
    },
  };
}

export async function openTestDb(engine: Engine): Promise<TestDb> {
  if (engine === 'embedded') {
    const db = await openEmbedded(null, { loadDataDir: await embeddedTemplate() });
    return { db, close: () => db.close() };
  }
  return scratchPostgres(adminUrl(), 'lp_test', await (templateDbReady ??= postgresTemplate()));
}

/** A fresh, empty (not migrated) database, for migration tests. */
export async function openBlankDb(engine: Engine): Promise<TestDb> {
  if (engine === 'embedded') {
    const db = await openEmbedded(null);
    return { db, close: () => db.close() };
  }
  return scratchPostgres(adminUrl(), 'lp_blank');
}
