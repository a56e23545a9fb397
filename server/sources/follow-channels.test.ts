import { describe, expect, it } from 'vitest';
import { decide, followChannels, needsResolving, type FollowedStream } from './follow-channels.ts';

const now = new Date('2026-11-29T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);
const stream = (over: Partial<FollowedStream> = {}): FollowedStream => ({
  id: 's1',
  eventId: 'e1',
  channel: { by: 'handle', value: 'LofiGirl' },
  videoId: 'oldVideo001',
  status: 'live',
  scheduledStart: null,
  resolvedAt: ago(1000),
  ...over,
});

describe('which followed streams are resolved again', () => {
  it.each<[string, Partial<FollowedStream>, boolean]>([
    ['live: left alone', {}, false],
    ['ended: the broadcast may have restarted', { status: 'ended' }, true],
    ['not live any more', { status: 'not_live' }, true],
    ['no video yet, asked 10 s ago', { videoId: null, status: 'offline', resolvedAt: ago(10_000) }, false],
    ['no video yet, asked a minute ago', { videoId: null, status: 'offline', resolvedAt: ago(60_000) }, true],
    ['just added', { videoId: null, status: 'pending', resolvedAt: null }, true],
    [
      'upcoming in an hour, asked a minute ago',
      { status: 'upcoming', scheduledStart: new Date(now.getTime() + 3_600_000), resolvedAt: ago(60_000) },
      false,
    ],
    [
      'upcoming in a minute, asked 20 s ago',
      { status: 'upcoming', scheduledStart: new Date(now.getTime() + 60_000), resolvedAt: ago(20_000) },
      true,
    ],
  ])('%s', (_, over, expected) => {
    expect(needsResolving(stream(over), now)).toBe(expected);
  });
});

describe('what an answer means', () => {
  it('a new video id is a switch: same stream, new video', () => {
    expect(decide(stream({ status: 'ended' }), { ok: true, videoId: 'newVideo001' })).toEqual({
      id: 's1',
      eventId: 'e1',
      kind: 'switch',
      videoId: 'newVideo001',
    });
  });
  it('nothing live is offline, not an error', () => {
    expect(decide(stream({ status: 'ended' }), { ok: true, videoId: null, channelId: 'UC' })).toMatchObject({
      kind: 'offline',
    });
  });
  it('the ended video still on the /live page is offline, the live one kept', () => {
    expect(decide(stream({ status: 'ended' }), { ok: true, videoId: 'oldVideo001' })).toMatchObject({
      kind: 'offline',
    });
    expect(decide(stream({ status: 'upcoming' }), { ok: true, videoId: 'oldVideo001' })).toMatchObject({
      kind: 'keep',
    });
  });
  it('a failed lookup is a fault with its reason', () => {
    expect(decide(stream(), { ok: false, kind: 'blocked', reason: 'YouTube answered 429' })).toMatchObject({
      kind: 'fault',
      reason: expect.stringContaining('429'),
    });
  });
  it('asks once per channel even when two events follow it', async () => {
    let asked = 0;
    const out = await followChannels(
      [
        stream({ status: 'ended' }),
        stream({ id: 's2', eventId: 'e2', status: 'ended', channel: { by: 'handle', value: 'lofigirl' } }),
      ],
      now,
      () => {
        asked++;
        return Promise.resolve({ ok: true, videoId: 'newVideo001' });
      },
    );
    expect(asked).toBe(1);
    expect(out.map((d) => d.kind)).toEqual(['switch', 'switch']);
  });
});
