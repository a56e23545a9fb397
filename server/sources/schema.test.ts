// The columns of sql/010_sources.sql, on every engine: what a stream of each platform may hold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, openTestDb, type TestDb } from '../testing/test-db.ts';

describe.each(engines)('sources schema (%s)', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(engine);
    await t.db.query(`insert into events (id, name, embed_key) values ('e1', 'Mixed', 'k')`);
  });
  afterAll(() => t.close());

  const insert = (id: string, columns: string) =>
    t.db.query(
      `insert into streams (id, event_id, video_id, platform, login, follows, target) values ('${id}', 'e1', ${columns})`,
    );

  it('keeps old rows as YouTube videos', async () => {
    await t.db.query(`insert into streams (id, event_id, video_id) values ('old', 'e1', 'dQw4w9WgXcQ')`);
    const [row] = await t.db.query<{ platform: string; follows: boolean; source: string | null }>(
      `select platform, follows, source from streams where id = 'old'`,
    );
    expect(row).toEqual({ platform: 'youtube', follows: false, source: null });
  });

  it('takes a followed channel without a video yet, and a Twitch channel by login', async () => {
    await insert('ch', `null, 'youtube', null, true, 'youtube.com/@LofiGirl'`);
    await insert('tw', `null, 'twitch', 'shroud', false, 'twitch.tv/shroud'`);
    await t.db.query(
      `insert into stream_samples (event_id, stream_id, ts, viewers, source) values ('e1', 'tw', now(), 5, 'twitch')`,
    );
  });

  it.each([
    ['a YouTube video without an id', `null, 'youtube', null, false, null`],
    ['a Twitch stream without a login', `null, 'twitch', null, false, null`],
    ['a Twitch stream with a video id', `'dQw4w9WgXcQ', 'twitch', 'shroud', false, null`],
    ['a bad login', `null, 'twitch', 'Bad Login', false, null`],
    ['another platform', `null, 'kick', 'shroud', false, null`],
  ])('refuses %s', async (_, columns) => {
    await expect(insert(`bad${Math.random()}`, columns)).rejects.toThrow();
  });
});
