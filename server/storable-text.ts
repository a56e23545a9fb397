// Text PostgreSQL can store: no NUL (text columns refuse it: SQLSTATE 22021) and no unpaired UTF-16
// surrogate (UTF-8 cannot encode one, so both drivers would silently store U+FFFD instead).
/** A NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const isStorable = (s: string) => !UNSTORABLE.test(s);

/**
 * Where in a parsed JSON value the first unstorable string sits, as a dotted path (`streams.0.label`,
 * '' for the value itself); a bad object key is reported at its parent. Null when everything is storable.
 */
export function unstorablePath(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return isStorable(value) ? null : path;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, item] of Object.entries(value)) {
    if (!isStorable(key)) return path;
    const found = unstorablePath(item, path ? `${path}.${key}` : key);
    if (found !== null) return found;
  }
  return null;
}

/** For text from elsewhere (YouTube): NULs dropped, unpaired surrogates replaced by U+FFFD, so it can be stored. */
export const toStorable = (s: string) =>
  isStorable(s) ? s : s.replace(new RegExp(UNSTORABLE.source, 'g'), (m) => (m === '\u0000' ? '' : '\ufffd'));
