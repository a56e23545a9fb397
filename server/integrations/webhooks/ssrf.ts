// The SSRF guard of webhooks: a delivery may only reach public addresses (unless WEBHOOK_ALLOW_PRIVATE=1).
// Checked where it counts: on every address a name resolves to when the URL is saved, and again on the
// address each connection actually uses (DNS may change in between: rebinding), for every redirect hop.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';

/** Whether an address is one a webhook must not reach: loopback, private, link-local, CGNAT, multicast, reserved. */
export function isPrivateAddress(address: string): boolean {
  const ip = address.replace(/^\[|\]$/g, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(ip);
  if (mapped) return isPrivateAddress(mapped[1]);
  if (isIP(ip) === 4) {
    const [a, b] = ip.split('.').map(Number);
    return (
      a === 0 || // "this network"
      a === 10 ||
      a === 127 ||
      (a === 100 && b >= 64 && b <= 127) || // CGNAT
      (a === 169 && b === 254) || // link-local, cloud metadata
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 192 && b === 0) || // IETF protocol assignments
      (a === 198 && (b === 18 || b === 19)) || // benchmarking
      a >= 224 // multicast, reserved, broadcast
    );
  }
  if (isIP(ip) === 6) {
    return (
      ip === '::' ||
      ip === '::1' ||
      /^f[cd]/.test(ip) || // unique local fc00::/7
      /^fe[89ab]/.test(ip) || // link-local fe80::/10
      /^ff/.test(ip) || // multicast
      /^64:ff9b:/.test(ip) || // NAT64: may embed a private IPv4
      /^2001:db8:/.test(ip) // documentation
    );
  }
  return true; // not an address at all: refuse
}

export interface AddressPolicy {
  /** True when the address may be reached. */
  allows(address: string): boolean;
}

export const addressPolicy = (allowPrivate: boolean): AddressPolicy => ({
  allows: (address) => allowPrivate || !isPrivateAddress(address),
});

export class BlockedAddressError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`${host} leads to ${address}, a private, loopback or link-local address`);
  }
}

/** Every address `host` resolves to must be allowed (an IP literal is its own answer). */
export async function checkHost(host: string, policy: AddressPolicy): Promise<void> {
  const bare = host.replace(/^\[|\]$/g, '');
  const addresses = isIP(bare)
    ? [bare]
    : (
        await new Promise<LookupAddress[]>((resolve, reject) =>
          dnsLookup(bare, { all: true, verbatim: true }, (error, found) => (error ? reject(error) : resolve(found))),
        )
      ).map((a) => a.address);
  for (const address of addresses) if (!policy.allows(address)) throw new BlockedAddressError(host, address);
}

/**
 * A `lookup` for http.request that refuses a disallowed address at connect time, so the connection goes
 * to exactly the address that was checked (an IP literal host skips lookup: check it before the request).
 */
export function guardedLookup(policy: AddressPolicy) {
  return (
    hostname: string,
    options: object,
    callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    dnsLookup(hostname, { ...options, all: true, verbatim: true }, (error, found) => {
      if (error) return callback(error, []);
      const blocked = found.find((a) => !policy.allows(a.address));
      if (blocked) return callback(new BlockedAddressError(hostname, blocked.address), []);
      if ((options as { all?: boolean }).all) return callback(null, found);
      callback(null, found[0].address, found[0].family);
    });
  };
}
