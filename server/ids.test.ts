import { describe, expect, it } from 'vitest';
import { isId, newEmbedKey, newId } from './ids.ts';

describe('ids', () => {
  it('are URL-safe, 12 characters, and never begin with - (a spreadsheet would read the CSV cell as a formula)', () => {
    // Without the rule about 1 id in 64 begins with '-': 10,000 ids all missing it by chance is about e^-156.
    const ids = Array.from({ length: 10_000 }, () => newId());
    expect(ids.filter((id) => id.startsWith('-'))).toEqual([]);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{11}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every(isId)).toBe(true);
    expect(newEmbedKey()).toMatch(/^[A-Za-z0-9_][A-Za-z0-9_-]{31}$/);
  });

  it('still accepts older ids that begin with -', () => {
    expect(isId('-abcdefghijk')).toBe(true);
    expect(isId('-=1+1')).toBe(false);
  });
});
