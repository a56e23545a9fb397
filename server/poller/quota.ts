// YouTube quota: the poll interval that makes what is left of the daily budget last until the reset
// (the units spent per Pacific-time day are persisted by queries.ts, so a restart does not forget).
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
