// Edge cases of the fault table that the simulator does not produce on its own.
import { describe, expect, it } from 'vitest';
import { classifyHttpFault, classifyThrown, parseRetryAfter } from './classify-fault.ts';

const json = 'application/json; charset=UTF-8';
const body = (reasons: string[], details: string[] = []) =>
  JSON.stringify({
    error: {
      code: 0,
      message: '<b>x</b>',
      errors: reasons.map((reason) => ({ reason })),
      details: details.map((reason) => ({ reason })),
    },
  });

describe('classifyHttpFault', () => {
  it.each([
    ['referrer-restricted key', 403, body(['forbidden'], ['API_KEY_HTTP_REFERRER_BLOCKED']), 'api_config_error'],
    ['unknown 403 reason', 403, body(['somethingNew']), 'api_config_error'],
    ['bare 401', 401, '', 'api_config_error'],
    ['wrong base URL', 404, '<html>Not Found</html>', 'api_config_error'],
    ['invalid key in details only', 400, body(['badRequest'], ['API_KEY_INVALID']), 'api_key_invalid'],
    ['missing parameter', 400, body(['missingRequiredParameter']), 'bad_request'],
    ['HTML 429', 429, '<html>Too Many Requests</html>', 'rate_limited'],
    ['empty 504', 504, '', 'unavailable'],
    ['quota reason on a 503', 503, body(['quotaExceeded']), 'quota_exceeded'], // the reason wins over the status
  ])('%s (%i) → %s', (_, status, text, kind) => {
    expect(classifyHttpFault(status, text.startsWith('{') ? json : 'text/html', text, null).kind).toBe(kind);
  });

  it('never repeats odd reason strings or message text', () => {
    const f = classifyHttpFault(400, json, body(['<script>alert(1)</script>', 'invalidFilters']), null);
    expect(f.reason).toBe('request refused (invalidFilters)');
  });

  it('reads Retry-After on a 503 too', () => {
    expect(classifyHttpFault(503, json, body(['backendError']), '7')).toMatchObject({
      kind: 'unavailable',
      retryAfterSeconds: 7,
    });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-03-08T10:00:00Z');
  it.each([
    ['120', 120],
    ['0', 0],
    ['Sun, 08 Mar 2026 10:01:30 GMT', 90],
    ['Sun, 08 Mar 2026 09:00:00 GMT', 0],
    ['9999999', 86_400],
    ['soon', undefined],
    ['-5', undefined],
    ['', undefined],
    [null, undefined],
  ])('%j → %j', (value, seconds) => {
    expect(parseRetryAfter(value, now)).toBe(seconds);
  });
});

describe('classifyThrown', () => {
  it('tells our timeout from a failed connection, finding the code on a nested cause', () => {
    expect(classifyThrown(new DOMException('The operation was aborted due to timeout', 'TimeoutError')).kind).toBe(
      'timeout',
    );
    const nested = new TypeError('fetch failed', {
      cause: new Error('wrapper', { cause: Object.assign(new Error('x'), { code: 'ECONNRESET' }) }),
    });
    expect(classifyThrown(nested)).toEqual({ kind: 'network', reason: 'connection failed (ECONNRESET)' });
    expect(classifyThrown(new TypeError('fetch failed'))).toEqual({ kind: 'network', reason: 'connection failed' });
  });
});
