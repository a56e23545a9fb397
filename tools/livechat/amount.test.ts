import { describe, expect, it } from 'vitest';
import { parseAmount } from './amount.ts';

describe('parseAmount', () => {
  it.each([
    ['$5.00', 5, 'USD'],
    ['CA$10.00', 10, 'CAD'],
    ['A$1,234.50', 1234.5, 'AUD'],
    ['¥500', 500, 'JPY'],
    ['CN¥20.00', 20, 'CNY'],
    ['€2,00', 2, 'EUR'],
    ['1.234,56 €', 1234.56, 'EUR'],
    ['₩10,000', 10000, 'KRW'],
    ['PHP 100.00', 100, 'PHP'],
    ['CHF\u00a05.00', 5, 'CHF'],
    ['£1,000,000', 1000000, 'GBP'],
  ])('%s → %d %s', (text, value, currency) => {
    expect(parseAmount(text)).toEqual({ value, currency });
  });

  // YouTube formats amounts with CLDR for the session's en-US locale, as Intl does: every currency
  // Intl knows must come back as its own code and value.
  it('reads back every currency as Intl formats it for en-US', () => {
    const wrong = Intl.supportedValuesOf('currency').flatMap((code) => {
      const format = new Intl.NumberFormat('en-US', { style: 'currency', currency: code });
      const text = format.format(1234.5);
      const shown = Number(
        format
          .formatToParts(1234.5)
          .filter((p) => p.type === 'integer' || p.type === 'fraction')
          .map((p) => (p.type === 'fraction' ? `.${p.value}` : p.value))
          .join(''),
      );
      const parsed = parseAmount(text);
      return parsed?.currency === code && parsed.value === shown
        ? []
        : [`${code}: ${text} → ${JSON.stringify(parsed)}`];
    });
    expect(wrong).toEqual([]);
  });

  it('keeps a symbol it does not know rather than guessing a code', () => {
    expect(parseAmount('₾12.00')).toEqual({ value: 12, currency: '₾' });
  });

  it.each(['', 'free', '$', '5.00', '$1.2.3,4,5x'])('refuses %j', (text) => {
    expect(parseAmount(text)).toBeUndefined();
  });
});
