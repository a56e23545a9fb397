// Chooses the engine from the configuration: a DATABASE_URL means a PostgreSQL server, none means PGlite in DATA_DIR.
import { join } from 'node:path';
import type { Config } from '../config.ts';
import type { Db } from './db.ts';
import { openEmbedded } from './embedded.ts';
import { migrate } from './migrate.ts';
import { openPostgres } from './postgres.ts';

export async function openDatabase(
  config: Pick<
    Config,
    | 'DATABASE_URL'
    | 'DATA_DIR'
    | 'CSV_MAX_CONCURRENT'
    | 'DB_CONNECT_TIMEOUT_MS'
    | 'DB_STATEMENT_TIMEOUT_MS'
    | 'DB_IDLE_TIMEOUT_SECONDS'
  >,
): Promise<Db> {
  const db = config.DATABASE_URL
    ? openPostgres(config.DATABASE_URL, {
        copyMax: config.CSV_MAX_CONCURRENT,
        connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
        statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
        idleTimeoutSeconds: config.DB_IDLE_TIMEOUT_SECONDS,
      })
    : await openEmbedded(join(config.DATA_DIR));
  try {
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  return db;
}
