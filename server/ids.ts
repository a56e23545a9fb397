// Random, URL-safe identifiers for events, streams and jobs, and the one check that path ids pass before SQL.
import { randomBytes } from 'node:crypto';
import * as v from 'valibot';

export function newId(bytes = 9): string {
  return randomBytes(bytes).toString('base64url');
}

/** The per-event key embed tokens are signed with; replacing it revokes all of them. */
export const newEmbedKey = () => newId(24);

/** Path parameters that name a row: checked before any query, so junk never reaches SQL. */
export const IdSchema = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,40}$/));

export function isId(value: string | undefined): value is string {
  return value !== undefined && v.is(IdSchema, value);
}
