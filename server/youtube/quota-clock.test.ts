import { describe, expect, it } from 'vitest';
import { nextPacificMidnight, pacificDay } from './quota-clock.ts';

describe('pacificDay', () => {
  it.each([
    ['2026-01-15T07:59:59Z', '2026-01-14'], // 23:59:59 PST
    ['2026-01-15T08:00:00Z', '2026-01-15'], // 00:00 PST
    ['2026-07-15T06:59:59Z', '2026-07-14'], // 23:59:59 PDT
    ['2026-07-15T07:00:00Z', '2026-07-15'], // 00:00 PDT
    ['2026-03-08T09:59:59Z', '2026-03-08'], // 01:59:59 PST, the last second before the spring jump
    ['2026-03-08T10:00:00Z', '2026-03-08'], // 03:00 PDT
    ['2026-11-01T08:30:00Z', '2026-11-01'], // 01:30 PDT, first pass
    ['2026-11-01T09:30:00Z', '2026-11-01'], // 01:30 PST, second pass
    ['2026-12-31T23:00:00Z', '2026-12-31'],
    ['2027-01-01T08:00:00Z', '2027-01-01'],
  ])('%s is %s in Pacific Time', (iso, day) => {
    expect(pacificDay(new Date(iso))).toBe(day);
  });
});

describe('nextPacificMidnight', () => {
  it.each([
    // winter: PST, UTC−8
    ['2026-01-15T12:00:00Z', '2026-01-16T08:00:00.000Z'],
    // summer: PDT, UTC−7
    ['2026-07-15T12:00:00Z', '2026-07-16T07:00:00.000Z'],
    // the day DST starts (2026-03-08): it began in PST, the midnight ending it is PDT; a 23-hour day
    ['2026-03-08T08:00:00Z', '2026-03-09T07:00:00.000Z'],
    ['2026-03-07T20:00:00Z', '2026-03-08T08:00:00.000Z'],
    // the day DST ends (2026-11-01): begun in PDT, ends in PST; a 25-hour day
    ['2026-11-01T07:00:00Z', '2026-11-02T08:00:00.000Z'],
    ['2026-11-01T09:30:00Z', '2026-11-02T08:00:00.000Z'],
    ['2026-10-31T20:00:00Z', '2026-11-01T07:00:00.000Z'],
    // year end
    ['2026-12-31T23:00:00Z', '2027-01-01T08:00:00.000Z'],
  ])('after %s comes %s', (iso, expected) => {
    expect(nextPacificMidnight(new Date(iso)).toISOString()).toBe(expected);
  });

  it('is strictly after a moment that is itself midnight', () => {
    expect(nextPacificMidnight(new Date('2026-01-15T08:00:00Z')).toISOString()).toBe('2026-01-16T08:00:00.000Z');
  });

  it('lands on the first instant of the next pacificDay, for every day of a year, with 23/24/25-hour days', () => {
    const lengths = new Map<number, number>();
    let midnight = nextPacificMidnight(new Date('2025-12-31T12:00:00Z'));
    for (let i = 0; i < 365; i++) {
      const next = nextPacificMidnight(midnight);
      expect(pacificDay(new Date(next.getTime() - 1))).toBe(pacificDay(midnight));
      expect(pacificDay(next)).not.toBe(pacificDay(midnight));
      expect(nextPacificMidnight(new Date(next.getTime() - 1))).toEqual(next);
      const hours = (next.getTime() - midnight.getTime()) / 3600_000;
      lengths.set(hours, (lengths.get(hours) ?? 0) + 1);
      midnight = next;
    }
    expect(Object.fromEntries(lengths)).toEqual({ 23: 1, 24: 363, 25: 1 });
  });
});
