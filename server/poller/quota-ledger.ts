// The quota units spent today as the poller counts them: what the database says, plus what it could not
// be told yet (units of lookups made while it was down, units of ticks waiting in the write queue).
import type { Queryable } from '../db/db.ts';
import { addUnits, unitsUsed } from './queries.ts';

export function createQuotaLedger(db: Queryable, queuedUnits: (day: string) => number) {
  /** Units spent on lookups while the database was down. */
  let unrecorded = 0;
  /** What the database said last, used while it is down. */
  let last = { day: '', units: 0 };
  return {
    async record(day: string, units: number): Promise<void> {
      try {
        await addUnits(db, day, units);
      } catch {
        unrecorded += units; // counted in memory until the database is back
      }
    },
    async usedOn(day: string): Promise<number> {
      try {
        last = { day, units: await unitsUsed(db, day) };
      } catch {
        // Database down: what it said last, plus what waits in the write queue.
      }
      return (last.day === day ? last.units : 0) + unrecorded + queuedUnits(day);
    },
  };
}

export type QuotaLedger = ReturnType<typeof createQuotaLedger>;
