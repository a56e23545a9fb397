// How many CSV downloads and export reads run at once on this instance: each holds a COPY connection
// of its own (PostgreSQL: the engine's separate copy pool) or takes turns on the single session
// (PGlite), so the API, health and SSE never wait behind them. Downloads beyond the cap are refused
// (429); background exports wait for a slot.

export type Release = () => void;

export interface CsvBudget {
  readonly max: number;
  readonly active: number;
  /** A slot now, or null when every slot is taken. Release it exactly once (later calls do nothing). */
  tryTake(): Release | null;
  /** Waits for a slot (background exports); rejects with the signal's reason when it aborts first. */
  take(signal?: AbortSignal): Promise<Release>;
}

export function createCsvBudget(max: number): CsvBudget {
  let active = 0;
  const waiting: (() => void)[] = [];

  const slot = (): Release => {
    active++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      active--;
      waiting.shift()?.();
    };
  };

  return {
    max,
    get active() {
      return active;
    },
    tryTake: () => (active < max && waiting.length === 0 ? slot() : null),
    take(signal) {
      if (active < max && waiting.length === 0) return Promise.resolve(slot());
      return new Promise<Release>((resolve, reject) => {
        const wake = () => {
          signal?.removeEventListener('abort', abort);
          resolve(slot());
        };
        const abort = () => {
          const i = waiting.indexOf(wake);
          if (i >= 0) waiting.splice(i, 1);
          reject(signal!.reason);
        };
        if (signal?.aborted) return abort();
        signal?.addEventListener('abort', abort, { once: true });
        waiting.push(wake);
      });
    },
  };
}
