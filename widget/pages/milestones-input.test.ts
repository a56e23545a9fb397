import { expect } from 'chai';
import { readMilestones } from './milestones-input.ts';

describe('readMilestones', () => {
  // What the stranger typed first, then every usual way of grouping thousands.
  const accepted: [string, number[]][] = [
    ['1,000, 5,000', [1000, 5000]],
    ['1 000, 5 000', [1000, 5000]],
    ['1\u202f000 ; 5\u00a0000', [1000, 5000]],
    ['1.000, 5.000', [1000, 5000]],
    ["1'000, 5'000", [1000, 5000]],
    ['1’000, 5’000', [1000, 5000]],
    ['1,000,000; 250,000', [250000, 1000000]],
    ['1000,5000', [1000, 5000]],
    ['5000, 1000, 1000,', [1000, 5000]],
    ['', []],
    ['   ', []],
  ];
  for (const [text, milestones] of accepted)
    it(`reads ${JSON.stringify(text)}`, () => {
      expect(readMilestones(text)).to.deep.equal({ ok: true, milestones });
    });

  const refused: [string, string, Record<string, string | number>][] = [
    ['abc', 'milestones.notNumber', { item: 'abc' }],
    ['1000, 2.5', 'milestones.notNumber', { item: '2.5' }],
    ['1.00', 'milestones.notNumber', { item: '1.00' }],
    ['1,00', 'milestones.tooSmall', { item: '00' }],
    ['0, 100', 'milestones.tooSmall', { item: '0' }],
    ['-5', 'milestones.notNumber', { item: '-5' }],
    ['10000000000000000', 'milestones.tooLarge', { item: '10000000000000000' }],
    [Array.from({ length: 31 }, (_, i) => i + 1).join(', '), 'milestones.tooMany', { max: 30, count: 31 }],
  ];
  for (const [text, key, values] of refused)
    it(`refuses ${JSON.stringify(text.slice(0, 20))} saying ${key}`, () => {
      expect(readMilestones(text)).to.deep.equal({ ok: false, key, values });
    });
});
