// Who may read /metrics: a client on this machine, or anyone presenting METRICS_TOKEN as a bearer
// token. "On this machine" is decided on the socket's peer, never on a header a client can write: a
// request relayed by a proxy on this machine has a loopback peer too, so it counts as local only when
// TRUST_PROXY=1 and the proxy says the client itself is on loopback.
import { createHash, timingSafeEqual } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import type { Config } from '../../config.ts';
import { ApiError } from '../../errors.ts';

type MetricsConfig = Pick<Config, 'METRICS_TOKEN' | 'TRUST_PROXY'>;

const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.replace(/^::ffff:/i, '');
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4) || address === '::1';
}

function peerAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined; // app.request() in tests: no socket, so never local
  }
}

export function isLocalClient(c: Context, config: MetricsConfig): boolean {
  if (!isLoopbackAddress(peerAddress(c))) return false;
  const forwarded = c.req.header('x-forwarded-for');
  if (config.TRUST_PROXY && forwarded !== undefined) {
    // The hop our own proxy appended is the client; earlier hops are whatever the client claimed.
    return isLoopbackAddress(forwarded.split(',').at(-1)?.trim());
  }
  // Without TRUST_PROXY a relayed request cannot say who sent it: not local.
  return !FORWARDING_HEADERS.some((h) => c.req.header(h) !== undefined);
}

/** Constant-time, whatever the lengths: both sides are hashed to 32 bytes first. */
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

export function metricsAccess(config: MetricsConfig): MiddlewareHandler {
  return async (c, next) => {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const tokenOk = config.METRICS_TOKEN !== '' && bearer !== undefined && sameSecret(bearer, config.METRICS_TOKEN);
    if (!tokenOk && !isLocalClient(c, config)) {
      if (!config.METRICS_TOKEN) {
        throw new ApiError(
          403,
          'metrics_local_only',
          'Metrics are served to this machine only; set METRICS_TOKEN to scrape from elsewhere',
        );
      }
      throw new ApiError(401, 'unauthorized', 'Send METRICS_TOKEN as "Authorization: Bearer <token>"', undefined, {
        'WWW-Authenticate': 'Bearer realm="metrics"',
      });
    }
    await next();
  };
}
