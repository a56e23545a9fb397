// Who polls: each instance tries for one advisory lock; the holder runs the ticks on a steady beat, the
// others stand by and try again every interval. Losing the lock's connection makes the leader a standby.
import type { Db, Leadership } from '../db/db.ts';
import { log } from '../log.ts';

export const LEADER_LOCK = 0x4c50_0002;

export interface LeaderLoopOptions {
  db: Pick<Db, 'tryLeadership'>;
  /** Seconds between tries for the lock, and the delay after a tick that threw. */
  baseSeconds: number;
  /** One tick; resolves with the seconds until the next one is due (counted from its start). */
  tick: () => Promise<number>;
  /** Work that follows a tick without delaying its beat's measure (the rollups); its errors are logged. */
  afterTick?: () => Promise<void>;
  onLost?: () => void;
}

export function createLeaderLoop(o: LeaderLoopOptions) {
  let role: 'leader' | 'standby' = 'standby';
  let leadership: Leadership | null = null;
  let stopped = false;
  let wakeUp: (() => void) | null = null;
  let done: Promise<void> = Promise.resolve();

  function sleep(seconds: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(finish, Math.max(0, seconds * 1000));
      function finish() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = finish;
    });
  }

  /** Takes the lock if it is free; false while another instance holds it. */
  async function lead(): Promise<boolean> {
    if (leadership) return true;
    leadership = await o.db.tryLeadership(LEADER_LOCK).catch(() => null);
    if (!leadership) {
      role = 'standby';
      return false;
    }
    role = 'leader';
    log('info', 'poller_leader', 'this instance polls YouTube');
    void leadership.lost.then(() => {
      log('warn', 'poller_lost_lock', 'lost the poller lock; standing by');
      leadership = null;
      role = 'standby';
      o.onLost?.();
    });
    return true;
  }

  async function run() {
    while (!stopped) {
      if (!(await lead())) {
        await sleep(o.baseSeconds);
        continue;
      }
      const started = Date.now();
      let delay = o.baseSeconds;
      try {
        delay = await o.tick();
      } catch (error) {
        log('error', 'poll_tick_failed', (error as Error).stack ?? String(error));
      }
      if (o.afterTick && !stopped) {
        await o.afterTick().catch((error: unknown) => {
          log('warn', 'after_tick_failed', (error as Error).message ?? String(error));
        });
      }
      if (stopped) break;
      // A steady beat: the next tick is due `delay` after this one started, not after it finished.
      await sleep(delay - (Date.now() - started) / 1000);
    }
  }

  let started = false;
  return {
    role: () => role,
    /** True once `start` ran: tests that drive ticks by hand never start the loop. */
    started: () => started,
    start() {
      started = true;
      done = run();
    },
    /** Ends the loop after the tick in flight; the lock is kept until `release`. */
    async stop() {
      stopped = true;
      wakeUp?.();
      await done;
    },
    async release() {
      await leadership?.release();
      leadership = null;
    },
    wake() {
      wakeUp?.();
    },
  };
}
