// Records the poll interval in force at each published tick into poll_intervals, one row per change,
// for the stats' coverage cap. Fed from the poller's publish path (services.ts), so the poller itself is
// untouched. While the database is down the changes wait here, in order, and go with the next tick.
import type { Queryable } from '../db/db.ts';
import { log } from '../log.ts';
import { recordIntervals } from './queries.ts';

// A change a minute for a week is far more than the quota's stretching makes; past this the oldest go.
const MAX_PENDING = 10_000;

export function createIntervalLog(db: Queryable) {
  let last: number | null = null;
  let pending: { since: Date; seconds: number }[] = [];
  let writing: Promise<void> = Promise.resolve();

  async function flush() {
    const batch = pending;
    if (batch.length === 0) return;
    try {
      await recordIntervals(db, batch);
      pending = pending.slice(batch.length);
    } catch (error) {
      // Kept for the next tick; the stats use the configured interval until then.
      if (pending.length > MAX_PENDING) pending = pending.slice(-MAX_PENDING);
      log('warn', 'poll_interval_unrecorded', String(error), { waiting: pending.length });
    }
  }

  return {
    /** The interval (s) in force for the tick at `ts`; written when it differs from the one before. */
    tick(ts: Date, seconds: number): Promise<void> {
      if (seconds !== last && seconds > 0) {
        last = seconds;
        pending.push({ since: ts, seconds });
      }
      writing = writing.then(flush);
      return writing;
    },
  };
}
