// The database seen by the rest of the server: one small interface, two engines behind it
// (PGlite in process, or a PostgreSQL server through the `postgres` client), one set of SQL.
import { compile, Sql, SqlError } from './sql.ts';

export type Row = Record<string, unknown>;

export interface Queryable {
  /** Runs one statement built with the `sql` template (its values are bound parameters, never spliced). */
  query<T = Row>(query: Sql<T>): Promise<T[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

/** A held session-level advisory lock; released by `release()` or when its connection dies. */
export interface Leadership {
  /** Resolves when the connection holding the lock is lost (the lock is then gone too). */
  readonly lost: Promise<void>;
  release(): Promise<void>;
}

export interface Db extends Queryable {
  readonly engine: 'embedded' | 'postgres';
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** LISTEN; `onResubscribe` runs after a reconnect so the caller can catch up on what it missed. */
  listen(
    channel: string,
    onMessage: (payload: string) => void,
    onResubscribe?: () => void,
  ): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
  /**
   * Streams `COPY (select) TO STDOUT (FORMAT csv)`. COPY takes no bind parameters, so each value of a
   * `sql` select is read with current_setting('livepulse.p<n>') (text: cast it in the query, as in
   * `${from}::timestamptz`) and bound with set_config on the same session first.
   */
  copyCsv(select: Sql<unknown>, options?: CopyOptions): AsyncIterable<Uint8Array>;
  /** Tries to take a session advisory lock on a dedicated connection; null when another session holds it. */
  tryLeadership(key: number): Promise<Leadership | null>;
  close(): Promise<void>;
}

export interface CopyOptions {
  delimiter?: ',' | ';';
}

export function settingName(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad setting name ${name}`);
  return `livepulse.${name}`;
}

/** copyCsv's select as text and the settings it reads (the engines' common first step). */
export function copyInputs(
  select: Sql<unknown>,
  options: CopyOptions = {},
): { select: string; settings: Record<string, string>; options: CopyOptions } {
  if (!(select instanceof Sql)) throw new SqlError('build SQL with the sql template: plain text is not run');
  const settings: Record<string, string> = {};
  const { text } = compile(select, (n) => {
    if (select.values[n - 1] === null) return 'null'; // a constant: nothing of the caller's is spliced
    settings[`p${n}`] = settingText(select.values[n - 1]);
    return `current_setting('${settingName(`p${n}`)}')`;
  });
  return { select: text, settings, options };
}

function settingText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
    return String(value);
  // A setting is one text: arrays and bytes have no text form worth guessing.
  throw new SqlError(
    `COPY can only read text, number, boolean, date and null values, not ${Array.isArray(value) ? 'an array' : typeof value}`,
  );
}
