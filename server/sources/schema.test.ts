// The columns of sql/010_sources.sql, on every engine: what a stream of each platform may hold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedEvent } from '../testing/queries.ts';
import { engines, openTestDb, type TestDb } from '../testing/test-db.ts';
import { insertOldStyleStream, insertRawStream, insertSourcedSample, sourceColumns } from './testing/queries.ts';

describe.each(engines)('sources schema (%s)', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(engine);
    await seedEvent(t.db, 'e1', []);
  });
  afterAll(() => t.close());

  it('keeps old rows as YouTube videos', async () => {
    await insertOldStyleStream(t.db, 'old', 'e1', 'dQw4w9WgXcQ');
    expect(await sourceColumns(t.db, 'old')).toEqual({ platform: 'youtube', follows: false, source: null });
  });

  it('takes a followed channel without a video yet, and a Twitch channel by login', async () => {
    await insertRawStream(t.db, {
      id: 'ch',
      eventId: 'e1',
      videoId: null,
      follows: true,
      target: 'youtube.com/@LofiGirl',
    });
    await insertRawStream(t.db, { id: 'tw', eventId: 'e1', videoId: null, platform: 'twitch', login: 'shroud' });
    await insertSourcedSample(t.db, 'e1', 'tw', 5, 'twitch');
  });

  it.each([
    ['a YouTube video without an id', { videoId: null }],
    ['a Twitch stream without a login', { videoId: null, platform: 'twitch' }],
    ['a Twitch stream with a video id', { videoId: 'dQw4w9WgXcQ', platform: 'twitch', login: 'shroud' }],
    ['a bad login', { videoId: null, platform: 'twitch', login: 'Bad Login' }],
    ['another platform', { videoId: null, platform: 'kick', login: 'shroud' }],
  ])('refuses %s', async (_, row) => {
    await expect(insertRawStream(t.db, { id: `bad-${Math.random()}`, eventId: 'e1', ...row })).rejects.toThrow();
  });

  it('refuses a sample from an unknown source', async () => {
    await expect(insertSourcedSample(t.db, 'e1', 'tw', 5, 'scraper')).rejects.toThrow();
  });
});
