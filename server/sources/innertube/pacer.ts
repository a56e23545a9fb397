// Paces InnerTube lookups like a polite client: at most `perSecond` starts a second in all (plus jitter, so
// requests do not fall on a fixed beat), at most `concurrency` at once, and a shared back-off that stops
// every start after YouTube pushes back (429, consent or captcha page), doubling while it keeps doing so.

/** The lookup was not started: YouTube pushed back and starts are held until `until`. */
export class HeldError extends Error {
  override name = 'HeldError';
  constructor(readonly until: number) {
    super(`YouTube pushed back; lookups resume at ${new Date(until).toISOString()}`);
  }
}

export interface PacerOptions {
  perSecond: number;
  concurrency: number;
  /** Extra random spacing, up to this many ms per start (default: a quarter of the spacing). */
  jitterMs?: number;
  now?: () => number;
  random?: () => number;
}

const FIRST_BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 15 * 60_000;

export function createPacer(options: PacerOptions) {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const spacing = 1000 / options.perSecond;
  const jitter = options.jitterMs ?? spacing / 4;
  let nextStart = 0;
  let active = 0;
  let blockedUntil = 0;
  let backoffMs = 0;
  const waiting: (() => void)[] = [];

  async function slot(): Promise<void> {
    for (;;) {
      if (active >= options.concurrency) {
        await new Promise<void>((resolve) => waiting.push(resolve));
        continue;
      }
      const t = now();
      // A held lookup fails at once (a gap this tick) instead of queueing behind a long back-off.
      if (t < blockedUntil) throw new HeldError(blockedUntil);
      const at = nextStart;
      if (t >= at) {
        active++;
        nextStart = t + spacing + random() * jitter;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, at - t));
    }
  }

  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      await slot();
      try {
        return await task();
      } finally {
        active--;
        waiting.shift()?.();
      }
    },
    /** YouTube pushed back: no start for 30 s, then 60 s, … up to 15 min while it keeps doing so. */
    pushedBack() {
      backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs ? backoffMs * 2 : FIRST_BACKOFF_MS);
      blockedUntil = Math.max(blockedUntil, now() + backoffMs);
    },
    /** A lookup went through: the next push-back starts from 30 s again. */
    succeeded() {
      backoffMs = 0;
    },
    /** When starts resume after a push-back (ms), or null when they are not held. */
    blockedUntil: () => (now() < blockedUntil ? blockedUntil : null),
  };
}

export type Pacer = ReturnType<typeof createPacer>;
