// Random, URL-safe identifiers for events, streams and jobs, and the one check that path ids pass before SQL.
import { randomBytes } from 'node:crypto';
import * as v from 'valibot';

/**
 * Never begins with `-`: ids are written verbatim into CSV files (they are data, not text to defuse), and
 * a spreadsheet reads a cell starting with `-` as a formula or a negative number. Redrawing costs one id
 * in 64 a second draw and the first character one value of 64.
 */
export function newId(bytes = 9): string {
  for (;;) {
    const id = randomBytes(bytes).toString('base64url');
    if (id[0] !== '-') return id;
  }
}

/** The per-event key embed tokens are signed with; replacing it revokes all of them. */
export const newEmbedKey = () => newId(24);

/** Path parameters that name a row: checked before any query, so junk never reaches SQL. */
export const IdSchema = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,40}$/));

export function isId(value: string | undefined): value is string {
  return value !== undefined && v.is(IdSchema, value);
}
