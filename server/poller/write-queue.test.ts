import { describe, expect, it } from 'vitest';
import type { TickWrite } from './queries.ts';
import { WriteQueue } from './write-queue.ts';

const tick = (n: number): TickWrite => ({ ts: new Date(n * 1000), updates: [], totals: [{ eventId: 'E', total: n }], units: { day: '2026-05-01', units: 1 } });

describe('WriteQueue', () => {
  it('writes in order once the database is back, and counts the units still waiting', async () => {
    const written: number[] = [];
    let down = true;
    const q = new WriteQueue(async (w) => {
      if (down) throw new Error('connection refused');
      written.push(w.totals[0].total);
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
    const q = new WriteQueue(async (w) => {
      if (down) throw new Error('down');
      written.push(w.totals[0].total);
    }, 3);
    for (let i = 1; i <= 5; i++) await q.push(tick(i));
    expect(q.size).toBe(3);
    expect(q.dropped).toBe(2);
    down = false;
    await q.flush();
    expect(written).toEqual([3, 4, 5]);
  });
});
