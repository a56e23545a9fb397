// YouTube quota: units spent per Pacific-time day (persisted, so a restart does not forget), and the
// poll interval that makes what is left of the daily budget last until the reset.
import type { Queryable } from '../db/db.ts';
import { sql } from '../db/sql.ts';

export async function unitsUsed(db: Queryable, day: string): Promise<number> {
  const [row] = await db.query(sql<{ units: number }>`select units from quota_usage where day = ${day}::date`);
  return row?.units ?? 0;
}

export async function addUnits(db: Queryable, day: string, units: number): Promise<void> {
  await db.query(sql`insert into quota_usage (day, units) values (${day}::date, ${units})
    on conflict (day) do update set units = quota_usage.units + excluded.units`);
}

/** After a quotaExceeded answer: the day counts as spent whatever our own count said. */
export async function markDaySpent(db: Queryable, day: string, budget: number): Promise<void> {
  await db.query(sql`insert into quota_usage (day, units) values (${day}::date, ${budget})
    on conflict (day) do update set units = greatest(quota_usage.units, excluded.units)`);
}

/**
 * The larger of the configured interval and the interval at which `callsPerTick` calls per tick
 * spend exactly the remaining budget by the reset. Infinity when nothing is left.
 */
export function effectiveIntervalSeconds(p: {
  baseSeconds: number;
  budget: number;
  used: number;
  callsPerTick: number;
  now: Date;
  resetAt: Date;
}): number {
  if (p.callsPerTick <= 0) return p.baseSeconds;
  const remaining = p.budget - p.used;
  if (remaining < p.callsPerTick) return Infinity;
  const secondsLeft = Math.max(0, (p.resetAt.getTime() - p.now.getTime()) / 1000);
  const ticksAffordable = Math.floor(remaining / p.callsPerTick);
  return Math.max(p.baseSeconds, Math.ceil(secondsLeft / ticksAffordable));
}
