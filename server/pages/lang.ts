// Which language a page is written in: `?lang=` when it names a valid tag, else the browser's first
// Accept-Language choice, else English. The page's scripts read it back from <html lang>.

/** A canonical BCP 47 tag, or undefined for anything Intl refuses. */
function canonical(tag: string | undefined): string | undefined {
  if (!tag || tag.length > 35) return undefined;
  try {
    return Intl.getCanonicalLocales(tag)[0];
  } catch {
    return undefined;
  }
}

export function pageLang(queryLang: string | undefined, acceptLanguage: string | undefined): string {
  const first = acceptLanguage
    ?.split(',')
    .map((part) => part.split(';')[0].trim())
    .find((tag) => tag && tag !== '*');
  return canonical(queryLang) ?? canonical(first) ?? 'en';
}
