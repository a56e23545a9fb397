import { describe, expect, it } from 'vitest';
import { decideState } from '../../../widget/live-state.ts';
import type { StreamInfo, StreamStatus } from '../../wire.ts';
import { nowState } from './now-state.ts';

const STATUSES: StreamStatus[] = [
  'pending',
  'live',
  'live_hidden',
  'upcoming',
  'ended',
  'not_live',
  'offline',
  'unavailable',
  'paused',
  'quota_exceeded',
  'api_key_invalid',
  'api_config_error',
  'no_api_key',
  'error',
];

const stream = (status: StreamStatus, i: number): StreamInfo => ({
  id: `s${i}`,
  platform: 'youtube',
  target: null,
  follows: false,
  login: null,
  source: null,
  sourceReason: null,
  videoId: `v${i}`,
  label: `S${i}`,
  status,
  statusReason: null,
  scheduledStart: null,
  title: null,
  channelTitle: null,
  viewers: null,
  updatedAt: null,
  chat: 'off',
  chatReason: null,
});

describe('nowState', () => {
  const now = 1_000_000_000;
  // Every pair of statuses (and none, one), every age of the newest count around the 2.5-interval edge.
  const combos: StreamStatus[][] = [
    [],
    ...STATUSES.map((s) => [s]),
    ...STATUSES.flatMap((a) => STATUSES.map((b) => [a, b])),
  ];
  const ages: (number | null)[] = [null, 0, 24_999, 25_000, 25_001, 3_600_000];

  it('agrees with the widgets’ rule (widget/live-state.ts) on an open connection, connecting read as no-data', () => {
    let cases = 0;
    for (const statuses of combos) {
      for (const age of ages) {
        const status = { state: 'ok' as const, intervalSeconds: 10, streams: statuses.map(stream) };
        const lastSampleAt = age === null ? null : now - age;
        const widget = decideState({ link: 'open', status, lastSampleAt }, now).state;
        const expected = widget === 'connecting' ? 'no-data' : widget;
        expect(nowState(status, lastSampleAt, now), `${statuses.join('+')} aged ${age}`).toBe(expected);
        cases++;
      }
    }
    expect(cases).toBe(combos.length * ages.length);
  });

  it('turns stale exactly after 2.5 intervals of the current (stretched) interval', () => {
    const status = { intervalSeconds: 60, streams: [stream('live', 0)] };
    expect(nowState(status, now - 149_999, now)).toBe('live');
    expect(nowState(status, now - 150_000, now)).toBe('stale');
  });
});
