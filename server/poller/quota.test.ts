import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from '../db/sql.ts';
import { engines, openTestDb, type TestDb } from '../testing/test-db.ts';
import { addUnits, markDaySpent, unitsUsed } from './queries.ts';
import { effectiveIntervalSeconds } from './quota.ts';

const now = new Date('2026-05-01T17:00:00Z'); // 10:00 PDT: 14 h before the reset
const resetAt = new Date('2026-05-02T07:00:00Z');

describe('effectiveIntervalSeconds', () => {
  it('keeps the configured interval while the budget lasts at that pace', () => {
    // 14 h at 10 s is 5,040 ticks; 9,000 units left.
    expect(
      effectiveIntervalSeconds({ baseSeconds: 10, budget: 10_000, used: 1_000, callsPerTick: 1, now, resetAt }),
    ).toBe(10);
  });

  it('stretches the interval so the remaining units last until the reset', () => {
    // 10 calls per tick (500 streams), 8,000 units left: 800 ticks over 50,400 s → 63 s.
    expect(
      effectiveIntervalSeconds({ baseSeconds: 10, budget: 10_000, used: 2_000, callsPerTick: 10, now, resetAt }),
    ).toBe(63);
  });

  it('is infinite when less than one tick is affordable', () => {
    expect(effectiveIntervalSeconds({ baseSeconds: 10, budget: 100, used: 95, callsPerTick: 10, now, resetAt })).toBe(
      Infinity,
    );
  });

  it('is the base interval when nothing is polled', () => {
    expect(effectiveIntervalSeconds({ baseSeconds: 10, budget: 100, used: 100, callsPerTick: 0, now, resetAt })).toBe(
      10,
    );
  });
});

describe.each(engines)('quota units on %s', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(engine);
  });
  afterAll(() => t?.close());

  it('are counted per day, added up, and zero for a day with none', async () => {
    expect(await unitsUsed(t.db, '2026-05-01')).toBe(0);
    await addUnits(t.db, '2026-05-01', 3);
    await t.db.transaction((tx) => addUnits(tx, '2026-05-01', 4));
    await addUnits(t.db, '2026-05-02', 1);
    expect(await unitsUsed(t.db, '2026-05-01')).toBe(7);
    expect(await unitsUsed(t.db, '2026-05-02')).toBe(1);
  });

  it('a day marked spent counts at least the budget, and never less than was counted', async () => {
    await markDaySpent(t.db, '2026-06-01', 10_000);
    expect(await unitsUsed(t.db, '2026-06-01')).toBe(10_000);
    await addUnits(t.db, '2026-06-02', 10_050);
    await markDaySpent(t.db, '2026-06-02', 10_000);
    expect(await unitsUsed(t.db, '2026-06-02')).toBe(10_050);
  });

  it('refuses a day that is not a date instead of storing it', async () => {
    // PGlite: the server's "invalid input syntax for type date"; postgres.js: its date serialiser's RangeError.
    await expect(addUnits(t.db, "2026-06-03'; drop table quota_usage; --", 1)).rejects.toThrow(
      /date|Invalid time value/,
    );
    const [row] = await t.db.query(sql<{ days: number }>`select count(*)::int as days from quota_usage`);
    expect(row.days).toBe(4); // the four days above
  });
});
