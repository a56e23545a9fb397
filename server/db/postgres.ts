// The PostgreSQL-server engine: the `postgres` client (porsager) behind the Db interface.
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import postgres from 'postgres';
import { copyInputs, settingName, type Db, type Leadership, type Queryable } from './db.ts';
import { compile, sql, toStatement, type Sql } from './sql.ts';

/** The engine's own statements on a postgres.js connection of its own (locks, settings, notify). */
const run = (s: postgres.Sql | postgres.ReservedSql, query: Sql<unknown>) => {
  const { text, values } = compile(query);
  return s.unsafe(text, values as postgres.ParameterOrJSON<never>[]);
};

export interface PostgresOptions {
  /** Connections of the main pool (API, SSE, poller). */
  max?: number;
  /** Connections of the separate COPY pool (CSV downloads, exports); keep it at the CSV budget. */
  copyMax?: number;
  /** Giving up on a server that accepts but does not answer (postgres.js waits 30 s by default). */
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
  /** Idle pool connections are closed after this (0: never), so a half-dead one is not kept for hours. */
  idleTimeoutSeconds?: number;
}

/** The defaults of server/config.ts, for callers without a configuration (tests, tools). */
const DEFAULTS = { connectTimeoutMs: 1000, statementTimeoutMs: 15_000, idleTimeoutSeconds: 60 };

// postgres.js waits up to 20 s (3^retries / 100) before reconnecting after repeated failures, and a
// request waits with it: half a second at most keeps answers (503 or 200) inside the 2 s promise.
const backoff = (retries: number) => Math.min(0.5, 0.05 * 2 ** retries);

export function openPostgres(url: string, options: PostgresOptions = {}): Db {
  const o = { ...DEFAULTS, ...options };
  const client = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connect_timeout: o.connectTimeoutMs / 1000,
    idle_timeout: o.idleTimeoutSeconds || undefined,
    backoff,
    connection: {
      application_name: 'livepulse',
      statement_timeout: o.statementTimeoutMs,
      // A session left inside a transaction (a client that vanished mid-write) holds its locks no longer than this.
      idle_in_transaction_session_timeout: Math.max(60_000, o.statementTimeoutMs * 2),
    },
    // numeric comes back as a string; such columns are cast in SQL. int8 is read as a JS number, as PGlite
    // does: viewer counts are bigint (sql/005) and never pass 2^53 (15 digits at most, summed in JS).
    types: {
      int8: { to: 20, from: [20], serialize: (x: number | bigint) => String(x), parse: (x: string) => Number(x) },
    },
  });
  // COPYs get a pool of their own: a COPY holds its connection for as long as the client takes to read
  // the file, and with one pool a dozen clients that stop reading took every connection (issue 13).
  // No statement_timeout: a slow but reading client may take minutes; one that stops is cut by the
  // CSV route's stall timer. Idle COPY connections are closed after a minute.
  const copySql = postgres(url, {
    max: options.copyMax ?? 4,
    idle_timeout: 60,
    connect_timeout: o.connectTimeoutMs / 1000,
    backoff,
    onnotice: () => {},
    connection: { application_name: 'livepulse-copy', statement_timeout: 0 },
  });
  const queryable = (s: postgres.Sql | postgres.TransactionSql): Queryable => ({
    query: <T>(query: Sql<T>) => {
      // A refusal is a rejected promise, as every other failure of a query is.
      let statement: ReturnType<typeof toStatement>;
      try {
        statement = toStatement(query);
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
      const { text, values } = statement;
      // postgres.js declares an array's type from its first element (bigint[] as bigint, Date[] as
      // timestamptz), which the server then refuses to cast to an array (porsager/postgres#837): an
      // array goes as "unknown" instead, so the server infers it from the query, as PGlite does.
      const bound = values.map((v) => (Array.isArray(v) ? s.typed(v, 0) : v));
      return s.unsafe(text, bound as postgres.ParameterOrJSON<never>[]) as unknown as Promise<T[]>;
    },
    exec: async (script: string) => {
      await s.unsafe(script).simple();
    },
  });
  return {
    engine: 'postgres',
    ...queryable(client),
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => client.begin((tx) => fn(queryable(tx))) as Promise<T>,
    async listen(channel, onMessage, onResubscribe) {
      let first = true;
      const sub = await client.listen(channel, onMessage, () => {
        if (!first) onResubscribe?.();
        first = false;
      });
      return () => sub.unlisten();
    },
    async notify(channel, payload) {
      await run(client, sql`select pg_notify(${channel}, ${payload})`);
    },
    async *copyCsv(...args: Parameters<typeof copyInputs>) {
      const {
        select,
        settings,
        options: { delimiter = ',' },
      } = copyInputs(...args);
      const conn = await copySql.reserve();
      let stream: Readable | undefined;
      try {
        for (const [name, value] of Object.entries(settings)) {
          await run(conn, sql`select set_config(${settingName(name)}, ${value}, false)`);
        }
        const options = delimiter === ';' ? "(format csv, delimiter ';')" : '(format csv)';
        stream = await conn.unsafe(`copy (${select}) to stdout ${options}`).readable();
        // Not destroyed on an early return: the rest must still be read off the connection.
        for await (const chunk of stream.iterator({ destroyOnReturn: false })) yield chunk as Uint8Array;
      } finally {
        if (stream) await settleCopy(stream);
        await conn.unsafe('reset all').catch(() => {});
        conn.release();
      }
    },
    async tryLeadership(key) {
      // A dedicated single-connection client: the lock lives exactly as long as this connection.
      const lockSql = postgres(url, {
        max: 1,
        onnotice: () => {},
        idle_timeout: 0,
        max_lifetime: null,
        connect_timeout: o.connectTimeoutMs / 1000,
        connection: { application_name: 'livepulse-leader' },
      });
      try {
        const [row] = await run(lockSql, sql`select pg_try_advisory_lock(${key}) as ok`);
        if (!row?.ok) {
          await lockSql.end();
          return null;
        }
      } catch (error) {
        await lockSql.end({ timeout: 1 });
        throw error;
      }
      return watchLock(lockSql, key);
    },
    close: async () => {
      await Promise.all([client.end({ timeout: 2 }), copySql.end({ timeout: 2 })]);
    },
  };
}

/**
 * Leaves the connection of a COPY usable. postgres.js pauses the socket when the stream's buffer is full
 * and resumes it only from the stream's read hook, which never runs again once CopyDone has ended the
 * stream: the CommandComplete and ReadyForQuery behind it would never be read and the reserved
 * connection would hang (porsager/postgres#917). A consumer that stopped early (client gone) leaves
 * the rest of the COPY in flight: it is drained and discarded.
 */
async function settleCopy(stream: Readable) {
  if (!stream.readableEnded && !stream.destroyed) {
    stream.resume();
    await finished(stream).catch(() => {});
  }
  // After the connection died its socket is gone and this read hook throws; the caller must still reach
  // `reset all` and release(), or the reserved connection would leak from the pool for good.
  try {
    (stream as unknown as { _read(size: number): void })._read(0);
  } catch {
    // the connection is closed: the release puts it back to be reconnected
  }
}

function watchLock(lockSql: postgres.Sql, key: number): Leadership {
  let released = false;
  let markLost!: () => void;
  const lost = new Promise<void>((resolve) => (markLost = resolve));
  // The client reconnects silently after a drop, and the server frees the lock with the old
  // connection, so each heartbeat asks whether this very backend still holds it. A heartbeat that
  // fails (database unreachable) changes nothing: nobody else can take the lock meanwhile, and the
  // poller keeps collecting samples into its write queue; the first heartbeat that gets an answer decides.
  let checking = false;
  const heartbeat = async () => {
    if (checking || released) return;
    checking = true;
    try {
      const [row] = await run(
        lockSql,
        sql`select exists(select 1 from pg_locks
              where locktype = 'advisory' and objid = ${key} and pid = pg_backend_pid() and granted) as held`,
      );
      if (!row?.held && !released) {
        released = true;
        clearInterval(timer);
        markLost();
        await lockSql.end({ timeout: 1 }).catch(() => {});
      }
    } catch {
      // unreachable: ask again next time
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void heartbeat(), 1000);
  timer.unref();
  return {
    lost,
    async release() {
      released = true;
      clearInterval(timer);
      await run(lockSql, sql`select pg_advisory_unlock(${key})`).catch(() => {});
      await lockSql.end({ timeout: 1 });
    },
  };
}
