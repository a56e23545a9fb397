import { describe, expect, it } from 'vitest';
import type { TickWrite } from './queries.ts';
import { WriteQueue } from './write-queue.ts';

const tick = (n: number): TickWrite => ({
  ts: new Date(n * 1000),
  updates: [],
  totals: [{ eventId: 'E', total: n }],
  units: { day: '2026-05-01', units: 1 },
});

describe('WriteQueue', () => {
  it('writes in order once the database is back, and counts the units still waiting', async () => {
    const written: number[] = [];
    let down = true;
    const q = new WriteQueue((w) => {
      if (down) return Promise.reject(new Error('connection refused'));
      written.push(w.totals[0].total);
      return Promise.resolve();
    });
    expect(await q.push(tick(1))).toBe(false);
    expect(await q.push(tick(2))).toBe(false);
    expect(q.size).toBe(2);
    expect(q.unitsFor('2026-05-01')).toBe(2);
    expect(q.unitsFor('2026-05-02')).toBe(0);
    down = false;
    expect(await q.push(tick(3))).toBe(true);
    expect(written).toEqual([1, 2, 3]);
    expect(q.size).toBe(0);
  });

  it('stays bounded: when full it drops the oldest tick and counts it', async () => {
    const written: number[] = [];
    let down = true;
    const q = new WriteQueue((w) => {
      if (down) return Promise.reject(new Error('down'));
      written.push(w.totals[0].total);
      return Promise.resolve();
    }, 3);
    for (let i = 1; i <= 5; i++) await q.push(tick(i));
    expect(q.size).toBe(3);
    expect(q.dropped).toBe(2);
    down = false;
    await q.flush();
    expect(written).toEqual([3, 4, 5]);
  });
});

describe('WriteQueue and database refusals', () => {
  const refused = Object.assign(new Error('value "3000000000" is out of range for type integer'), { code: '22003' });
  const two = (n: number): TickWrite => ({
    ts: new Date(n * 1000),
    updates: [],
    totals: [
      { eventId: 'A', total: n === 1 ? 3_000_000_000 : n },
      { eventId: 'B', total: n },
    ],
    units: { day: '2026-05-01', units: 1 },
  });

  it('keeps a tick queued on errors without a SQLSTATE or with passing trouble, and says how long it waits', async () => {
    for (const error of [
      new Error('connection refused'),
      ...['CONNECTION_CLOSED', '53100', '53300', '57P01'].map((code) => Object.assign(new Error('x'), { code })),
    ]) {
      const q = new WriteQueue(() => Promise.reject(error));
      expect(await q.push(tick(7))).toBe(false);
      expect(await q.push(tick(8))).toBe(false);
      expect(q.waiting()).toEqual({ depth: 2, oldest: new Date(7000) });
      expect(q.setAside).toBe(0);
    }
  });

  it('reports nothing waiting while writes succeed', async () => {
    const q = new WriteQueue(async () => {});
    await q.push(tick(1));
    expect(q.waiting()).toEqual({ depth: 0, oldest: null });
  });

  it('splits a refused tick per event, sets aside only the refused event and keeps the order behind it', async () => {
    const written: string[] = [];
    const q = new WriteQueue((w) => {
      if (w.totals.some((t) => t.total > 2 ** 31)) return Promise.reject(refused);
      written.push(w.totals.map((t) => `${t.eventId}${t.total}`).join('+') + (w.units ? `u${w.units.units}` : ''));
      return Promise.resolve();
    });
    expect(await q.push(two(1))).toBe(true);
    expect(await q.push(two(2))).toBe(true);
    expect(written).toEqual(['B1', 'u1', 'A2+B2u1']);
    expect(q.setAside).toBe(1);
    expect(q.size).toBe(0);
  });
});
