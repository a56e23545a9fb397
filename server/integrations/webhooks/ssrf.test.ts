import { describe, expect, it } from 'vitest';
import { send } from './send.ts';
import { addressPolicy, BlockedAddressError, checkHost, guardedLookup, isPrivateAddress } from './ssrf.ts';
import { startReceiver } from './testing/receiver.ts';

describe('the webhook SSRF guard', () => {
  it('knows private, loopback, link-local and reserved addresses from public ones', () => {
    for (const ip of [
      '127.0.0.1',
      '127.9.9.9',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      'fc12::3',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      'not-an-ip',
    ])
      expect(isPrivateAddress(ip), ip).toBe(true);
    for (const ip of [
      '8.8.8.8',
      '1.1.1.1',
      '172.32.0.1',
      '100.128.0.1',
      '93.184.216.34',
      '2606:4700::1111',
      '::ffff:8.8.8.8',
    ])
      expect(isPrivateAddress(ip), ip).toBe(false);
  });

  it('checks every address a name resolves to, and allows them all with the flag', async () => {
    await expect(checkHost('localhost', addressPolicy(false))).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(checkHost('127.0.0.1', addressPolicy(false))).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(checkHost('[::1]', addressPolicy(false))).rejects.toBeInstanceOf(BlockedAddressError);
    await expect(checkHost('localhost', addressPolicy(true))).resolves.toBeUndefined();
  });

  it('refuses at connect time a name that leads to a private address (DNS may change after the check)', async () => {
    const error = await new Promise<Error | null>((resolve) =>
      guardedLookup(addressPolicy(false))('localhost', {}, (e) => resolve(e)),
    );
    expect(error).toBeInstanceOf(BlockedAddressError);
    const receiver = await startReceiver();
    try {
      const result = await send(receiver.url.replace('127.0.0.1', 'localhost'), '{}', {}, addressPolicy(false));
      expect(result).toMatchObject({ ok: false, status: null, error: expect.stringMatching(/private, loopback/) });
      expect(receiver.received).toHaveLength(0);
      expect(await send(receiver.url.replace('127.0.0.1', 'localhost'), '{}', {}, addressPolicy(true))).toEqual({
        ok: true,
        status: 204,
      });
    } finally {
      await receiver.close();
    }
  });

  it('follows a 307 only to an allowed address: a redirect into the network is refused, nothing reaches it', async () => {
    // 127.0.0.1 stands for a public receiver here, 127.0.0.2 for an address inside the network.
    const policy = { allows: (ip: string) => ip !== '127.0.0.2' && ip !== '::ffff:127.0.0.2' };
    const inside = await startReceiver('127.0.0.2');
    const outside = await startReceiver('127.0.0.1', () => ({ status: 307, headers: { location: inside.url } }));
    const elsewhere = await startReceiver('127.0.0.1');
    const hop = await startReceiver('127.0.0.1', () => ({ status: 308, headers: { location: elsewhere.url } }));
    try {
      const refused = await send(outside.url, '{"a":1}', {}, policy);
      expect(refused).toMatchObject({ ok: false, error: expect.stringMatching(/127\.0\.0\.2/) });
      expect(outside.received).toHaveLength(1);
      expect(inside.received).toHaveLength(0);
      // An allowed hop is followed with the same method and body.
      expect(await send(hop.url, '{"a":2}', {}, policy)).toEqual({ ok: true, status: 204 });
      expect(elsewhere.received.map((r) => r.body)).toEqual(['{"a":2}']);
    } finally {
      await Promise.all([inside.close(), outside.close(), elsewhere.close(), hop.close()]);
    }
  });
});
