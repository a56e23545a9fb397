// How many history points this instance builds at once: each JSON history request reserves the most
// points it can return before it reads anything, waits its turn when the budget is spent, and is
// refused (429) if its turn does not come soon. Forty requests for 100,000 points each used to be
// built all at once (issue 13: 630 MB).
import type { HistoryOptions, HistoryWindow } from './params.ts';
import { DEFAULT_LIMIT } from './params.ts';
import type { Release } from './csv-budget.ts';

// The poller writes at most one sample per series every 2 s (POLL_INTERVAL_SECONDS' floor).
const FASTEST_POLL_S = 2;

/** The most points `readHistory` can return for this request: per series, times the series. */
export function estimatePoints(window: HistoryWindow, opts: HistoryOptions, streamCount: number): number {
  const seconds = (window.to.getTime() - window.from.getTime()) / 1000;
  const perSeries = Math.min(
    opts.limit ?? DEFAULT_LIMIT,
    opts.maxPoints ? opts.maxPoints + 1 : Math.ceil(seconds / FASTEST_POLL_S) + 1,
  );
  return perSeries * (1 + (opts.streams ? streamCount : 0));
}

export interface PointBudget {
  readonly inFlight: number;
  /** Reserves `points` (a request bigger than the whole budget runs alone); null after `waitMs` without a turn. */
  take(points: number, waitMs: number): Promise<Release | null>;
}

export function createPointBudget(capacity: number): PointBudget {
  let inFlight = 0;
  // First come, first served, so a big request is not starved by a stream of small ones.
  const queue: { points: number; grant: (release: Release) => void }[] = [];

  const grant = (points: number): Release => {
    inFlight += points;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      inFlight -= points;
      serve();
    };
  };
  const serve = () => {
    while (queue.length && inFlight + queue[0].points <= capacity) {
      const next = queue.shift()!;
      next.grant(grant(next.points));
    }
  };

  return {
    get inFlight() {
      return inFlight;
    },
    take(points, waitMs) {
      const weight = Math.min(points, capacity);
      if (queue.length === 0 && inFlight + weight <= capacity) return Promise.resolve(grant(weight));
      return new Promise((resolve) => {
        const entry = {
          points: weight,
          grant: (release: Release) => {
            clearTimeout(timer);
            resolve(release);
          },
        };
        const timer = setTimeout(() => {
          queue.splice(queue.indexOf(entry), 1);
          resolve(null);
          serve(); // the ones behind it may fit now
        }, waitMs);
        queue.push(entry);
      });
    },
  };
}
