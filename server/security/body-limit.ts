// Caps request bodies before any route reads them: 413 with the API's JSON error instead of buffering megabytes.
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from '../errors.ts';

export const MAX_BODY_BYTES = 64 * 1024;

export function limitBodies(maxSize = MAX_BODY_BYTES): MiddlewareHandler {
  return bodyLimit({
    maxSize,
    onError: (c) => c.json(new ApiError(413, 'payload_too_large', `Request body is larger than ${Math.round(maxSize / 1024)} KB`).toJSON(), 413),
  });
}
