// The one error type of the API, thrown anywhere, and its one renderer: {error: {code, message, field?}}
// with its HTTP status and headers (the app's notFound and onError, and the body limit, all use it).
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiErrorBody } from './wire.ts';

export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The only place an API error becomes a response. */
export function errorResponse(c: Context, error: ApiError): Response {
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  const body: ApiErrorBody = {
    error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) },
  };
  return c.json(body, error.status);
}

export const notFound = (what: string) => new ApiError(404, 'not_found', `${what} not found`);
export const badParam = (field: string, message: string) => new ApiError(400, 'validation_error', message, field);
