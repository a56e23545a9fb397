// Sends due webhook deliveries in the background on every instance: claims a few (each once across
// instances), posts them signed, and retries failures with exponential backoff until MAX_ATTEMPTS.
import type { Db } from '../../db/db.ts';
import { log } from '../../log.ts';
import { deliveryBody } from './bodies.ts';
import { claimDue, forgetOldDeliveries, markAttemptFailed, markDelivered } from './queries.ts';
import { send } from './send.ts';
import { signature } from './sign.ts';
import type { AddressPolicy } from './ssrf.ts';

export const MAX_ATTEMPTS = 8;
const LEASE_SECONDS = 60; // far beyond one send (10 s) and its redirects
const BATCH = 10;
const IDLE_MS = 1000;
const KEEP_DAYS = 30;
const FORGET_EVERY_MS = 3600_000;

/** 10 s, 40 s, 160 s… capped at an hour: 8 attempts span about 3 hours. */
export const defaultBackoff = (attempt: number) => Math.min(3600, 10 * 4 ** (attempt - 1));

export interface WebhookRunnerOptions {
  db: Db;
  policy: AddressPolicy;
  backoffSeconds?: (attempt: number) => number;
  now?: () => Date;
}

export function createWebhookRunner(o: WebhookRunnerOptions) {
  const backoff = o.backoffSeconds ?? defaultBackoff;
  const now = o.now ?? (() => new Date());
  let stopped = true;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | null = null;
  let forgotAt = 0;

  async function deliverDue(): Promise<number> {
    if (Date.now() - forgotAt > FORGET_EVERY_MS) {
      forgotAt = Date.now();
      await forgetOldDeliveries(o.db, KEEP_DAYS);
    }
    const claimed = await claimDue(o.db, BATCH, LEASE_SECONDS);
    await Promise.all(
      claimed.map(async (d) => {
        const body = deliveryBody(d.kind, d, d.eventName);
        const timestamp = Math.floor(now().getTime() / 1000);
        const result = await send(
          d.url,
          body,
          {
            'content-type': 'application/json',
            'user-agent': 'LivePulse-Webhook',
            'x-livepulse-timestamp': String(timestamp),
            'x-livepulse-signature': signature(d.secret, timestamp, body),
            'x-livepulse-delivery': d.deliveryId,
          },
          o.policy,
        );
        if (result.ok) return markDelivered(o.db, d.deliveryId, result.status);
        const retry = d.attempts < MAX_ATTEMPTS ? backoff(d.attempts) : null;
        log('warn', 'webhook_failed', result.error, {
          delivery: d.deliveryId,
          attempt: d.attempts,
          retryInSeconds: retry,
        });
        return markAttemptFailed(o.db, d.deliveryId, result, retry);
      }),
    );
    return claimed.length;
  }

  /** One pass (tests call it directly); passes never overlap within an instance. */
  async function runOnce(): Promise<number> {
    running ??= deliverDue().finally(() => (running = null));
    return running;
  }

  function schedule(ms: number) {
    if (stopped) return;
    timer = setTimeout(() => {
      runOnce()
        .then((n) => schedule(n === BATCH ? 0 : IDLE_MS))
        .catch((error: unknown) => {
          log('warn', 'webhook_runner', (error as Error).message);
          schedule(IDLE_MS * 5);
        });
    }, ms);
    timer.unref();
  }

  return {
    runOnce,
    start() {
      stopped = false;
      schedule(IDLE_MS);
    },
    /** A delivery was just queued (a test): look now rather than within a second. */
    wake() {
      if (stopped) return;
      clearTimeout(timer);
      schedule(0);
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => {});
    },
  };
}

export type WebhookRunner = ReturnType<typeof createWebhookRunner>;
