import { expect } from 'chai';
import type { HistoryPoint, HistoryResponse } from '../server/wire.ts';
import { largest, lastMinutes, shorten, stepOf, valueRange } from './chart-data.ts';

const T0 = Date.UTC(2026, 10, 28, 20, 0);
const points = (n: number, stepSeconds: number, from = T0): HistoryPoint[] =>
  Array.from({ length: n }, (_, i) => ({
    ts: new Date(from + i * stepSeconds * 1000).toISOString(),
    viewers: 100 + i,
    max: 100 + i,
  }));
const history = (
  total: HistoryPoint[],
  bucketSeconds: number,
  streams?: Record<string, HistoryPoint[]>,
): HistoryResponse => ({
  eventId: 'e',
  from: total[0]?.ts ?? new Date(T0).toISOString(),
  to: new Date(Date.parse(total.at(-1)?.ts ?? new Date(T0).toISOString()) + 1000).toISOString(),
  bucketSeconds,
  total,
  streams,
});

describe('chart model', () => {
  it('the step is the widest of the buckets, the usual spacing and the interval', () => {
    expect(stepOf(history(points(30, 10), 1)), '1 s buckets, counts 10 s apart').to.equal(10);
    expect(stepOf(history(points(30, 900), 900), 10)).to.equal(900);
    expect(stepOf(history(points(30, 10), 0), 30), 'a stretched interval').to.equal(30);
    expect(stepOf(history([], 0))).to.equal(10);
  });

  it("cuts the shared history to the chart's own minutes, streams included", () => {
    const h = history(points(360, 10), 0, { s1: points(360, 10) });
    const cut = lastMinutes(h, 5);
    expect(cut.total.length).to.equal(30);
    expect(cut.streams!.s1.length).to.equal(30);
    expect(lastMinutes(h, 60).total.length).to.equal(360);
  });

  it('never a value range narrower than 2 % (at least 10), from 0 with zero', () => {
    const flat = valueRange(6431, 6431, false);
    expect(flat.minValue).to.be.closeTo(6431 - 64.31 - 128.62 / 7, 1e-6);
    expect(flat.maxValue).to.be.closeTo(6431 + 64.31, 1e-6);
    expect(valueRange(3, 3, false)).to.deep.equal({ minValue: 0, maxValue: 10 });
    // Room under the lowest point (a seventh of the range), never under 0.
    expect(valueRange(5000, 12000, false)).to.deep.equal({ minValue: 4000, maxValue: 12000 });
    expect(valueRange(200, 60000, false)).to.deep.equal({ minValue: 0, maxValue: 60000 });
    expect(valueRange(5700, 6100, true)).to.deep.equal({ minValue: 0, maxValue: 6100 });
  });

  it('largest: the biggest keys, no value as the smallest, ties in order', () => {
    const values = new Map<string, number | undefined>([
      ['a', 5],
      ['b', undefined],
      ['c', 50],
      ['d', 5],
    ]);
    expect([...largest(values, 2)]).to.deep.equal(['c', 'a']);
    expect([...largest(values, 9)]).to.deep.equal(['c', 'a', 'd', 'b']);
  });
});

describe('shorten', () => {
  it('keeps a short text, cuts a long one at the end with an ellipsis, counting characters as a reader does', () => {
    expect(shorten('Main stage', 28)).to.equal('Main stage');
    expect(shorten('x'.repeat(28), 28)).to.equal('x'.repeat(28));
    expect(shorten('x'.repeat(200), 28)).to.equal(`${'x'.repeat(27)}…`);
    expect(shorten('Salle des fêtes principale, étage 2', 20)).to.equal('Salle des fêtes pri…');
    expect(shorten('Keynote and panel ', 12)).to.equal('Keynote and…'); // no space before the ellipsis
    expect(shorten('👩‍💻👩‍💻👩‍💻👩‍💻', 3)).to.equal('👩‍💻👩‍💻…');
  });
});
