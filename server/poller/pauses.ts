// Why the poller waits longer than its interval, or leaves a source out of a tick: the quota spent until
// the Pacific reset, a rejected key retried every 5 minutes, or passing upstream trouble backed off
// exponentially with jitter, per source (a YouTube 503 holds YouTube, never Twitch). One small state
// object, changed only by these functions.
import type { UpstreamFault } from '../youtube/classify-fault.ts';
import type { SourceName } from '../wire.ts';

export const KEY_RETRY_SECONDS = 300;
export const BACKOFF_CAP_SECONDS = 120;

/** One source backed off after passing trouble: not called until `until`. */
export interface Backoff {
  /** Polls in a row of this source that met passing trouble. */
  failures: number;
  until: Date;
}

export interface Pauses {
  /** No call until then: the quota is spent (told by YouTube, or by our own count). */
  quotaUntil: Date | null;
  /** No call until then: YouTube rejected the key or the project's configuration. */
  keyUntil: Date | null;
  /** The sources backed off after passing trouble (a timeout, a 5xx, a 429); a success forgets its entry. */
  backoff: Partial<Record<SourceName, Backoff>>;
  /** Since when each source has met trouble of any kind, until it answers cleanly again (for the recovery line). */
  troubleSince: Partial<Record<SourceName, Date>>;
}

export const noPauses = (): Pauses => ({ quotaUntil: null, keyUntil: null, backoff: {}, troubleSince: {} });

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

/** The sources still backed off at `at`: a tick does not call them. */
export function heldSources(p: Pauses, at: Date): Set<SourceName> {
  const held = new Set<SourceName>();
  for (const [source, b] of Object.entries(p.backoff) as [SourceName, Backoff][]) if (at < b.until) held.add(source);
  return held;
}

/**
 * Backs `source` off after passing trouble met at `at`: the base interval doubled per failure in a row, up
 * to the cap, with jitter, never sooner than the interval in force nor than the source's Retry-After.
 * Returns the seconds it is held.
 */
export function backOff(
  p: Pauses,
  source: SourceName,
  fault: UpstreamFault,
  o: { at: Date; interval: number; baseSeconds: number; random: () => number },
): number {
  const failures = (p.backoff[source]?.failures ?? 0) + 1;
  const backoff = Math.min(BACKOFF_CAP_SECONDS, o.baseSeconds * 2 ** (failures - 1)) * (0.5 + o.random() / 2);
  const seconds = Math.max(o.interval, backoff, fault.retryAfterSeconds ?? 0);
  p.backoff[source] = { failures, until: new Date(o.at.getTime() + seconds * 1000) };
  return seconds;
}

/** The source met trouble of any kind at `at` (kept from its first fault until it answers cleanly). */
export function troubled(p: Pauses, source: SourceName, at: Date) {
  p.troubleSince[source] ??= at;
}

/**
 * The source answered without trouble at `at`: its next failure starts the back-off again from the base.
 * Returns how many seconds it had been in trouble when it had been, once (null otherwise): the poller says so.
 */
export function recovered(p: Pauses, source: SourceName, at: Date): number | null {
  delete p.backoff[source];
  const since = p.troubleSince[source];
  if (!since) return null;
  delete p.troubleSince[source];
  return (at.getTime() - since.getTime()) / 1000;
}

/** Seconds until the next tick, after a tick that called upstream with `interval` as its pace. */
export function nextDelaySeconds(
  p: Pauses,
  o: {
    at: Date;
    interval: number;
    /** The sources that had streams to read this tick (called, or left out while backed off). */
    sources: readonly SourceName[];
    /** Other sources go on while the Data API's quota is spent or its key refused (Twitch, InnerTube): the pause holds only the Data API. */
    quotaHoldsOnlyApi?: boolean;
  },
): number {
  let delay = o.interval;
  // Only when every source is backed off does the tick itself wait, until the first of them may be asked again;
  // while one source still answers, the tick keeps its beat for it.
  const holds = o.sources.map((s) => p.backoff[s]?.until.getTime() ?? -Infinity);
  const open = Math.min(...holds);
  if (holds.length && open > o.at.getTime()) delay = Math.max(o.interval, (open - o.at.getTime()) / 1000);
  if (p.quotaUntil && !o.quotaHoldsOnlyApi) delay = (p.quotaUntil.getTime() - o.at.getTime()) / 1000;
  if (p.keyUntil && !o.quotaHoldsOnlyApi) delay = KEY_RETRY_SECONDS;
  return delay;
}
