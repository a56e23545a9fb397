// The `locale` parameter of the now.* routes: a BCP 47 tag this server's Intl can format numbers in.
// Anything else is a 400 naming the parameter, never a silent fallback a title on air would show.
import { badParam } from '../../errors.ts';
import type { QueryValues } from '../../history/params.ts';

export const DEFAULT_LOCALE = 'en';
// Longer than any real tag with its extensions; bounds the work done on hostile input.
const MAX_LOCALE_LENGTH = 64;
const TAG_CHARS = /^[A-Za-z0-9-]+$/;

export function parseLocale(query: QueryValues): string {
  const values = query.locale;
  if (!values?.length) return DEFAULT_LOCALE;
  if (values.length > 1) throw badParam('locale', 'locale: give it once');
  const raw = values[0];
  const message = 'locale: expected a language tag such as en, fr, de-CH or en-IN';
  if (!raw || raw.length > MAX_LOCALE_LENGTH || !TAG_CHARS.test(raw)) throw badParam('locale', message);
  let tag: string;
  try {
    tag = Intl.getCanonicalLocales(raw)[0];
  } catch {
    throw badParam('locale', message);
  }
  // A well-formed tag Intl knows nothing of ("xx") would format as the server's default: refused instead.
  if (!Intl.NumberFormat.supportedLocalesOf(tag).length)
    throw badParam('locale', `locale: ${tag} is not supported here`);
  return tag;
}
