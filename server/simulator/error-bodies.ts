// The error answers the simulator can give, each with the real status, headers and body YouTube sends
// (bodies from the wire reference §3, word for word where a capture exists).

export const FAULTS = [
  'quota_exceeded', // 403 quotaExceeded (current)
  'daily_limit_exceeded', // 403 dailyLimitExceeded (legacy)
  'key_invalid', // 400 badRequest + details API_KEY_INVALID (current)
  'key_invalid_legacy', // 400 keyInvalid (legacy)
  'key_service_blocked', // 403 forbidden + API_KEY_SERVICE_BLOCKED
  'api_not_enabled', // 403 accessNotConfigured + SERVICE_DISABLED
  'rate_limit_exceeded', // 403 rateLimitExceeded
  'user_rate_limit_exceeded', // 403 userRateLimitExceeded
  'too_many_requests', // 429 (Retry-After when retryAfterSeconds is given)
  'backend_error_500', // 500 backendError
  'backend_error_503', // 503 backendError
  'invalid_filters', // 400 invalidFilters
  'html_502', // 502 with Google's HTML error page
  'malformed_json', // 200 application/json whose body is cut off
  'hang', // holds the answer for hangMs (default 60 s), then answers normally
  'reset', // TCP reset, no answer at all
] as const;

export type FaultName = (typeof FAULTS)[number];

export interface CannedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const JSON_TYPE = { 'content-type': 'application/json; charset=UTF-8' };

const QUOTA_MESSAGE =
  'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.';
const KEY_MESSAGE = 'API key not valid. Please pass a valid API key.';

const envelope = (code: number, message: string, errors: object[], extra: object = {}) =>
  JSON.stringify({ error: { code, message, errors, ...extra } }, null, 2);

export function googleError(
  code: number,
  reason: string,
  message: string,
  domain = 'global',
  extra: object = {},
): CannedResponse {
  return { status: code, headers: JSON_TYPE, body: envelope(code, message, [{ message, domain, reason }], extra) };
}

const BODIES: Record<Exclude<FaultName, 'hang' | 'reset'>, (retryAfterSeconds?: number) => CannedResponse> = {
  quota_exceeded: () => googleError(403, 'quotaExceeded', QUOTA_MESSAGE, 'youtube.quota'),
  daily_limit_exceeded: () =>
    googleError(
      403,
      'dailyLimitExceeded',
      'Daily Limit Exceeded. The quota will be reset at midnight Pacific Time (PT). You may monitor your quota usage and adjust limits in the API Console: https://console.developers.google.com/apis/api/youtube.googleapis.com/quotas?project=000000000000',
      'usageLimits',
    ),
  key_invalid: () => invalidKey(),
  key_invalid_legacy: () => ({
    status: 400,
    headers: JSON_TYPE,
    body: JSON.stringify({
      error: {
        errors: [{ domain: 'usageLimits', reason: 'keyInvalid', message: 'Bad Request' }],
        code: 400,
        message: 'Bad Request',
      },
    }),
  }),
  key_service_blocked: () =>
    googleError(
      403,
      'forbidden',
      'Requests to this API youtube method youtube.api.v3.V3DataVideoService.List are blocked.',
      'global',
      {
        status: 'PERMISSION_DENIED',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'API_KEY_SERVICE_BLOCKED',
            domain: 'googleapis.com',
            metadata: { service: 'youtube.googleapis.com', consumer: 'projects/000000000000' },
          },
        ],
      },
    ),
  api_not_enabled: () =>
    googleError(
      403,
      'accessNotConfigured',
      'YouTube Data API v3 has not been used in project 000000000000 before or it is disabled. Enable it by visiting https://console.developers.google.com/apis/api/youtube.googleapis.com/overview?project=000000000000 then retry.',
      'usageLimits',
      {
        status: 'PERMISSION_DENIED',
        details: [
          {
            '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
            reason: 'SERVICE_DISABLED',
            domain: 'googleapis.com',
            metadata: { service: 'youtube.googleapis.com', consumer: 'projects/000000000000' },
          },
        ],
      },
    ),
  rate_limit_exceeded: () => googleError(403, 'rateLimitExceeded', 'Rate Limit Exceeded', 'usageLimits'),
  user_rate_limit_exceeded: () => googleError(403, 'userRateLimitExceeded', 'User Rate Limit Exceeded', 'usageLimits'),
  too_many_requests: (retryAfterSeconds) => {
    const r = googleError(429, 'rateLimitExceeded', 'Too Many Requests', 'usageLimits', {
      status: 'RESOURCE_EXHAUSTED',
    });
    return retryAfterSeconds === undefined
      ? r
      : { ...r, headers: { ...r.headers, 'retry-after': String(retryAfterSeconds) } };
  },
  backend_error_500: () => backendError(500),
  backend_error_503: () => backendError(503),
  invalid_filters: () =>
    googleError(400, 'invalidFilters', 'The request specifies an invalid filter parameter.', 'youtube.parameter', {
      status: 'INVALID_ARGUMENT',
    }),
  html_502: () => ({
    status: 502,
    headers: { 'content-type': 'text/html; charset=UTF-8' },
    body:
      '<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n  <title>Error 502 (Server Error)!!1</title>\n' +
      '  <p><b>502.</b> <ins>That’s an error.</ins>\n  <p>The server encountered a temporary error and could not complete your request.<p>Please try again in 30 seconds.  <ins>That’s all we know.</ins>\n',
  }),
  malformed_json: () => ({
    status: 200,
    headers: JSON_TYPE,
    body: '{\n  "kind": "youtube#videoListResponse",\n  "items": [\n    {"id": "c7_kqMFDE8c", "liveStr',
  }),
};

export function faultResponse(fault: Exclude<FaultName, 'hang' | 'reset'>, retryAfterSeconds?: number): CannedResponse {
  return BODIES[fault](retryAfterSeconds);
}

/** 400 with the current invalid-key body: errors[0] says only badRequest, details carry API_KEY_INVALID. */
export function invalidKey(): CannedResponse {
  return googleError(400, 'badRequest', KEY_MESSAGE, 'global', {
    status: 'INVALID_ARGUMENT',
    details: [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'API_KEY_INVALID',
        domain: 'googleapis.com',
        metadata: { service: 'youtube.googleapis.com' },
      },
      { '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message: KEY_MESSAGE },
    ],
  });
}

function backendError(code: 500 | 503): CannedResponse {
  return {
    status: code,
    headers: JSON_TYPE,
    body: JSON.stringify({
      error: {
        errors: [{ domain: 'global', reason: 'backendError', message: 'Backend Error' }],
        code,
        message: 'Backend Error',
      },
    }),
  };
}
