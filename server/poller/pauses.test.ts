import { describe, expect, it } from 'vitest';
import { backOff, heldSources, nextDelaySeconds, noPauses, recovered, troubled } from './pauses.ts';

const at = new Date('2026-11-29T12:00:00Z');
const later = (s: number) => new Date(at.getTime() + s * 1000);
const o = (when = at) => ({ at: when, interval: 10, baseSeconds: 10, random: () => 0.5 });
const unavailable = { kind: 'unavailable' as const, httpStatus: 503, reason: 'YouTube backend error (HTTP 503)' };

describe('back-off per source', () => {
  it('doubles per failure in a row of one source (with jitter, never under the interval), each source on its own count', () => {
    const p = noPauses();
    // jitter 0.75 with random() = 0.5: 10 → max(10, 7.5); 20 → 15; 40 → 30; … capped at 120
    expect([1, 2, 3, 4, 5, 6].map(() => backOff(p, 'api', unavailable, o()))).toEqual([10, 15, 30, 60, 90, 90]);
    expect(backOff(p, 'twitch', { kind: 'timeout', reason: 'no answer' }, o())).toBe(10);
    expect(p.backoff.api?.failures).toBe(6);
    expect(p.backoff.twitch?.failures).toBe(1);
  });

  it('honours a Retry-After per source: the held source waits for it, the other is not held', () => {
    const p = noPauses();
    expect(backOff(p, 'api', { kind: 'rate_limited', reason: 'rate limited', retryAfterSeconds: 45 }, o())).toBe(45);
    expect(heldSources(p, later(44))).toEqual(new Set(['api']));
    expect(heldSources(p, later(45))).toEqual(new Set());
  });

  it('forgets a source’s failures once it answers: the next trouble starts from the base again', () => {
    const p = noPauses();
    backOff(p, 'api', unavailable, o());
    backOff(p, 'api', unavailable, o());
    expect(backOff(p, 'api', unavailable, o())).toBe(30);
    expect(recovered(p, 'api', new Date())).toBeNull(); // backed off, never marked in trouble: nothing to say
    expect(p.backoff).toEqual({});
    expect(backOff(p, 'api', unavailable, o())).toBe(10);
  });
});

describe('recovery after trouble', () => {
  it('tells how long a source was in trouble, from its first fault, once; the other sources keep their own', () => {
    const p = noPauses();
    const at = (s: number) => new Date(Date.UTC(2026, 11, 7, 12, 0, s));
    expect(recovered(p, 'api', at(0))).toBeNull(); // never in trouble: no recovery to tell
    troubled(p, 'api', at(4));
    troubled(p, 'api', at(30)); // still the same trouble: it started at 4 s
    troubled(p, 'twitch', at(30));
    expect(recovered(p, 'api', at(60))).toBe(56);
    expect(recovered(p, 'api', at(70))).toBeNull(); // said once
    expect(recovered(p, 'twitch', at(40))).toBe(10);
  });
});

describe('nextDelaySeconds', () => {
  it('keeps the beat while one source still answers, even with the other backed off', () => {
    const p = noPauses();
    backOff(p, 'api', { ...unavailable, retryAfterSeconds: 90 }, o());
    expect(nextDelaySeconds(p, { at, interval: 10, sources: ['api', 'twitch'] })).toBe(10);
  });

  it('waits, when every source is backed off, until the first may be asked again', () => {
    const p = noPauses();
    backOff(p, 'api', { ...unavailable, retryAfterSeconds: 90 }, o());
    backOff(p, 'twitch', { kind: 'unavailable', reason: 'Twitch answered HTTP 503', retryAfterSeconds: 40 }, o());
    expect(nextDelaySeconds(p, { at, interval: 10, sources: ['api', 'twitch'] })).toBe(40);
    expect(nextDelaySeconds(p, { at: later(30), interval: 10, sources: ['api', 'twitch'] })).toBe(10);
    // a source that had nothing to read this tick does not count
    expect(nextDelaySeconds(p, { at, interval: 10, sources: ['api'] })).toBe(90);
    expect(nextDelaySeconds(p, { at, interval: 10, sources: [] })).toBe(10);
  });
});
