// Caps request bodies before any route reads them: 413 with the API's JSON error instead of buffering megabytes.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError, errorResponse } from '../errors.ts';

export const MAX_BODY_BYTES = 64 * 1024;

export function limitBodies(maxSize = MAX_BODY_BYTES): MiddlewareHandler {
  const limit = bodyLimit({
    maxSize,
    onError: (c) =>
      errorResponse(
        c,
        new ApiError(413, 'payload_too_large', `Request body is larger than ${Math.round(maxSize / 1024)} KB`),
      ),
  });
  // GET and HEAD carry no body to limit; checking one anyway makes the Node adapter build a full
  // Request (AbortController, Headers…) that lives as long as an SSE connection: ~6 kB per client.
  return (c, next) => (c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limit(c, next));
}
