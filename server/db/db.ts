// The database seen by the rest of the server: one small interface, two engines behind it
// (PGlite in process, or a PostgreSQL server through the `postgres` client), one set of SQL.
export type Row = Record<string, unknown>;

export interface Queryable {
  /** Runs one statement; values are always bound parameters ($1, $2, …), never spliced into the text. */
  query<T = Row>(text: string, params?: readonly unknown[]): Promise<T[]>;
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
  listen(channel: string, onMessage: (payload: string) => void, onResubscribe?: () => void): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
  /**
   * Streams `COPY (select) TO STDOUT (FORMAT csv)`. COPY takes no bind parameters, so the select
   * reads its inputs with current_setting('livepulse.<name>') and `settings` supplies them as bound values.
   */
  copyCsv(select: string, settings: Record<string, string>, options?: { delimiter?: ',' | ';' }): AsyncIterable<Uint8Array>;
  /** Tries to take a session advisory lock on a dedicated connection; null when another session holds it. */
  tryLeadership(key: number): Promise<Leadership | null>;
  close(): Promise<void>;
}

export function settingName(name: string): string {
  if (!/^[a-z_]+$/.test(name)) throw new Error(`bad setting name ${name}`);
  return `livepulse.${name}`;
}
