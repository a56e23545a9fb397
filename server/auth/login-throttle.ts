// Password guessing brake, kept in the database so it holds across instances. Per address: after 5 failed
// logins within 15 minutes that address gets 429 until the oldest of those failures leaves the window.
// For everyone: beyond 20 failures within 15 minutes from all addresses together (an attacker with many
// addresses), each further attempt waits after the last failure, 1 s doubling every 5 failures, up to
// 5 minutes. The admin still gets in with `npm run magic-link`, which this brake does not touch.
import type { Db, Queryable } from '../db/db.ts';
import { clearFailures, failuresSince, lockLoginChecks, recentFailures, recordFailure } from './queries.ts';

export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60_000;
export const GLOBAL_FREE_FAILURES = 20;
const GLOBAL_DOUBLING = 5;
const GLOBAL_FIRST_MS = 1000;
const GLOBAL_MAX_MS = 5 * 60_000;
const THROTTLE_LOCK = 0x4c50_0003; // "LP" + 3; the second key 0 serialises every login check

export type Attempt<T> =
  | { blocked: true; scope: 'address' | 'global'; retryAfterSeconds: number }
  | { blocked: false; result: T };

/** How long after the last failure anyone's next attempt waits, with `failures` in the window from all addresses. */
export function globalDelayMs(failures: number): number {
  if (failures < GLOBAL_FREE_FAILURES) return 0;
  return Math.min(
    GLOBAL_MAX_MS,
    GLOBAL_FIRST_MS * 2 ** Math.floor((failures - GLOBAL_FREE_FAILURES) / GLOBAL_DOUBLING),
  );
}

/** The brake in force for `address` at `now`, if any. */
async function brake(
  q: Queryable,
  address: string,
  now: Date,
): Promise<{ scope: 'address' | 'global'; retryAfterSeconds: number } | null> {
  const windowStart = new Date(now.getTime() - WINDOW_MS);
  const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
  const recent = await recentFailures(q, address, windowStart, MAX_FAILURES);
  if (recent.length >= MAX_FAILURES) {
    const oldest = recent[MAX_FAILURES - 1].getTime();
    return { scope: 'address', retryAfterSeconds: seconds(oldest + WINDOW_MS - now.getTime()) };
  }
  const all = await failuresSince(q, windowStart);
  const delay = globalDelayMs(all.n);
  const until = all.last === null ? 0 : all.last.getTime() + delay;
  return delay > 0 && until > now.getTime()
    ? { scope: 'global', retryAfterSeconds: seconds(until - now.getTime()) }
    : null;
}

/**
 * Runs one login attempt for `address` unless a brake holds. `check` says whether the password was right:
 * a failure is recorded, a success clears the address's count. Checks are serialised across instances,
 * so parallel guesses cannot all slip in under a limit; a request already braked is answered before it
 * queues for that lock, so a flood of them holds no database connection long.
 */
export async function throttledAttempt<T extends { ok: boolean }>(
  db: Db,
  address: string,
  now: Date,
  check: () => T | Promise<T>,
): Promise<Attempt<T>> {
  const early = await brake(db, address, now);
  if (early) return { blocked: true, ...early };
  return db.transaction(async (tx: Queryable) => {
    await lockLoginChecks(tx, THROTTLE_LOCK);
    const braked = await brake(tx, address, now);
    if (braked) return { blocked: true, ...braked };
    const result = await check();
    if (result.ok) {
      await clearFailures(tx, address);
    } else {
      await recordFailure(tx, address, now, new Date(now.getTime() - WINDOW_MS));
    }
    return { blocked: false, result };
  });
}
