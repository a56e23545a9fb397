import { describe, expect, it } from 'vitest';
import { CsvRecordCounter, countNewlines } from './csv-records.ts';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('CsvRecordCounter', () => {
  const csv = 'ts,label,viewers\n1,"line1\nline2",5\n2,"say ""hi""\n",\n3,plain,7\n';

  it('counts records, not the newlines inside quoted fields', () => {
    const c = new CsvRecordCounter();
    c.add(bytes(csv));
    expect(c.records).toBe(4);
    expect(countNewlines(bytes(csv))).toBe(6);
  });

  it('gives the same count however the bytes are cut into chunks', () => {
    const all = bytes(csv);
    for (let cut = 1; cut < all.length; cut++) {
      const c = new CsvRecordCounter();
      c.add(all.subarray(0, cut));
      c.add(all.subarray(cut));
      expect(c.records, `cut at ${cut}`).toBe(4);
    }
  });
});
