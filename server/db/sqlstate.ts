// What a database error means for the caller: passing trouble (answer 503 and retry, keep a tick queued)
// or a refusal of the data itself (retrying the same values can never succeed). The one place that reads
// SQLSTATEs (PostgreSQL appendix A) and the client libraries' own connection error codes.

/** The SQLSTATE of a server error, or null for errors that never reached the server. */
export function sqlstate(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

// postgres.js and Node name connection failures with their own codes (no SQLSTATE: nothing answered).
const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

export type DbTrouble = 'db_timeout' | 'db_busy' | 'db_unavailable';

/**
 * Passing database trouble, as the API names it, or null for anything else:
 * - db_timeout: 57014, a statement cancelled (statement_timeout, or a cancel request);
 * - db_unavailable: class 08 (connection exceptions), 57P01–57P05 (admin/crash shutdown, cannot connect
 *   now, database dropped, idle session timeout), 53 (insufficient resources: 53300 too many connections,
 *   disk full, out of memory), 58 (system and I/O errors), 25006 (a read-only server after a failover),
 *   28 (the server refused our login: a rotated password) and 3D000 (the database is gone), and every
 *   connection failure the client reports without a SQLSTATE;
 * - db_busy: 55000/55006/55P03 (object not in prerequisite state, in use, lock not available) and class
 *   40 (serialization failure, deadlock): the same request can succeed a moment later.
 */
export function dbTrouble(error: unknown): DbTrouble | null {
  const state = sqlstate(error);
  if (state) {
    if (state === '57014') return 'db_timeout';
    if (/^(08|28|53|58|57P0)/.test(state) || state === '25006' || state === '3D000') return 'db_unavailable';
    if (/^(55|40)/.test(state)) return 'db_busy';
    return null;
  }
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONNECTION_CODES.has(code) ? 'db_unavailable' : null;
}

/**
 * True when the server refused the values themselves or the statement: a SQLSTATE that is not passing
 * trouble (class 22 data exception, 23 integrity constraint, and any other definite refusal). Errors
 * without a SQLSTATE are never refusals: the server may not have seen the statement at all.
 */
export function refusedData(error: unknown): boolean {
  return sqlstate(error) !== null && dbTrouble(error) === null;
}
