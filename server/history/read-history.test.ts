import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, openTestDb, type TestDb } from '../testing/test-db.ts';
import type { HistoryPoint } from '../wire.ts';
import { bucketSecondsFor, readHistory } from './read-history.ts';
import { seedEvent, seedRows, type SeedRow } from '../testing/queries.ts';

const T0 = Date.parse('2024-05-01T00:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString();
const win = (fromS: number, toS: number) => ({ from: new Date(T0 + fromS * 1000), to: new Date(T0 + toS * 1000) });

// Deterministic noise with hidden counts: ~1 in 9 samples of stream b hidden, stream c hidden for a whole stretch.
function generated(): SeedRow[] {
  const rows: SeedRow[] = [];
  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 1100; i++) {
    const ts = at(i * 10 + 3); // off the minute grid on purpose
    rows.push({ streamId: 'a', ts, viewers: Math.floor(next() * 5000) });
    rows.push({ streamId: 'b', ts, viewers: next() < 0.11 ? null : Math.floor(next() * 300) });
    rows.push({ streamId: 'c', ts, viewers: i >= 200 && i < 290 ? null : 7 + (i % 5) });
  }
  return rows;
}

/** The buckets computed in JS from the rows themselves: what the rollup path must reproduce exactly. */
function expectedBuckets(
  rows: { ts: string; viewers: number | null }[],
  bucket: number,
  from: number,
  to: number,
  after?: number,
): HistoryPoint[] {
  const groups = new Map<number, (number | null)[]>();
  for (const r of rows) {
    const t = Date.parse(r.ts);
    if (t < from || t >= to || (after !== undefined && t <= after)) continue;
    const key = Math.floor(t / (bucket * 1000)) * bucket * 1000;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(r.viewers);
  }
  return [...groups.keys()]
    .sort((x, y) => x - y)
    .map((key) => {
      const values = groups.get(key)!.filter((v): v is number => v !== null);
      return {
        ts: new Date(key).toISOString(),
        viewers: values.length ? Math.round(values.reduce((s, v) => s + v, 0) / values.length) : null,
        max: values.length ? Math.max(...values) : null,
      };
    });
}

describe('bucketSecondsFor', () => {
  it('picks the smallest round step that keeps the points within maxPoints', () => {
    expect(bucketSecondsFor(win(0, 7 * 86400), 1000)).toBe(900);
    expect(bucketSecondsFor(win(0, 3 * 3600), 1000)).toBe(15);
    expect(bucketSecondsFor(win(0, 60), 1000)).toBe(1);
    expect(bucketSecondsFor(win(0, 400 * 86400), 10)).toBe(45 * 86400);
  });
});

describe.each(engines)('readHistory on %s', (engine) => {
  let t: TestDb;
  const rows = generated();
  const totals = [...new Set(rows.map((r) => r.ts))].map((ts) => ({
    ts,
    viewers: rows.filter((r) => r.ts === ts).reduce((s, r) => s + (r.viewers ?? 0), 0),
  }));

  beforeAll(async () => {
    t = await openTestDb(engine);
    await seedEvent(t.db, 'ev', [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'silent' }]);
    await seedRows(t.db, 'ev', rows);
  });
  afterAll(() => t?.close());

  it('returns raw samples oldest first, hidden counts as null, half-open window', async () => {
    const h = await readHistory(t.db, 'ev', win(3, 33), { streams: true });
    expect(h.bucketSeconds).toBe(0);
    expect(h.total.map((p) => p.ts)).toEqual([at(3), at(13), at(23)]);
    expect(h.total[0]).toEqual({ ts: at(3), viewers: totals[0].viewers, max: totals[0].viewers });
    expect(Object.keys(h.streams!)).toEqual(['a', 'b', 'c', 'silent']);
    expect(h.streams!.silent).toEqual([]);
    const hidden = rows.find((r) => r.streamId === 'b' && r.viewers === null)!;
    const around = await readHistory(
      t.db,
      'ev',
      { from: new Date(hidden.ts), to: new Date(Date.parse(hidden.ts) + 1) },
      { streams: true },
    );
    expect(around.streams!.b).toEqual([{ ts: hidden.ts, viewers: null, max: null }]);
  });

  it('gives what is newer than afterTs, and the oldest `limit` points per series', async () => {
    const h = await readHistory(t.db, 'ev', win(0, 3600), { streams: true, afterTs: new Date(at(23)), limit: 2 });
    expect(h.total.map((p) => p.ts)).toEqual([at(33), at(43)]);
    expect(h.streams!.a.map((p) => p.ts)).toEqual([at(33), at(43)]);
    expect(h.streams!.c.map((p) => p.ts)).toEqual([at(33), at(43)]);
  });

  it('keeps the peak of a bucket next to its average', async () => {
    const h = await readHistory(t.db, 'ev', win(0, 11_000), { streams: true, maxPoints: 10 });
    expect(h.bucketSeconds).toBe(1800);
    const a = rows.filter((r) => r.streamId === 'a');
    const peak = Math.max(...a.map((r) => r.viewers!));
    const series = h.streams!.a;
    expect(series.length).toBeLessThanOrEqual(10);
    expect(Math.max(...series.map((p) => p.max!))).toBe(peak);
    expect(Math.max(...series.map((p) => p.viewers!))).toBeLessThan(peak);
  });

  // Ragged window and afterTs: the edges come from raw rows, the middle from the widest rollup that fits.
  it.each([
    [200, 30], // 30 s buckets: raw rows only
    [150, 60], // minute rollups
    [60, 180], // minute rollups, three a bucket
    [30, 300], // 5-minute rollups
    [20, 600],
    [12, 900], // 15-minute rollups
    [4, 3600], // hour rollups
  ])('buckets with maxPoints %i (bucket %i s) equal the same sums made from raw rows', async (maxPoints, bucket) => {
    const window = {
      from: new Date(T0 + 437_123),
      to: new Date(T0 + 437_123 + (maxPoints - 1) * bucket * 1000 - 17_000),
    };
    const after = T0 + 1_203_456;
    for (const afterTs of [undefined, new Date(after)]) {
      const h = await readHistory(t.db, 'ev', window, { streams: true, maxPoints, afterTs });
      expect(h.bucketSeconds).toBe(bucket);
      const lo = window.from.getTime();
      const hi = window.to.getTime();
      expect(h.total).toEqual(expectedBuckets(totals, bucket, lo, hi, afterTs?.getTime()));
      for (const id of ['a', 'b', 'c']) {
        expect(h.streams![id]).toEqual(
          expectedBuckets(
            rows.filter((r) => r.streamId === id),
            bucket,
            lo,
            hi,
            afterTs?.getTime(),
          ),
        );
      }
      expect(h.total.length).toBeGreaterThan(0);
      expect(h.total.length).toBeLessThanOrEqual(maxPoints);
    }
  });

  it('a bucket whose counts were all hidden has null average and peak, not 0', async () => {
    const h = await readHistory(t.db, 'ev', win(2010, 2880), { streams: true, maxPoints: 10 });
    expect(h.bucketSeconds).toBe(120);
    const hiddenStretch = h.streams!.c.filter(
      (p) => Date.parse(p.ts) >= T0 + 2040_000 && Date.parse(p.ts) < T0 + 2880_000,
    );
    expect(hiddenStretch.length).toBeGreaterThan(0);
    expect(hiddenStretch.every((p) => p.viewers === null && p.max === null)).toBe(true);
  });

  it('an unknown event has empty series', async () => {
    const h = await readHistory(t.db, 'nope', win(0, 3600), { streams: true, maxPoints: 100 });
    expect(h).toMatchObject({ eventId: 'nope', total: [], streams: {} });
  });
});
