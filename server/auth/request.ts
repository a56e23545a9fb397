// What the server may believe about a request's origin: its scheme, host and client address, taking
// X-Forwarded-* headers into account only when TRUST_PROXY=1 (otherwise anyone could forge them).
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { Config } from '../config.ts';

type ProxyConfig = Pick<Config, 'TRUST_PROXY' | 'PUBLIC_BASE_URL'>;

/** The last value of a comma-separated forwarded header: the one our own (trusted) proxy wrote. */
function nearestHop(value: string | undefined): string | undefined {
  const hops = value
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return hops?.length ? hops[hops.length - 1] : undefined;
}

export function isHttps(c: Context, config: ProxyConfig): boolean {
  if (config.TRUST_PROXY) {
    const proto = nearestHop(c.req.header('x-forwarded-proto'));
    if (proto) return proto.toLowerCase() === 'https';
  }
  return new URL(c.req.url).protocol === 'https:';
}

/** The origin the browser believes it is talking to. */
export function requestOrigin(c: Context, config: ProxyConfig): string {
  const url = new URL(c.req.url);
  const host = (config.TRUST_PROXY && nearestHop(c.req.header('x-forwarded-host'))) || url.host;
  return `${isHttps(c, config) ? 'https' : 'http'}://${host}`;
}

/**
 * A request a browser sent from one of our own pages: its Origin is ours (or PUBLIC_BASE_URL's), or
 * the browser says so in Sec-Fetch-Site (a forbidden header pages cannot set). Pages sent with
 * `Referrer-Policy: no-referrer` post `Origin: null`, so Sec-Fetch-Site is what vouches for them.
 */
export function isSameOrigin(c: Context, config: ProxyConfig): boolean {
  if (c.req.header('sec-fetch-site') === 'same-origin') return true;
  const origin = c.req.header('origin');
  if (!origin || origin === 'null') return false;
  const allowed = [requestOrigin(c, config)];
  if (config.PUBLIC_BASE_URL) allowed.push(new URL(config.PUBLIC_BASE_URL).origin);
  return allowed.includes(origin);
}

export function isJsonRequest(c: Context): boolean {
  const type = c.req.header('content-type')?.split(';')[0].trim().toLowerCase();
  return type === 'application/json';
}

/**
 * The client's address for throttling: the socket's peer, or behind TRUST_PROXY the hop our proxy
 * appended to X-Forwarded-For (earlier hops are whatever the client claimed). `app.request()` in
 * tests has no socket: then 'unknown'.
 */
export function clientAddress(c: Context, config: ProxyConfig): string {
  if (config.TRUST_PROXY) {
    const forwarded = nearestHop(c.req.header('x-forwarded-for'));
    if (forwarded) return forwarded.slice(0, 64);
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
