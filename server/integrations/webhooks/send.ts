// One POST of a delivery: signed, 10 s at most, redirects followed by hand (at most 3) with every hop's
// address checked like the first, so neither DNS nor a redirect can lead a delivery inside the network.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { BlockedAddressError, guardedLookup, type AddressPolicy } from './ssrf.ts';

const TIMEOUT_MS = 10_000;
const MAX_REDIRECTS = 3;

export type SendResult = { ok: true; status: number } | { ok: false; status: number | null; error: string };

function postOnce(url: URL, body: string, headers: Record<string, string>, policy: AddressPolicy) {
  return new Promise<{ status: number; location?: string }>((resolve, reject) => {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && !policy.allows(host)) return reject(new BlockedAddressError(url.hostname, host));
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(policy),
        timeout: TIMEOUT_MS,
      },
      (res) => {
        res.resume(); // the answer's body is not ours to read
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end(body);
  });
}

export async function send(
  target: string,
  body: string,
  headers: Record<string, string>,
  policy: AddressPolicy,
): Promise<SendResult> {
  let url = new URL(target);
  try {
    for (let hop = 0; ; hop++) {
      const { status, location } = await postOnce(url, body, headers, policy);
      if (status >= 200 && status < 300) return { ok: true, status };
      // 307/308 keep the method and body; 301/302/303 would turn the POST into a GET: not a delivery.
      if ((status === 307 || status === 308) && location && hop < MAX_REDIRECTS) {
        const next = new URL(location, url);
        if (next.protocol !== 'http:' && next.protocol !== 'https:')
          return { ok: false, status, error: 'redirect to a non-HTTP URL' };
        url = next;
        continue;
      }
      return {
        ok: false,
        status,
        error: status >= 300 && status < 400 ? `redirect (${status}) not followed` : `HTTP ${status}`,
      };
    }
  } catch (error) {
    return { ok: false, status: null, error: (error as Error).message.slice(0, 300) };
  }
}
