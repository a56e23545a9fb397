import { describe, expect, it } from 'vitest';
import { applyFields, parseFields } from './fields-filter.ts';

const doc = {
  kind: 'k',
  items: [
    {
      id: 'a',
      snippet: { title: 't', tags: ['x'] },
      liveStreamingDetails: { concurrentViewers: '1', activeLiveChatId: 'c' },
    },
    { id: 'b', snippet: { title: 'u' } },
  ],
  pageInfo: { totalResults: 2 },
};

describe('fields filter', () => {
  it.each([
    ['kind', { kind: 'k' }],
    ['items(id)', { items: [{ id: 'a' }, { id: 'b' }] }],
    ['items/snippet/title', { items: [{ snippet: { title: 't' } }, { snippet: { title: 'u' } }] }],
    [
      'items(id,liveStreamingDetails(concurrentViewers)),pageInfo',
      {
        items: [{ id: 'a', liveStreamingDetails: { concurrentViewers: '1' } }, { id: 'b' }],
        pageInfo: { totalResults: 2 },
      },
    ],
    ['items(snippet/*)', { items: [{ snippet: { title: 't', tags: ['x'] } }, { snippet: { title: 'u' } }] }],
  ])('%s', (fields, expected) => {
    expect(applyFields(doc, parseFields(fields))).toEqual(expected);
  });

  it.each(['items(id', 'items)', '', 'a,,b', 'items(id))'])('refuses %j', (fields) => {
    expect(() => parseFields(fields)).toThrow(/at character \d+/);
  });
});
