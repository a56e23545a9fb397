// Turns the amount YouTube shows on a paid message ("$5.00", "CA$10.00", "¥500", "PLN 20.00")
// into a number and an ISO 4217 currency code.

// The InnerTube session asks for en-US, and YouTube formats amounts with CLDR like Intl does, so the
// symbols to expect are exactly the ones Intl prints for en-US; every other currency shows its code.
const SYMBOLS = new Map(
  Intl.supportedValuesOf('currency')
    .map((code) => [currencySymbol(code), code] as const)
    .reverse(),
);

const SHAPE = /^(\D*?)\s*(\d[\d.,\s]*?)\s*(\D*)$/u;

export function parseAmount(text: string): { value: number; currency: string } | undefined {
  const match = SHAPE.exec(plainSpaces(text).trim());
  if (!match) return undefined;
  const [, before, digits, after] = match;
  const symbol = before || after;
  const value = parseNumber(digits.replace(/\s/g, ''));
  if (!symbol || value === undefined) return undefined;
  return { value, currency: /^[A-Z]{3}$/.test(symbol) ? symbol : (SYMBOLS.get(symbol) ?? symbol) };
}

/** Reads both "1,234.56" and "1.234,56"; a lone separator followed by exactly three digits groups thousands. */
function parseNumber(digits: string): number | undefined {
  const lastDot = digits.lastIndexOf('.');
  const lastComma = digits.lastIndexOf(',');
  let decimal: '.' | ',' | undefined;
  if (lastDot >= 0 && lastComma >= 0) decimal = lastDot > lastComma ? '.' : ',';
  else if (lastDot >= 0 || lastComma >= 0) {
    const sep = lastDot >= 0 ? '.' : ',';
    const once = digits.indexOf(sep) === digits.lastIndexOf(sep);
    decimal = once && digits.length - digits.lastIndexOf(sep) - 1 !== 3 ? sep : undefined;
  }
  const grouping = decimal === '.' ? ',' : decimal === ',' ? '.' : /[.,]/g;
  const normal = digits.replaceAll(grouping, '').replace(',', '.');
  return /^\d+(\.\d+)?$/.test(normal) ? Number(normal) : undefined;
}

function currencySymbol(code: string): string {
  const parts = new Intl.NumberFormat('en-US', { style: 'currency', currency: code }).formatToParts(1);
  return plainSpaces(parts.find((part) => part.type === 'currency')?.value ?? code);
}

function plainSpaces(text: string): string {
  return text.replace(/[\u00a0\u202f]/g, ' ');
}
