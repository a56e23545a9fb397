// Reads a JSON request body against a valibot schema: every failure is a 400 naming the field, text the
// database cannot store (NUL, unpaired surrogates, bytes that are not UTF-8) included.
import type { Context } from 'hono';
import * as v from 'valibot';
import { ApiError } from './errors.ts';
import { unstorablePath } from './storable-text.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Refuses, naming the field, any string the database could not store as sent (NUL, unpaired surrogate). */
export function assertStorableText(body: unknown) {
  const field = unstorablePath(body);
  if (field === null) return;
  const where = field || 'body';
  throw new ApiError(
    400,
    'validation_error',
    `${where}: contains a character that cannot be stored (NUL or an unpaired surrogate)`,
    where,
  );
}

export async function jsonBody<S extends v.GenericSchema>(c: Context, schema: S): Promise<v.InferOutput<S>> {
  let text: string;
  try {
    // Fatal: bytes that are not UTF-8 would otherwise become U+FFFD without a word.
    text = utf8.decode(await c.req.arrayBuffer());
  } catch {
    throw new ApiError(400, 'invalid_json', 'The request body must be UTF-8 JSON');
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'invalid_json', 'The request body must be a JSON object');
  }
  assertStorableText(body);
  const result = v.safeParse(schema, body);
  if (!result.success) {
    const issue = result.issues[0];
    const field = issue.path?.map((p) => String(p.key)).join('.') || undefined;
    throw new ApiError(400, 'validation_error', field ? `${field}: ${issue.message}` : issue.message, field);
  }
  return result.output;
}

/** An ISO 8601 instant with an explicit zone (Z or ±hh:mm); null clears it. */
export const IsoInstant = v.pipe(
  v.string(),
  v.regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/,
    'expected an ISO 8601 time with a zone, e.g. 2026-05-01T18:00:00Z',
  ),
  v.transform((s) => new Date(s)),
  v.check(
    (d) => !Number.isNaN(d.getTime()) && d.getUTCFullYear() >= 2000 && d.getUTCFullYear() <= 2100,
    'expected a real date between 2000 and 2100',
  ),
);
