import { describe, expect, it } from 'vitest';
import { createPacer, HeldError } from './pacer.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('InnerTube pacer', () => {
  it('keeps starts apart by 1/perSecond (plus jitter) and never runs more than `concurrency` at once', async () => {
    const pacer = createPacer({ perSecond: 20, concurrency: 2, jitterMs: 10 });
    const starts: number[] = [];
    let running = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        pacer.run(async () => {
          starts.push(performance.now());
          most = Math.max(most, ++running);
          await sleep(120);
          running--;
        }),
      ),
    );
    expect(most).toBe(2);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(45); // 50 ms spacing, timer slack of a few ms
  });

  it('after a push-back fails new starts at once, for 30 s, then 60 s while it goes on, and resets on success', () => {
    let now = 1_000_000;
    const pacer = createPacer({ perSecond: 5, concurrency: 1, now: () => now });
    pacer.pushedBack();
    expect(pacer.blockedUntil()).toBe(now + 30_000);
    now += 30_001;
    pacer.pushedBack();
    expect(pacer.blockedUntil()).toBe(now + 60_000);
    return expect(pacer.run(() => Promise.resolve(1)))
      .rejects.toBeInstanceOf(HeldError)
      .then(() => {
        now += 60_001;
        pacer.succeeded();
        pacer.pushedBack();
        expect(pacer.blockedUntil()).toBe(now + 30_000);
      });
  });
});
