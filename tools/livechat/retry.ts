// Retries a call that failed with a NetworkError, with exponential backoff and full jitter.
import { setTimeout as sleep } from 'node:timers/promises';
import { NetworkError } from './source.ts';

export interface RetryPolicy {
  /** Total tries, the first one included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

// 1, 2, 4 … capped at 30 s: about a minute and a half of outage is ridden out before giving up.
export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, baseDelayMs: 1000, maxDelayMs: 30_000 };

export async function withRetry<T>(
  call: () => Promise<T>,
  policy: RetryPolicy,
  signal: AbortSignal,
  onRetry: (error: NetworkError, attempt: number, delayMs: number) => void = () => {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof NetworkError) || attempt >= policy.attempts || signal.aborted) throw error;
      // Full jitter so that many exporters cut off by the same outage do not come back in step.
      const delayMs = Math.round(Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)));
      onRetry(error, attempt, delayMs);
      await sleep(delayMs, undefined, { signal });
    }
  }
}
