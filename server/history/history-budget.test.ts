import { describe, expect, it } from 'vitest';
import { createPointBudget, estimatePoints } from './history-budget.ts';

const hours = (n: number) => ({ from: new Date(0), to: new Date(n * 3600_000) });

describe('estimatePoints', () => {
  it('bounds each series by limit, maxPoints and the fastest poll over the window, times the series', () => {
    expect(estimatePoints(hours(1), { streams: false }, 5)).toBe(1801); // 1 h at 2 s, under the default limit
    expect(estimatePoints(hours(168), { streams: false }, 5)).toBe(10_000); // the default limit
    expect(estimatePoints(hours(168), { streams: true, limit: 100_000 }, 2)).toBe(300_000);
    expect(estimatePoints(hours(168), { streams: true, maxPoints: 1000 }, 3)).toBe(4 * 1001);
  });
});

describe('the history point budget', () => {
  it('runs requests within the budget at once, queues the rest in order, and refuses after the wait', async () => {
    const budget = createPointBudget(100);
    const a = (await budget.take(60, 1000))!;
    const b = (await budget.take(40, 1000))!;
    const order: string[] = [];
    const big = budget.take(500, 1000).then((r) => (order.push('big'), r)); // more than the budget: runs alone
    const small = budget.take(10, 1000).then((r) => (order.push('small'), r));
    const late = budget.take(10, 20);
    expect(await late).toBeNull(); // waited 20 ms, nothing freed
    a();
    await new Promise((r) => setTimeout(r, 10));
    expect(order).toEqual([]); // the big one is first in line and needs the whole budget
    b();
    (await big)!();
    (await small)!();
    expect(order).toEqual(['big', 'small']);
    expect(budget.inFlight).toBe(0);
  });
});
