import { describe, expect, it } from 'vitest';
import type { VideoState } from '../youtube/video-state.ts';
import type { PollableStream } from './schedule.ts';
import { applyTick, MISSES_BEFORE_UNAVAILABLE, type VideoOutcome } from './tick.ts';

const ts = new Date('2026-05-01T18:00:00Z');
const stream = (id: string, eventId: string, videoId: string, extra: Partial<PollableStream> = {}): PollableStream => ({
  id,
  eventId,
  videoId,
  status: 'live',
  statusReason: null,
  misses: 0,
  lastPolledAt: null,
  ...extra,
});
const video = (
  videoId: string,
  status: VideoState['status'],
  viewers: number | null,
  extra: Partial<VideoState> = {},
): VideoOutcome => ({
  kind: 'video',
  video: {
    videoId,
    status,
    viewers,
    scheduledStart: null,
    actualStart: null,
    actualEnd: null,
    title: 't',
    channelTitle: 'c',
    ...extra,
  },
});

describe('applyTick', () => {
  it('sums only the counts YouTube returned, per event, at the tick time', () => {
    const r = applyTick(
      ts,
      [
        stream('a', 'E', 'vidAAAAAAAA'),
        stream('b', 'E', 'vidBBBBBBBB'),
        stream('c', 'E', 'vidCCCCCCCC'),
        stream('d', 'F', 'vidAAAAAAAA'),
      ],
      new Map([
        ['vidAAAAAAAA', video('vidAAAAAAAA', 'live', 1200)],
        ['vidBBBBBBBB', video('vidBBBBBBBB', 'live_hidden', null)],
        ['vidCCCCCCCC', video('vidCCCCCCCC', 'upcoming', null, { scheduledStart: '2026-05-01T19:00:00Z' })],
      ]),
    );
    expect(r.samples.get('E')).toEqual({ ts: ts.toISOString(), total: 1200, streams: { a: 1200, b: null } });
    expect(r.samples.get('F')).toEqual({ ts: ts.toISOString(), total: 1200, streams: { d: 1200 } });
    const byId = Object.fromEntries(r.updates.map((u) => [u.id, u]));
    expect(byId.b).toMatchObject({ status: 'live_hidden', viewers: null, sampled: true });
    expect(byId.c).toMatchObject({
      status: 'upcoming',
      viewers: null,
      sampled: false,
      scheduledStart: '2026-05-01T19:00:00Z',
    });
    expect(r.statusChanged).toEqual(new Set(['E'])); // b and c changed from live; a and d stayed live
  });

  it('writes no sample for an event whose live streams all hide their count (never a zero)', () => {
    const r = applyTick(
      ts,
      [stream('a', 'E', 'vidAAAAAAAA')],
      new Map([['vidAAAAAAAA', video('vidAAAAAAAA', 'live_hidden', null)]]),
    );
    expect(r.samples.size).toBe(0);
  });

  it.each<[string, VideoOutcome, string, RegExp]>([
    [
      'ended',
      video('vidAAAAAAAA', 'ended', null, { actualEnd: '2026-05-01T17:00:00Z' }),
      'ended',
      /ended at 2026-05-01T17:00:00Z/,
    ],
    ['not_live', video('vidAAAAAAAA', 'not_live', null), 'not_live', /regular video/],
    [
      'drift',
      video('vidAAAAAAAA', 'live', null, { drift: 'concurrentViewers_not_digits' }),
      'error',
      /unexpected viewer count/,
    ],
    ['quota', { kind: 'fault', fault: { kind: 'quota_exceeded', reason: 'x' } }, 'quota_exceeded', /quota spent/],
    [
      'key',
      { kind: 'fault', fault: { kind: 'api_key_invalid', reason: 'x' } },
      'api_key_invalid',
      /rejected the API key/,
    ],
    [
      'config',
      { kind: 'fault', fault: { kind: 'api_config_error', reason: 'YouTube Data API is disabled' } },
      'api_config_error',
      /disabled/,
    ],
    ['5xx', { kind: 'fault', fault: { kind: 'unavailable', reason: 'YouTube answered 503' } }, 'error', /503/],
  ])('maps %s to its status with a reason and no sample', (_name, outcome, status, reason) => {
    const r = applyTick(ts, [stream('a', 'E', 'vidAAAAAAAA')], new Map([['vidAAAAAAAA', outcome]]));
    expect(r.updates[0]).toMatchObject({ status, viewers: null, sampled: false });
    expect(r.updates[0].statusReason).toMatch(reason);
    expect(r.samples.size).toBe(0);
  });

  // Found writing docs/reliability.md: any drift turned the stream into 'error' and dropped a valid count.
  it('keeps a valid count when only the title, the channel name or the planned start drifted', () => {
    const drifted = video('vidAAAAAAAA', 'live', 10, {
      title: null,
      drift: 'title: expected a string, got number 1234; scheduledStartTime: expected a date-time, got 5',
    });
    const r = applyTick(ts, [stream('a', 'E', 'vidAAAAAAAA')], new Map([['vidAAAAAAAA', drifted]]));
    expect(r.updates[0]).toMatchObject({ status: 'live', viewers: 10, sampled: true, title: null });
    expect(r.samples.get('E')?.total).toBe(10);
  });

  it('still calls a stream in error when a time that decides its status drifted', () => {
    const drifted = video('vidAAAAAAAA', 'upcoming', null, {
      drift: 'title: expected a string, got number 1; actualStartTime: expected a date-time, got "soon"',
    });
    const r = applyTick(ts, [stream('a', 'E', 'vidAAAAAAAA')], new Map([['vidAAAAAAAA', drifted]]));
    expect(r.updates[0]).toMatchObject({ status: 'error', viewers: null, sampled: false });
  });

  it('calls a missing video unavailable only after several misses in a row', () => {
    let s = stream('a', 'E', 'vidAAAAAAAA');
    const missing = new Map<string, VideoOutcome>([['vidAAAAAAAA', { kind: 'missing' }]]);
    for (let i = 1; i < MISSES_BEFORE_UNAVAILABLE; i++) {
      const u = applyTick(ts, [s], missing).updates[0];
      expect(u).toMatchObject({ status: 'live', misses: i, sampled: false });
      s = { ...s, misses: u.misses };
    }
    expect(applyTick(ts, [s], missing).updates[0]).toMatchObject({
      status: 'unavailable',
      misses: MISSES_BEFORE_UNAVAILABLE,
    });
    // A reappearance resets the count.
    expect(applyTick(ts, [s], new Map([['vidAAAAAAAA', video('vidAAAAAAAA', 'live', 5)]])).updates[0]).toMatchObject({
      status: 'live',
      misses: 0,
    });
  });

  describe('an event with a stream it could not read gets no total that tick (a gap), not the sum of the rest', () => {
    const twitch = stream('t', 'E', 'vidTTTTTTTT');
    const read = (status: PollableStream['status'], outcome: VideoOutcome | undefined, misses = 0) =>
      applyTick(
        ts,
        [stream('y', 'E', 'vidYYYYYYYY', { status, misses }), twitch, stream('o', 'F', 'vidOOOOOOOO')],
        new Map([
          ...(outcome ? [['vidYYYYYYYY', outcome] as const] : []),
          ['vidTTTTTTTT', video('vidTTTTTTTT', 'live', 345)],
          ['vidOOOOOOOO', video('vidOOOOOOOO', 'live', 50)],
        ]),
      );
    const unavailable: VideoOutcome = { kind: 'fault', fault: { kind: 'unavailable', reason: 'YouTube answered 503' } };

    it.each<[string, PollableStream['status'], VideoOutcome | undefined]>([
      ['a 5xx on a live stream', 'live', unavailable],
      ['a 5xx again, the stream already in error', 'error', unavailable],
      ['a timeout on a stream never read yet', 'pending', unavailable],
      ['a spent quota, the first time', 'live', { kind: 'fault', fault: { kind: 'quota_exceeded', reason: 'x' } }],
      ['a refused key', 'live', { kind: 'fault', fault: { kind: 'api_key_invalid', reason: 'x' } }],
      ['a live video left out of the answer once', 'live', { kind: 'missing' }],
      ['a hidden count left out of the answer once', 'live_hidden', { kind: 'missing' }],
      ['a live stream not asked this tick', 'live', undefined],
      ['a stream in error not asked this tick (its source backed off)', 'error', undefined],
    ])('%s', (_name, status, outcome) => {
      const r = read(status, outcome);
      expect(r.samples.has('E')).toBe(false);
      // The stream that was read keeps its own status and count; the other event is untouched.
      expect(r.updates.find((u) => u.id === 't')).toMatchObject({ status: 'live', viewers: 345 });
      expect(r.samples.get('F')?.total).toBe(50);
    });

    it.each<[string, PollableStream['status'], VideoOutcome, number]>([
      ['a 5xx on an upcoming stream (it was not counting)', 'upcoming', unavailable, 0],
      ['a 5xx on an ended stream', 'ended', unavailable, 0],
      // Lasting trouble: the stream says it (quota spent until…, key refused), the others are summed.
      ['a spent quota, again', 'quota_exceeded', { kind: 'fault', fault: { kind: 'quota_exceeded', reason: 'x' } }, 0],
      [
        'a refused key, again',
        'api_key_invalid',
        { kind: 'fault', fault: { kind: 'api_key_invalid', reason: 'x' } },
        0,
      ],
      [
        'a stream gone for good (missing for the last time)',
        'live',
        { kind: 'missing' },
        MISSES_BEFORE_UNAVAILABLE - 1,
      ],
      ['a hidden count (YouTube says there is none)', 'live', video('vidYYYYYYYY', 'live_hidden', null), 0],
      [
        'an odd count (drift: taken like a hidden one)',
        'live',
        video('vidYYYYYYYY', 'live', null, { drift: 'concurrentViewers_not_digits' }),
        0,
      ],
    ])('but keeps the total after %s', (_name, status, outcome, misses) => {
      expect(read(status, outcome, misses).samples.get('E')?.total).toBe(345);
    });
  });

  it('leaves streams without an outcome (not asked this tick) untouched', () => {
    expect(applyTick(ts, [stream('a', 'E', 'vidAAAAAAAA')], new Map()).updates).toEqual([]);
  });
});
