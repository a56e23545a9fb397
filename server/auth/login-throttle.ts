// Password guessing brake: after 5 failed logins from one address within 15 minutes that address gets
// 429 until the oldest of those failures leaves the window. Kept in the database so it holds across instances.
import type { Db, Queryable } from '../db/db.ts';

export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60_000;
const THROTTLE_LOCK = 0x4c50_0003; // "LP" + 3, with the address hash as the second key

export type Attempt<T> = { blocked: true; retryAfterSeconds: number } | { blocked: false; result: T };

/**
 * Runs one login attempt for `address` unless it is blocked. `check` says whether the password was
 * right: a failure is recorded, a success clears the address's count. Attempts from one address are
 * serialised, so parallel guesses cannot all slip in under the limit.
 */
export async function throttledAttempt<T extends { ok: boolean }>(
  db: Db,
  address: string,
  now: Date,
  check: () => T | Promise<T>,
): Promise<Attempt<T>> {
  return db.transaction(async (tx: Queryable) => {
    await tx.query('select pg_advisory_xact_lock($1, hashtext($2))', [THROTTLE_LOCK, address]);
    const windowStart = new Date(now.getTime() - WINDOW_MS);
    const recent = await tx.query<{ failed_at: Date | string }>(
      'select failed_at from login_failures where address = $1 and failed_at > $2 order by failed_at desc limit $3',
      [address, windowStart, MAX_FAILURES],
    );
    if (recent.length >= MAX_FAILURES) {
      const oldest = new Date(recent[MAX_FAILURES - 1].failed_at).getTime();
      return { blocked: true, retryAfterSeconds: Math.max(1, Math.ceil((oldest + WINDOW_MS - now.getTime()) / 1000)) };
    }
    const result = await check();
    if (result.ok) {
      await tx.query('delete from login_failures where address = $1', [address]);
    } else {
      await tx.query('insert into login_failures (address, failed_at) values ($1, $2)', [address, now]);
      await tx.query('delete from login_failures where failed_at <= $1', [windowStart]);
    }
    return { blocked: false, result };
  });
}
