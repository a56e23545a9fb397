// Turns a failed videos.list call (an error response, a thrown fetch) into one UpstreamFault, following
// the classification table of the wire reference (§3.9). Classifies on reason codes, never on message
// text: messages are localized, contain HTML, and are never passed on.

export type UpstreamFaultKind =
  | 'quota_exceeded' // wait for the next Pacific midnight, do not retry
  | 'api_key_invalid' // fatal until the key is changed
  | 'api_config_error' // key blocked/restricted or API disabled: fatal until the project is fixed
  | 'rate_limited' // retry with backoff (retryAfterSeconds when YouTube said)
  | 'bad_request' // our request is wrong: a bug, do not retry blindly
  | 'unavailable' // 5xx, HTML, unreadable body: retry with backoff
  | 'network' // no answer: reset, refused, DNS
  | 'timeout'; // no answer within timeoutMs

export interface UpstreamFault {
  kind: UpstreamFaultKind;
  httpStatus?: number;
  /** Short and human; never the key, never upstream message text or HTML. */
  reason: string;
  retryAfterSeconds?: number;
}

const QUOTA = new Set(['quotaExceeded', 'dailyLimitExceeded']);
const KEY_INVALID = new Set(['API_KEY_INVALID', 'keyInvalid']);
const RATE = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'RATE_LIMIT_EXCEEDED']);
const CONFIG = new Set([
  'forbidden',
  'accessNotConfigured',
  'SERVICE_DISABLED',
  'API_KEY_SERVICE_BLOCKED',
  'API_KEY_HTTP_REFERRER_BLOCKED',
  'API_KEY_IP_ADDRESS_BLOCKED',
  'API_KEY_ANDROID_APP_BLOCKED',
  'API_KEY_IOS_APP_BLOCKED',
  'ipRefererBlocked',
]);
const MAX_RETRY_AFTER = 24 * 3600;

/** An HTTP answer that is not a usable 200. `body` is the raw text; it may be HTML, JSON or nothing. */
export function classifyHttpFault(
  status: number,
  contentType: string | null,
  body: string,
  retryAfter: string | null,
  now = Date.now(),
): UpstreamFault {
  const reasons = errorReasons(contentType, body);
  const first = reasons[0];
  const named = (what: string) => (first ? `${what} (${reasons.join(', ')})` : `${what} (HTTP ${status})`);
  const wait = parseRetryAfter(retryAfter, now);
  const withWait = (f: UpstreamFault): UpstreamFault => (wait === undefined ? f : { ...f, retryAfterSeconds: wait });
  const has = (set: Set<string>) => reasons.some((r) => set.has(r));

  if (has(QUOTA)) return { kind: 'quota_exceeded', httpStatus: status, reason: named('daily quota exhausted') };
  if (status === 429 || has(RATE))
    return withWait({ kind: 'rate_limited', httpStatus: status, reason: named('rate limited') });
  if (has(KEY_INVALID)) return { kind: 'api_key_invalid', httpStatus: status, reason: named('API key rejected') };
  if (status === 401 || status === 403 || has(CONFIG)) {
    return {
      kind: 'api_config_error',
      httpStatus: status,
      reason: named('API key blocked or YouTube Data API not enabled'),
    };
  }
  if (status >= 500) {
    const what =
      body !== '' && !isJson(contentType) ? 'YouTube answered with a non-JSON page' : 'YouTube backend error';
    return withWait({ kind: 'unavailable', httpStatus: status, reason: named(what) });
  }
  // A 404 means the path is wrong: the base URL, not the request, is misconfigured.
  if (status === 404)
    return {
      kind: 'api_config_error',
      httpStatus: status,
      reason: named('videos endpoint not found, check YT_API_BASE_URL'),
    };
  if (status >= 400) return { kind: 'bad_request', httpStatus: status, reason: named('request refused') };
  return { kind: 'unavailable', httpStatus: status, reason: `unexpected HTTP ${status}` };
}

/** A fetch that threw: our own timeout, or a connection that failed. */
export function classifyThrown(error: unknown): UpstreamFault {
  const name = (error as { name?: unknown })?.name;
  if (name === 'TimeoutError' || name === 'AbortError')
    return { kind: 'timeout', reason: 'no answer from YouTube in time' };
  const code = errorCode(error);
  return { kind: 'network', reason: code ? `connection failed (${code})` : 'connection failed' };
}

/** errors[].reason first (the v1 envelope), then details[].reason (where API_KEY_INVALID lives). */
function errorReasons(contentType: string | null, body: string): string[] {
  if (!isJson(contentType) && !body.trimStart().startsWith('{')) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  const error = (parsed as { error?: { errors?: unknown; details?: unknown } } | null)?.error;
  const pick = (list: unknown) =>
    Array.isArray(list) ? list.map((e) => (e as { reason?: unknown })?.reason).filter(isReasonCode) : [];
  return [...new Set([...pick(error?.errors), ...pick(error?.details)])];
}

// Reason codes are identifiers; anything else (a long or odd string) is not repeated in our reason.
const isReasonCode = (r: unknown): r is string => typeof r === 'string' && /^[A-Za-z_]{1,60}$/.test(r);

const isJson = (contentType: string | null) => /^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType ?? '');

/** Retry-After as delta-seconds or an HTTP date; capped at a day, undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const text = value.trim();
  // delta-seconds, or an IMF-fixdate such as "Sun, 08 Mar 2026 10:01:30 GMT" (RFC 9110 §10.2.3).
  const seconds = /^\d+$/.test(text)
    ? Number(text)
    : / GMT$/.test(text)
      ? Math.ceil((Date.parse(text) - now) / 1000)
      : NaN;
  if (!Number.isFinite(seconds)) return undefined;
  return Math.min(Math.max(seconds, 0), MAX_RETRY_AFTER);
}

/** undici puts the system error (ECONNRESET, ENOTFOUND…) on `cause`, sometimes one level deeper. */
function errorCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z_]{2,40}$/.test(code)) return code;
  }
  return undefined;
}
