// The leader loop: only the lock holder ticks, the roll-up follows each tick and its failure stops
// nothing, a lost lock makes the instance a standby that tries again.
import { describe, expect, it } from 'vitest';
import type { Leadership } from '../db/db.ts';
import { createLeaderLoop } from './leader-loop.ts';

function lock() {
  let lose: () => void = () => {};
  let held = false;
  return {
    db: {
      tryLeadership: (): Promise<Leadership | null> => {
        if (held) return Promise.resolve(null);
        held = true;
        const lost = new Promise<void>((resolve) => (lose = resolve));
        return Promise.resolve({ lost, release: () => Promise.resolve(void (held = false)) });
      },
    },
    lose() {
      held = false;
      lose();
    },
    held: () => held,
  };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
};

describe('leader loop', () => {
  it('ticks as leader, rolls up after each tick even when the roll-up throws, and lets go on stop', async () => {
    const l = lock();
    const events: string[] = [];
    const loop = createLeaderLoop({
      db: l.db,
      baseSeconds: 0.01,
      tick: () => (events.push('tick'), Promise.resolve(0.01)),
      afterTick: () => (events.push('rollup'), Promise.reject(new Error('database down'))),
    });
    loop.start();
    await until(() => events.length >= 6);
    expect(loop.role()).toBe('leader');
    await loop.stop();
    expect(events.slice(0, 6)).toEqual(['tick', 'rollup', 'tick', 'rollup', 'tick', 'rollup']);
    expect(l.held()).toBe(true);
    await loop.release();
    expect(l.held()).toBe(false);
  });

  it('stands by while another instance holds the lock, and takes over when it is lost', async () => {
    const l = lock();
    const other = await l.db.tryLeadership(); // another instance leads
    expect(other).not.toBeNull();
    let ticks = 0;
    let lost = 0;
    const loop = createLeaderLoop({
      db: l.db,
      baseSeconds: 0.01,
      tick: () => (ticks++, Promise.resolve(0.01)),
      onLost: () => lost++,
    });
    loop.start();
    await new Promise((r) => setTimeout(r, 100));
    expect(loop.role()).toBe('standby');
    expect(ticks).toBe(0);
    l.lose(); // the other instance's connection died
    await until(() => ticks > 0);
    expect(loop.role()).toBe('leader');
    l.lose(); // and now ours
    await until(() => lost === 1);
    await loop.stop();
  });
});
