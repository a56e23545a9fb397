// The re-check rates and intervals the README promises ("Quota"), each tested with an injected clock so the
// tests pass at any hour: live every tick, upcoming every minute, vanished every 5 minutes, ended every 10
// (regular videos every 30), and the interval stretched only as far as the budget needs until the Pacific
// reset, however near the reset it is.
import { describe, expect, it } from 'vitest';
import type { StreamStatus } from '../wire.ts';
import { nextPacificMidnight, pacificDay } from '../youtube/quota-clock.ts';
import { effectiveIntervalSeconds } from './quota.ts';
import { isDue, type PollableStream, RECHECK_SECONDS } from './schedule.ts';
import { batchVideoIds } from './sources/youtube-api.ts';

const NOW = new Date('2026-05-01T17:00:00Z');
const stream = (status: StreamStatus, secondsAgo: number | null): PollableStream => ({
  id: 's',
  eventId: 'e',
  videoId: 'vidAAAAAAAA',
  status,
  statusReason: null,
  misses: 0,
  lastPolledAt: secondsAgo === null ? null : new Date(NOW.getTime() - secondsAgo * 1000),
});

describe('re-check rates (README "Quota")', () => {
  it.each<[StreamStatus, number]>([
    ['upcoming', 60],
    ['unavailable', 300], // vanished: not returned by YouTube
    ['ended', 600],
    ['not_live', 1800],
  ])('re-checks %s every %i s, and not sooner (1.5 s of timer slack)', (status, every) => {
    expect(RECHECK_SECONDS[status]).toBe(every);
    expect(isDue(stream(status, every), NOW)).toBe(true);
    expect(isDue(stream(status, every - 1.5), NOW)).toBe(true); // a timer a little early still polls it
    expect(isDue(stream(status, every - 2), NOW)).toBe(false);
    expect(isDue(stream(status, 10), NOW)).toBe(false); // one tick later: skipped
  });

  it.each<StreamStatus>(['live', 'live_hidden', 'pending', 'error', 'quota_exceeded', 'api_key_invalid', 'paused'])(
    'polls a %s stream every tick',
    (status) => {
      expect(isDue(stream(status, 0), NOW)).toBe(true);
      expect(isDue(stream(status, 1), NOW)).toBe(true);
    },
  );

  it('polls a stream never polled at once, whatever its status', () => {
    for (const status of Object.keys(RECHECK_SECONDS) as StreamStatus[])
      expect(isDue(stream(status, null), NOW)).toBe(true);
  });

  it('asks about distinct videos, 50 per call', () => {
    const targets = Array.from({ length: 120 }, (_, i) => ({ videoId: `v${i % 101}` }));
    expect(batchVideoIds(targets).map((b) => b.length)).toEqual([50, 50, 1]);
  });
});

/** A whole Pacific day polled by the quota's own rule from `start`: what the README's table promises. */
function pollDay(start: Date, calls: number, base = 10, budget = 10_000) {
  const day = pacificDay(start);
  const resetAt = nextPacificMidnight(start);
  let at = start;
  let used = 0;
  const intervals: number[] = [];
  for (;;) {
    const interval = effectiveIntervalSeconds({
      baseSeconds: base,
      budget,
      used,
      callsPerTick: calls,
      now: at,
      resetAt,
    });
    if (interval === Infinity) break;
    intervals.push(interval);
    used += calls;
    at = new Date(at.getTime() + interval * 1000);
    if (at >= resetAt) break;
  }
  expect(pacificDay(new Date(resetAt.getTime() - 1))).toBe(day);
  return { used, intervals, ranOutAt: at };
}

// Pacific midnight is 08:00 UTC in winter (PST) and 07:00 UTC in summer (PDT).
const MIDNIGHTS = { winter: new Date('2026-01-15T08:00:00Z'), summer: new Date('2026-07-15T07:00:00Z') };

describe('the interval and the daily budget (README "Quota")', () => {
  it.each(Object.entries(MIDNIGHTS))('puts the %s Pacific midnight where the README says', (_season, midnight) => {
    expect(nextPacificMidnight(new Date(midnight.getTime() - 1000))).toEqual(midnight);
    expect(pacificDay(new Date(midnight.getTime() - 1000))).not.toBe(pacificDay(midnight));
  });

  it.each(Object.entries(MIDNIGHTS))(
    '1 or 50 streams (1 call a tick): every 10 s all %s day, 8,640 units',
    (_season, midnight) => {
      const day = pollDay(midnight, 1);
      expect(new Set(day.intervals)).toEqual(new Set([10]));
      expect(day.used).toBe(8640);
    },
  );

  it.each(Object.entries(MIDNIGHTS))(
    '500 streams (10 calls a tick): ≈ 87 s all %s day, ≤ 10,000 units',
    (_s, midnight) => {
      const day = pollDay(midnight, 10);
      expect(Math.min(...day.intervals)).toBeGreaterThanOrEqual(86);
      expect(Math.max(...day.intervals)).toBeLessThanOrEqual(88);
      expect(day.used).toBeLessThanOrEqual(10_000);
      expect(day.used).toBeGreaterThan(9_900); // the budget is used, not wasted
    },
  );

  it('stretches a short configured interval right after Pacific midnight (the 2 s trap: 9 s at 08:00:01 UTC)', () => {
    const justAfter = new Date(MIDNIGHTS.winter.getTime() + 1000);
    const interval = (base: number) =>
      effectiveIntervalSeconds({
        baseSeconds: base,
        budget: 10_000,
        used: 0,
        callsPerTick: 1,
        now: justAfter,
        resetAt: nextPacificMidnight(justAfter),
      });
    // 86,399 s left over 10,000 units: one call every 8.64 s at most, rounded up.
    expect(interval(2)).toBe(9);
    expect(interval(10)).toBe(10);
    // A budget the test servers give themselves (so their 2 s interval never stretches, at any hour).
    expect(
      effectiveIntervalSeconds({
        baseSeconds: 2,
        budget: 1_000_000,
        used: 0,
        callsPerTick: 1,
        now: justAfter,
        resetAt: nextPacificMidnight(justAfter),
      }),
    ).toBe(2);
  });

  it('spends what is left of a day begun with a spent budget evenly until the reset, then starts afresh', () => {
    // 23:00 PST with 9,990 of 10,000 units spent: 10 ticks left for the last hour.
    const late = new Date(MIDNIGHTS.winter.getTime() - 3600_000);
    const resetAt = nextPacificMidnight(late);
    expect(resetAt).toEqual(MIDNIGHTS.winter);
    const args = { baseSeconds: 10, budget: 10_000, callsPerTick: 1, now: late, resetAt };
    expect(effectiveIntervalSeconds({ ...args, used: 9_990 })).toBe(360);
    expect(effectiveIntervalSeconds({ ...args, used: 10_000 })).toBe(Infinity); // wait for the reset
    // One second after the reset a new Pacific day counts from zero.
    const after = new Date(resetAt.getTime() + 1000);
    expect(pacificDay(after)).not.toBe(pacificDay(late));
    expect(effectiveIntervalSeconds({ ...args, used: 0, now: after, resetAt: nextPacificMidnight(after) })).toBe(10);
  });

  it('keeps the promise on the 23- and 25-hour days of the DST changes', () => {
    for (const midnight of [new Date('2026-03-08T08:00:00Z'), new Date('2026-11-01T07:00:00Z')]) {
      const day = pollDay(midnight, 10);
      expect(day.used).toBeLessThanOrEqual(10_000);
      const hours = (nextPacificMidnight(midnight).getTime() - midnight.getTime()) / 3600_000;
      expect([23, 25]).toContain(hours);
    }
  });
});
