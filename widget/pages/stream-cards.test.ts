import { expect } from 'chai';
import { planCards, sumOf } from './stream-cards.ts';

const streams = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));
const ids = (list: { id: string }[]) => list.map((s) => s.id);

describe('planCards', () => {
  it('every stream has a card when they fit', () => {
    const plan = planCards(streams, new Map(), 5);
    expect(ids(plan.shown)).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
    expect(plan.rest).to.deep.equal([]);
  });

  it('past the room, the smallest share the last place; the others keep the event order', () => {
    const viewers = new Map<string, number | null>([
      ['a', 10],
      ['b', 500],
      ['c', null],
      ['d', 300],
      ['e', 20],
    ]);
    const plan = planCards(streams, viewers, 3);
    expect(ids(plan.shown)).to.deep.equal(['b', 'd']);
    expect(ids(plan.rest)).to.deep.equal(['a', 'c', 'e']);
    expect(sumOf(plan.rest, viewers)).to.equal(30);
  });

  it('equal counts keep the event order; a room of one is one "+N more"', () => {
    expect(ids(planCards(streams, new Map(), 3).shown)).to.deep.equal(['a', 'b']);
    expect(ids(planCards(streams, new Map(), 1).rest)).to.have.length(5);
  });

  it('no count in the rest sums to null, not 0', () => {
    expect(sumOf(streams, new Map([['a', null]]))).to.equal(null);
  });
});
