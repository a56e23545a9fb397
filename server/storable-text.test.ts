import { describe, expect, it } from 'vitest';
import { isStorable, toStorable, unstorablePath } from './storable-text.ts';

describe('storable text', () => {
  it.each([
    ['a NUL alone', '\u0000'],
    ['a NUL inside', 'Main\u0000stage'],
    ['a lone high surrogate', '\ud83d'],
    ['a lone high surrogate before text', '\ud83dx'],
    ['a lone low surrogate', 'x\ude00'],
    ['a pair in the wrong order', '\ude00\ud83d'],
    ['a high surrogate at the end after a good pair', '😀\ud83d'],
  ])('refuses %s', (_name, s) => {
    expect(isStorable(s)).toBe(false);
  });

  it.each([
    ['plain', 'Main stage'],
    ['an emoji (a proper pair)', 'Stage 😀'],
    ['accents and CJK', 'Scène 舞台'],
    ['control characters other than NUL', 'a\tb\u0001c'],
    ['empty', ''],
  ])('accepts %s', (_name, s) => expect(isStorable(s)).toBe(true));

  it('names the path of the first bad string in a JSON value, keys reported at their parent', () => {
    expect(unstorablePath({ name: 'ok', nested: { list: ['fine', 'bad\u0000'] } })).toBe('nested.list.1');
    expect(unstorablePath({ label: '\ud800' })).toBe('label');
    expect(unstorablePath({ inner: { ['k\u0000']: 1 } })).toBe('inner');
    expect(unstorablePath('\u0000')).toBe('');
    expect(unstorablePath({ a: 1, b: null, c: true, d: 'ok' })).toBeNull();
  });

  it('cleans text from elsewhere: NUL dropped, broken surrogates replaced, good pairs kept', () => {
    expect(toStorable('Key\u0000note 😀 \ud83d!')).toBe('Keynote 😀 \ufffd!');
    expect(toStorable('unchanged')).toBe('unchanged');
  });
});
