// Numbers and times in the viewer's language: the element's `locale`, else the page's `lang`, else the browser's.

/** A valid BCP 47 tag for `el`, or undefined to let Intl use the browser's language. */
export function resolveLocale(el: Element, attribute: string | undefined): string | undefined {
  const written = attribute || el.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang;
  if (!written) return undefined;
  // "de_CH" (POSIX, as CMSs and server locales write it) is not BCP 47: Intl refuses it, and the page would get
  // the browser's language (English grouping and "1.2K" on a Swiss German page) instead of the one it names.
  const tag = written.replaceAll('_', '-');
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined; // a malformed tag must not break the widget: fall back to the browser's language
  }
}

const numberFormats = new Map<string, Intl.NumberFormat>();

export function numberFormat(locale: string | undefined, compact = false): Intl.NumberFormat {
  const key = `${locale ?? ''}|${compact}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(
      locale,
      compact ? { notation: 'compact', maximumFractionDigits: 1 } : { maximumFractionDigits: 0 },
    );
    numberFormats.set(key, format);
  }
  return format;
}

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** Clock time in the viewer's time zone, e.g. "14:32" or "2:32 PM". */
export function formatClock(locale: string | undefined, ms: number): string {
  const key = locale ?? '';
  let format = clockFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' });
    clockFormats.set(key, format);
  }
  return format.format(ms);
}
