import { describe, expect, it } from 'vitest';
import { createCsvBudget } from './csv-budget.ts';

describe('the CSV budget', () => {
  it('gives at most max slots, refuses the next download, and counts a double release once', () => {
    const budget = createCsvBudget(2);
    const a = budget.tryTake()!;
    const b = budget.tryTake()!;
    expect(budget.tryTake()).toBeNull();
    a();
    a();
    expect(budget.active).toBe(1);
    expect(budget.tryTake()).not.toBeNull();
    expect(budget.tryTake()).toBeNull();
    b();
  });

  it('lets a waiting export take the next free slot before any download, and forgets one whose wait is aborted', async () => {
    const budget = createCsvBudget(1);
    const held = budget.tryTake()!;
    const aborted = new AbortController();
    const gaveUp = budget.take(aborted.signal);
    const waiting = budget.take();
    aborted.abort(new Error('stopping'));
    await expect(gaveUp).rejects.toThrow('stopping');
    held();
    expect(budget.tryTake()).toBeNull(); // the slot went to the waiting export
    (await waiting)();
    expect(budget.active).toBe(0);
    expect(budget.tryTake()).not.toBeNull();
  });
});
