import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.ts';
import { toStatement, type Sql } from '../db/sql.ts';
import { engines } from '../testing/test-db.ts';
import { testInstance } from '../testing/test-instance.ts';
import { createPointBudget, estimatePoints } from './history-budget.ts';
import { seedEvent, seedTicksInSlices } from '../testing/queries.ts';

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

/** Counts the raw history reads running at once, as the database sees them (issue 13: forty at once). */
function countRawReads(db: Db) {
  const query = db.query.bind(db);
  const seen = { running: 0, max: 0 };
  db.query = async <T>(text: Sql<T>) => {
    const raw = /order by ts limit \$\d|rank <= \$\d/.test(toStatement(text).text);
    if (!raw) return query(text);
    seen.max = Math.max(seen.max, ++seen.running);
    try {
      return await query(text);
    } finally {
      seen.running--;
    }
  };
  return seen;
}

describe.each(engines)('forty concurrent 100,000-point history requests on %s', (engine) => {
  let inst: Awaited<ReturnType<typeof testInstance>>;
  const START = Date.UTC(2024, 4, 1);
  beforeAll(async () => {
    inst = await testInstance(engine);
    await seedEvent(inst.db, 'ev', [{ id: 's0' }]);
    await seedTicksInSlices(inst.db, 'ev', new Date(START), 20_000, 10);
  }, 120_000);
  afterAll(() => inst?.close());

  it('are built one at a time, each answered whole or with 429 history_busy and Retry-After', async () => {
    const seen = countRawReads(inst.db);
    const url = `http://localhost/api/events/ev/history?from=${new Date(START).toISOString()}&to=${new Date(START + 7 * 86400_000).toISOString()}&limit=100000&streams=1`;
    const answers = await Promise.all(
      Array.from({ length: 40 }, async () => {
        const res = await inst.app.request(url);
        const body = (await res.json()) as { total?: unknown[]; streams?: { s0: unknown[] }; error?: { code: string } };
        return res.status === 200
          ? `${body.total!.length}+${body.streams!.s0.length}`
          : `${res.status} ${body.error?.code} ${res.headers.get('retry-after')}`;
      }),
    );
    for (const a of answers) expect(['20000+20000', '429 history_busy 2']).toContain(a);
    expect(answers).toContain('20000+20000');
    // One request (its total and its stream read together) at a time: 200,000 points each, over the 100,000 budget.
    expect(seen.max).toBe(2);
  }, 120_000);
});
