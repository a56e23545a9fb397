// Answers only for the host names this server is meant to be reached by: the DNS-rebinding guard. A
// page on evil.example whose name is re-pointed at 127.0.0.1 talks to a local instance as "evil.example",
// with the browser's blessing (same origin for the page); refusing unknown Host headers stops it there.
// Accepted: the loopback names (a rebinding page can never be served under one), PUBLIC_BASE_URL's host
// when set, otherwise also HOST and any IP literal (rebinding needs a name), and ALLOWED_HOSTS.
import type { MiddlewareHandler } from 'hono';
import type { Config } from '../config.ts';
import { ApiError } from '../errors.ts';

type HostConfig = Pick<Config, 'HOST' | 'PUBLIC_BASE_URL' | 'ALLOWED_HOSTS' | 'TRUST_PROXY'>;

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARD_BINDS = new Set(['0.0.0.0', '::', '[::]']);
const IP_LITERAL = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:.]+\])$/;

/** The host name of a Host header value as a URL parser reads it (lowercase, IPv6 bracketed, no port), or null. */
export function hostName(value: string | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(`http://${value}`);
    if (url.host !== value.toLowerCase() && url.host !== value.toLowerCase().replace(/:80$/, '')) return null; // userinfo, paths: not a host
    return url.hostname.replace(/\.$/, '');
  } catch {
    return null;
  }
}

/** Decides whether a host name is one this server answers for. */
export function hostPolicy(config: HostConfig): (host: string | null) => boolean {
  const names = new Set(LOOPBACK);
  for (const entry of config.ALLOWED_HOSTS) if (entry !== '*') names.add(hostName(entry) ?? entry);
  const anyHost = config.ALLOWED_HOSTS.includes('*');
  if (config.PUBLIC_BASE_URL) {
    names.add(new URL(config.PUBLIC_BASE_URL).hostname.replace(/\.$/, ''));
    return (host) => anyHost || (host !== null && names.has(host));
  }
  const bound = hostName(config.HOST);
  if (bound && !WILDCARD_BINDS.has(bound)) names.add(bound);
  return (host) => anyHost || (host !== null && (names.has(host) || IP_LITERAL.test(host)));
}

export function hostCheck(config: HostConfig): MiddlewareHandler {
  const allowed = hostPolicy(config);
  return async (c, next) => {
    // Behind TRUST_PROXY the host the browser used is what the proxy forwarded (nginx sets both).
    const forwarded = config.TRUST_PROXY ? c.req.header('x-forwarded-host')?.split(',').at(-1)?.trim() : undefined;
    const raw = forwarded || c.req.header('host') || new URL(c.req.url).host;
    if (!allowed(hostName(raw))) {
      const shown = raw.slice(0, 100).replace(/[^\x21-\x7e]/g, '?');
      throw new ApiError(
        421,
        'host_not_allowed',
        `This server does not answer for the host "${shown}". Set PUBLIC_BASE_URL (or ALLOWED_HOSTS) to the address people use.`,
      );
    }
    await next();
  };
}
