// Tick writes that wait, in order, while the database is unreachable. Bounded: when full, the oldest
// tick is dropped and counted, so an outage never grows memory without limit. Only passing trouble keeps
// a tick queued: a tick the database refuses for its data (a SQLSTATE such as class 22 or 23) is split
// per event, the events it still refuses are set aside with a log line saying what they carried, and
// the ticks behind it go on (issue 13: one odd value used to stop storage for every event, for good).
import { refusedData, sqlstate } from '../db/sqlstate.ts';
import { log } from '../log.ts';
import type { TickWrite } from './queries.ts';

export class WriteQueue {
  private pending: TickWrite[] = [];
  private failing = false;
  dropped = 0;
  /** Event parts of ticks the database refused for their data. */
  setAside = 0;

  constructor(
    private readonly write: (w: TickWrite) => Promise<void>,
    /** 2,000 ticks: more than five hours at the default 10 s interval. */
    private readonly capacity = 2000,
  ) {}

  get size(): number {
    return this.pending.length;
  }

  /** Ticks that wait because the database is unreachable (none while writes succeed), and the oldest one's time. */
  waiting(): { depth: number; oldest: Date | null } {
    return this.failing && this.pending.length
      ? { depth: this.pending.length, oldest: this.pending[0].ts }
      : { depth: 0, oldest: null };
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
      const w = this.pending[0];
      try {
        await this.write(w);
      } catch (error) {
        if (!refusedData(error)) {
          if (!this.failing)
            log('error', 'db_write_failed', `tick write failed, queued in memory: ${(error as Error).message}`);
          this.failing = true;
          return false;
        }
        const parts = splitByEvent(w);
        if (parts.length > 1) {
          // Retried event by event: only the part the database refuses is set aside.
          this.pending.splice(0, 1, ...parts);
        } else {
          this.pending.shift();
          this.setAside++;
          logSetAside(w, error);
        }
        continue;
      }
      this.pending.shift();
    }
    if (this.failing) log('info', 'db_write_recovered', 'database reachable again: queued ticks written');
    this.failing = false;
    return true;
  }
}

/** One write per event (its total, its streams' rows and statuses), plus one for the quota units alone. */
export function splitByEvent(w: TickWrite): TickWrite[] {
  const events = new Set([...w.totals.map((t) => t.eventId), ...w.updates.map((u) => u.eventId)]);
  const parts: TickWrite[] = [...events].map((eventId) => ({
    ts: w.ts,
    totals: w.totals.filter((t) => t.eventId === eventId),
    updates: w.updates.filter((u) => u.eventId === eventId),
    units: null,
  }));
  if (w.units) parts.push({ ts: w.ts, totals: [], updates: [], units: w.units });
  return parts;
}

function logSetAside(w: TickWrite, error: unknown) {
  const e = error as { message?: string; detail?: string };
  // Ids and values only: a tick carries no token or key.
  log(
    'error',
    'tick_set_aside',
    `the database refused a tick's data; set aside so the ticks behind it are stored: ${e.message ?? String(error)}`,
    {
      sqlstate: sqlstate(error),
      detail: e.detail,
      ts: w.ts.toISOString(),
      events: w.totals
        .map((t) => t.eventId)
        .concat(w.totals.length ? [] : [...new Set(w.updates.map((u) => u.eventId))]),
      totals: Object.fromEntries(w.totals.map((t) => [t.eventId, t.total])),
      streams: w.updates.slice(0, 50).map((u) => ({
        id: u.id,
        event: u.eventId,
        viewers: u.viewers,
        status: u.status,
        title: u.title?.slice(0, 80) ?? null,
      })),
      units: w.units,
    },
  );
}
