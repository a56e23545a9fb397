import { describe, expect, it } from 'vitest';
import { readVideo, type InnertubeFacts } from './read-video.ts';

const base: InnertubeFacts = {
  isLive: false,
  isUpcoming: false,
  isLiveContent: false,
  startTimestamp: null,
  endTimestamp: null,
  title: 'Event',
  author: 'Channel',
};
const live = (text: string | null, unlabeled: string | null = null, isLive = true): InnertubeFacts => ({
  ...base,
  isLive: true,
  isLiveContent: true,
  viewCount: { isLive, text, unlabeled },
});

describe('readVideo: the same data truth as the Data API path, in any page language', () => {
  it.each<[string, InnertubeFacts, string, number | null]>([
    ['en "1,234 watching now"', live('1,234 watching now'), 'live', 1234],
    ['unlabeled value first', live('1,234 watching now', '1,234'), 'live', 1234],
    ['de "1.234 Zuschauer"', live('1.234 Zuschauer'), 'live', 1234],
    ['fr "1 234 spectateurs" (no-break space)', live('1\u202f234 spectateurs'), 'live', 1234],
    ['ar grouping', live('1\u066c234 يشاهدون الآن'), 'live', 1234],
    ['word first: "Zuschauer: 987"', live('Zuschauer: 987'), 'live', 987],
    ['a zero is a count', live('0 watching now'), 'live', 0],
    ['abbreviated "1.2K watching" is not exact', live('1.2K watching'), 'live_hidden', null],
    ['ja "12万人が視聴中" is not exact', live('12万人が視聴中'), 'live_hidden', null],
    ['no renderer: hidden', { ...base, isLive: true, isLiveContent: true }, 'live_hidden', null],
    [
      'a renderer that is not live (a view total) on a live video',
      live('48,213 views', null, false),
      'live_hidden',
      null,
    ],
    [
      'upcoming with "57 waiting": not viewers',
      {
        ...base,
        isUpcoming: true,
        isLiveContent: true,
        viewCount: { isLive: false, text: '57 waiting', unlabeled: null },
      },
      'upcoming',
      null,
    ],
    [
      'a past broadcast (replay)',
      { ...base, isLiveContent: true, viewCount: { isLive: false, text: '48,213 views', unlabeled: null } },
      'ended',
      null,
    ],
    [
      'a premiere that has run (an end time, not live content): ended, as the Data API says',
      {
        ...base,
        startTimestamp: new Date('2026-11-28T18:00:00Z'),
        endTimestamp: new Date('2026-11-28T18:05:00Z'),
        viewCount: { isLive: false, text: '48,213 views', unlabeled: '48,213' },
      },
      'ended',
      null,
    ],
    [
      'a replay whose renderer still says live: no count (only a live video is counted)',
      { ...base, isLiveContent: true, viewCount: { isLive: true, text: '1,234 watching now', unlabeled: '1,234' } },
      'ended',
      null,
    ],
    [
      'a regular video',
      { ...base, viewCount: { isLive: false, text: '48,213 views', unlabeled: '48,213' } },
      'not_live',
      null,
    ],
  ])('%s', (_, facts, status, viewers) => {
    expect(readVideo('abcdefghijk', facts)).toMatchObject({ status, viewers });
  });
});
