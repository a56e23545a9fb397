import { describe, expect, it } from 'vitest';
import { pageLang } from './lang.ts';

describe('pageLang', () => {
  it.each([
    ['fr', 'en-US,en;q=0.9', 'fr'],
    ['EN-gb', undefined, 'en-GB'],
    [undefined, 'fr-CA,fr;q=0.9,en;q=0.8', 'fr-CA'],
    [undefined, ' de ; q=0.9', 'de'],
    ['not a tag!', 'fr', 'fr'],
    [undefined, '*', 'en'],
    [undefined, undefined, 'en'],
    ['x'.repeat(200), undefined, 'en'],
  ])('?lang=%j with Accept-Language %j → %s', (query, accept, expected) => {
    expect(pageLang(query, accept)).toBe(expected);
  });
});
