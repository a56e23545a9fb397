// Tick writes that wait, in order, while the database is unreachable. Bounded: when full, the oldest
// tick is dropped and counted, so an outage never grows memory without limit.
import { log } from '../log.ts';
import type { TickWrite } from './queries.ts';

export class WriteQueue {
  private pending: TickWrite[] = [];
  private failing = false;
  dropped = 0;

  constructor(
    private readonly write: (w: TickWrite) => Promise<void>,
    /** 2,000 ticks: more than five hours at the default 10 s interval. */
    private readonly capacity = 2000,
  ) {}

  get size(): number {
    return this.pending.length;
  }

  /** Quota units spent by the waiting ticks on a Pacific day. */
  unitsFor(day: string): number {
    return this.pending.reduce((sum, w) => sum + (w.units?.day === day ? w.units.units : 0), 0);
  }

  /** Queues a tick and writes everything waiting; resolves true when the queue is empty again. */
  async push(w: TickWrite): Promise<boolean> {
    this.pending.push(w);
    if (this.pending.length > this.capacity) {
      this.pending.shift();
      this.dropped++;
      log('error', 'samples_dropped', `database unreachable and the write queue is full: dropped the oldest tick`, {
        droppedTotal: this.dropped,
      });
    }
    return this.flush();
  }

  async flush(): Promise<boolean> {
    while (this.pending.length) {
      try {
        await this.write(this.pending[0]);
      } catch (error) {
        if (!this.failing) log('error', 'db_write_failed', `tick write failed, queued in memory: ${(error as Error).message}`);
        this.failing = true;
        return false;
      }
      this.pending.shift();
    }
    if (this.failing) log('info', 'db_write_recovered', 'database reachable again: queued ticks written');
    this.failing = false;
    return true;
  }
}
