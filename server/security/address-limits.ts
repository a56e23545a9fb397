// Per-address limits: open SSE connections, and history reads (JSON, CSV, SSE connects) per minute, so
// one script cannot take the whole instance. The defaults are far above what a venue behind one NAT
// does (see the README), and an IPv6 client counts by its /64, which it may otherwise rotate through.
import type { Release } from '../history/csv-budget.ts';
import { log } from '../log.ts';

/** The key an address is counted under: IPv4 (also IPv4-mapped) as is, IPv6 by its /64 prefix. */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (!address.includes(':')) return address;
  const [head, tail = ''] = address.split('%')[0].split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, '').toLowerCase())
    .join(':')}::/64`;
}

/** Logs at most one line per address and code every 10 s, so a flood of refusals is one line, not a flood. */
function quietLogger(code: string) {
  const last = new Map<string, number>();
  return (key: string, message: string) => {
    const now = Date.now();
    if ((last.get(key) ?? 0) > now - 10_000) return;
    if (last.size > 10_000) last.clear();
    last.set(key, now);
    log('warn', code, message, { address: key });
  };
}

export interface ConnectionLimit {
  /** A connection slot for this address, or null when it already holds `max`. */
  open(address: string): Release | null;
  count(address: string): number;
}

export function createConnectionLimit(max: number, code: string): ConnectionLimit {
  const open = new Map<string, number>();
  const refused = quietLogger(code);
  return {
    open(address) {
      const key = addressKey(address);
      const n = open.get(key) ?? 0;
      if (n >= max) {
        refused(key, `${max} connections from one address already open: refused`);
        return null;
      }
      open.set(key, n + 1);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        const left = (open.get(key) ?? 1) - 1;
        if (left > 0) open.set(key, left);
        else open.delete(key);
      };
    },
    count: (address) => open.get(addressKey(address)) ?? 0,
  };
}

export interface RateLimit {
  /** 0 when the request may go ahead (and is counted), else the seconds until it may. */
  retryAfter(address: string, now?: number): number;
}

/** A token bucket per address: `perMinute` requests at once, refilled at `perMinute` a minute. */
export function createRateLimit(perMinute: number, code: string): RateLimit {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const refused = quietLogger(code);
  const perMs = perMinute / 60_000;
  let swept = 0;
  return {
    retryAfter(address, now = Date.now()) {
      // Full buckets carry no information: dropped once a minute, so the map holds recent addresses only.
      if (now - swept > 60_000) {
        swept = now;
        for (const [k, b] of buckets) if (b.tokens + (now - b.at) * perMs >= perMinute) buckets.delete(k);
      }
      const key = addressKey(address);
      const b = buckets.get(key) ?? { tokens: perMinute, at: now };
      b.tokens = Math.min(perMinute, b.tokens + (now - b.at) * perMs);
      b.at = now;
      buckets.set(key, b);
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      refused(key, `more than ${perMinute} history reads a minute from one address: refused`);
      return Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000));
    },
  };
}

export interface AddressLimits {
  sse: ConnectionLimit;
  reads: RateLimit;
}

export function createAddressLimits(config: {
  SSE_MAX_PER_ADDRESS: number;
  HISTORY_READS_PER_MINUTE: number;
}): AddressLimits {
  return {
    sse: createConnectionLimit(config.SSE_MAX_PER_ADDRESS, 'sse_address_limit'),
    reads: createRateLimit(config.HISTORY_READS_PER_MINUTE, 'history_address_limit'),
  };
}
