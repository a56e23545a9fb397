import { describe, expect, it } from 'vitest';
import { effectiveIntervalSeconds } from './quota.ts';

const now = new Date('2026-05-01T17:00:00Z'); // 10:00 PDT: 14 h before the reset
const resetAt = new Date('2026-05-02T07:00:00Z');

describe('effectiveIntervalSeconds', () => {
  it('keeps the configured interval while the budget lasts at that pace', () => {
    // 14 h at 10 s is 5,040 ticks; 9,000 units left.
    expect(effectiveIntervalSeconds({ baseSeconds: 10, budget: 10_000, used: 1_000, callsPerTick: 1, now, resetAt })).toBe(10);
  });

  it('stretches the interval so the remaining units last until the reset', () => {
    // 10 calls per tick (500 streams), 8,000 units left: 800 ticks over 50,400 s → 63 s.
    expect(effectiveIntervalSeconds({ baseSeconds: 10, budget: 10_000, used: 2_000, callsPerTick: 10, now, resetAt })).toBe(63);
  });

  it('is infinite when less than one tick is affordable', () => {
    expect(effectiveIntervalSeconds({ baseSeconds: 10, budget: 100, used: 95, callsPerTick: 10, now, resetAt })).toBe(Infinity);
  });

  it('is the base interval when nothing is polled', () => {
    expect(effectiveIntervalSeconds({ baseSeconds: 10, budget: 100, used: 100, callsPerTick: 0, now, resetAt })).toBe(10);
  });
});
