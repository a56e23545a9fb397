// Why the poller waits longer than its interval: the quota spent until the Pacific reset, a rejected key
// retried every 5 minutes, or passing upstream trouble backed off exponentially with jitter. One small
// state object, changed only by these functions.
import type { UpstreamFault } from '../youtube/classify-fault.ts';

export const KEY_RETRY_SECONDS = 300;
export const BACKOFF_CAP_SECONDS = 120;

export interface Pauses {
  /** No call until then: the quota is spent (told by YouTube, or by our own count). */
  quotaUntil: Date | null;
  /** No call until then: YouTube rejected the key or the project's configuration. */
  keyUntil: Date | null;
  /** Ticks in a row that met passing trouble, for the back-off. */
  failures: number;
}

export const noPauses = (): Pauses => ({ quotaUntil: null, keyUntil: null, failures: 0 });

/** The pause that holds at `at`, if any (a pause that has run out is forgotten). */
export function pauseAt(p: Pauses, at: Date): { kind: 'quota' | 'key'; until: Date } | null {
  if (p.quotaUntil && at < p.quotaUntil) return { kind: 'quota', until: p.quotaUntil };
  p.quotaUntil = null;
  if (p.keyUntil && at < p.keyUntil) return { kind: 'key', until: p.keyUntil };
  p.keyUntil = null;
  return null;
}

export const quotaPaused = (p: Pauses, at: Date) => Boolean(p.quotaUntil && at < p.quotaUntil);

/** Records a fault met at `at`; passing trouble (a timeout, a 5xx) is returned for the back-off. */
export function noteFault(p: Pauses, fault: UpstreamFault, at: Date, resetAt: Date): UpstreamFault | null {
  if (fault.kind === 'quota_exceeded') p.quotaUntil = resetAt;
  else if (fault.kind === 'api_key_invalid' || fault.kind === 'api_config_error')
    p.keyUntil = new Date(at.getTime() + KEY_RETRY_SECONDS * 1000);
  else return fault;
  return null;
}

/** Seconds until the next tick, after a tick that called upstream with `interval` as its pace. */
export function nextDelaySeconds(
  p: Pauses,
  o: {
    at: Date;
    interval: number;
    baseSeconds: number;
    retryable: UpstreamFault | null;
    random: () => number;
    /** Other sources go on while the Data API's quota is spent or its key refused (Twitch, InnerTube): the pause holds only the Data API. */
    quotaHoldsOnlyApi?: boolean;
  },
): number {
  let delay = o.interval;
  if (o.retryable) {
    p.failures++;
    const backoff = Math.min(BACKOFF_CAP_SECONDS, o.baseSeconds * 2 ** (p.failures - 1)) * (0.5 + o.random() / 2);
    delay = Math.max(o.interval, backoff, o.retryable.retryAfterSeconds ?? 0);
  } else {
    p.failures = 0;
  }
  if (p.quotaUntil && !o.quotaHoldsOnlyApi) delay = (p.quotaUntil.getTime() - o.at.getTime()) / 1000;
  if (p.keyUntil && !o.quotaHoldsOnlyApi) delay = KEY_RETRY_SECONDS;
  return delay;
}
