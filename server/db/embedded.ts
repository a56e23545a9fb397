// The embedded engine: PGlite (a real Postgres compiled to WASM) in this process, persisted under DATA_DIR.
// One process only: a lock file refuses a second instance on the same directory instead of corrupting it.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { copyInputs, settingName, type Db, type Queryable } from './db.ts';
import { sql, toStatement, type Sql } from './sql.ts';

export class DataDirBusyError extends Error {}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function takeDirLock(path: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(path, 'utf8'));
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new DataDirBusyError(
          `The embedded database in ${path.replace(/[/\\][^/\\]+$/, '')} is in use by process ${owner}. ` +
            'The embedded database serves one instance only: stop the other one, use another DATA_DIR, ' +
            'or set DATABASE_URL to share a PostgreSQL server between instances.',
        );
      }
      rmSync(path, { force: true }); // left behind by a process that died
    }
  }
  throw new DataDirBusyError(`Could not take the lock ${path}`);
}

/** `dataDir` null keeps everything in memory (tests); `loadDataDir` starts from a dump (test templates). */
export async function openEmbedded(dataDir: string | null, options: { loadDataDir?: Blob } = {}): Promise<Db> {
  let unlock = () => {};
  let pg: PGlite;
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    unlock = takeDirLock(join(dataDir, 'pgdata.lock'));
    try {
      pg = await PGlite.create(join(dataDir, 'pgdata'));
    } catch (error) {
      unlock();
      throw error;
    }
  } else {
    pg = await PGlite.create('memory://', { loadDataDir: options.loadDataDir });
  }
  return wrapPGlite(pg, unlock);
}

/** The Db interface over an open PGlite; `onClose` runs after it is closed. */
export function wrapPGlite(pg: PGlite, onClose: () => void = () => {}): Db {
  const queryable = (q: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    query: async <T>(query: Sql<T>) => {
      const { text, values } = toStatement(query);
      return (await q.query<T>(text, values)).rows;
    },
    exec: async (script: string) => {
      await q.exec(script);
    },
  });
  return {
    engine: 'embedded',
    ...queryable(pg),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => pg.transaction((tx) => fn(queryable(tx))),
    async listen(channel, onMessage) {
      // In one process nothing is ever missed, so there is no resubscribe.
      return pg.listen(channel, onMessage);
    },
    async notify(channel, payload) {
      await queryable(pg).query(sql`select pg_notify(${channel}, ${payload})`);
    },
    async *copyCsv(...args: Parameters<typeof copyInputs>) {
      const {
        select,
        settings,
        options: { delimiter = ',' },
      } = copyInputs(...args);
      // PGlite has no COPY TO STDOUT; '/dev/blob' hands the whole result back as one Blob, so callers
      // keep each call to a bounded slice (see history CSV) to keep memory flat.
      const blob = await pg.transaction(async (tx) => {
        for (const [name, value] of Object.entries(settings)) {
          await queryable(tx).query(sql`select set_config(${settingName(name)}, ${value}, true)`);
        }
        const options = delimiter === ';' ? "(format csv, delimiter ';')" : '(format csv)';
        const result = await tx.query(`copy (${select}) to '/dev/blob' ${options}`);
        return result.blob;
      });
      if (blob && blob.size > 0) yield new Uint8Array(await blob.arrayBuffer());
    },
    tryLeadership() {
      // A single embedded instance is always the leader; its "connection" is never lost while it runs.
      return Promise.resolve({ lost: new Promise<void>(() => {}), release: () => Promise.resolve() });
    },
    async close() {
      try {
        await pg.close();
      } finally {
        onClose();
      }
    },
  };
}
