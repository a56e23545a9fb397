// The per-address read brake of the public read routes (history, stats, now.*): before the access check,
// so a flood costs no query; the refusal is readable from any site, like the routes' other refusals, so a
// widget can tell "slow down" from "not allowed".
import type { MiddlewareHandler } from 'hono';
import { clientAddress } from '../auth/request.ts';
import type { Config } from '../config.ts';
import { ApiError } from '../errors.ts';
import type { AddressLimits } from './address-limits.ts';

export function readLimit(limits: AddressLimits, config: Config): MiddlewareHandler {
  return async (_c, next) => {
    const wait = limits.reads.retryAfter(clientAddress(_c, config));
    if (wait) {
      throw new ApiError(429, 'rate_limited', `Too many reads from your address; try again in ${wait} s`, undefined, {
        'Retry-After': String(wait),
        'Access-Control-Allow-Origin': '*',
      });
    }
    await next();
  };
}
