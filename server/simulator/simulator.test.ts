// The simulator over loopback HTTP: YouTube's own rules (key, part, id limits, fields), the control
// interface under /_control/, fault queueing, and the demo scenario.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countAt } from './count-curve.ts';
import { demoScenario, DEMO_VIDEO_IDS } from './demo-scenario.ts';
import { startSimulator, type Simulator } from './simulator.ts';

let clock = Date.parse('2026-06-01T12:00:00Z');
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ seed: 3, now: () => clock });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const list = (query: string, headers: Record<string, string> = { 'x-goog-api-key': 'k' }) =>
  fetch(`${sim.baseUrl}/videos?${query}`, { headers });
const control = (method: string, path: string, body?: unknown) =>
  fetch(`${sim.origin}/_control/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
const manyIds = (n: number) => Array.from({ length: n }, (_, i) => `id${String(i).padStart(9, '0')}`).join(',');

describe('videos.list rules', () => {
  it('answers the full wire shape when no fields are selected', async () => {
    sim.setVideo('liveVideo01', {
      state: 'live',
      curve: { kind: 'constant', value: 1888 },
      actualStart: '2026-06-01T11:00:00Z',
    });
    const res = await list('part=snippet,liveStreamingDetails&id=liveVideo01,nothing0001');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    const body = await res.json();
    expect(body).toMatchObject({ kind: 'youtube#videoListResponse', pageInfo: { totalResults: 1, resultsPerPage: 1 } });
    expect(body.etag).toMatch(/^[\w-]{27}$/);
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      kind: 'youtube#video',
      id: 'liveVideo01',
      snippet: { liveBroadcastContent: 'live', thumbnails: { default: { width: 120 } } },
      liveStreamingDetails: {
        actualStartTime: '2026-06-01T11:00:00Z',
        concurrentViewers: '1888',
        activeLiveChatId: expect.any(String),
      },
    });
  });

  it('returns only the selected fields', async () => {
    sim.setVideo('liveVideo01', { state: 'live', curve: { kind: 'constant', value: 7 } });
    const res = await list(
      'part=snippet,liveStreamingDetails&id=liveVideo01&fields=items(id,liveStreamingDetails/concurrentViewers)',
    );
    expect(await res.json()).toEqual({
      items: [{ id: 'liveVideo01', liveStreamingDetails: { concurrentViewers: '7' } }],
    });
  });

  it('leaves out parts that were not asked for', async () => {
    sim.setVideo('liveVideo01', { state: 'live' });
    const body = await (await list('part=liveStreamingDetails&id=liveVideo01')).json();
    expect(body.items[0].snippet).toBeUndefined();
    expect(body.items[0].liveStreamingDetails).toBeDefined();
  });

  it.each([
    ['no key', 'part=snippet&id=liveVideo01', {}, 403, 'forbidden'],
    ['more than 50 ids', `part=snippet&id=${manyIds(51)}`, undefined, 400, 'invalidFilters'],
    ['no id', 'part=snippet&id=', undefined, 400, 'missingRequiredParameter'],
    ['an unknown part', 'part=snippet,statz&id=liveVideo01', undefined, 400, 'unknownPart'],
    ['broken fields', 'part=snippet&id=liveVideo01&fields=items(id', undefined, 400, 'invalidParameter'],
  ])('refuses %s with the real error envelope', async (_, query, headers, status, reason) => {
    const res = await list(query, headers);
    expect(res.status).toBe(status);
    const body = await res.json();
    expect(body.error.code).toBe(status);
    expect(body.error.errors[0].reason).toBe(reason);
  });

  it('takes exactly 50 ids', async () => {
    expect((await list(`part=snippet&id=${manyIds(50)}`)).status).toBe(200);
  });

  it('accepts the key as ?key= and logs where it came from, never its value', async () => {
    expect((await list('part=snippet&id=liveVideo01&key=query-secret-123', {})).status).toBe(200);
    await list('part=snippet&id=liveVideo01');
    expect(sim.calls().map((c) => c.keyVia)).toEqual(['query', 'header']);
    expect(JSON.stringify(sim.calls())).not.toContain('query-secret-123');
  });

  it('answers unknown paths with an HTML 404 like Google', async () => {
    const res = await fetch(`${sim.origin}/youtube/v3/vidoes?part=snippet`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  });
});

describe('control interface', () => {
  it('sets, reads and removes videos over HTTP', async () => {
    expect(
      (await control('PUT', 'videos/ctrlVideo01', { state: 'upcoming', scheduledStart: '2026-06-02T18:00:00Z' }))
        .status,
    ).toBe(200);
    expect(await (await control('GET', 'videos')).json()).toEqual({
      ctrlVideo01: { state: 'upcoming', scheduledStart: '2026-06-02T18:00:00Z' },
    });
    const body = await (await list('part=liveStreamingDetails&id=ctrlVideo01')).json();
    expect(body.items[0].liveStreamingDetails).toEqual({ scheduledStartTime: '2026-06-02T18:00:00Z' });

    expect((await control('DELETE', 'videos/ctrlVideo01')).status).toBe(200);
    expect((await (await list('part=snippet&id=ctrlVideo01')).json()).items).toEqual([]);
  });

  it('sets a Twitch channel over HTTP (the poller bench scripts its Twitch so), and refuses a bad login', async () => {
    expect(
      (await control('PUT', 'twitch/ctrl_channel', { live: true, curve: { kind: 'constant', value: 7 } })).status,
    ).toBe(200);
    expect((await control('PUT', 'twitch/No-Such-Login', { live: true })).status).toBe(400);
    expect((await control('PUT', 'twitch/ctrl_channel', { live: 'yes' })).status).toBe(400);
    expect(sim.twitch.calls()).toEqual([]);
    const token = await (
      await fetch(`${sim.twitchAuthBaseUrl}/token`, {
        method: 'POST',
        body: new URLSearchParams({
          client_id: 'simclientid0000000000000000000',
          client_secret: 'simclientsecret00000000000000',
          grant_type: 'client_credentials',
        }),
      })
    ).json();
    const streams = await (
      await fetch(`${sim.twitchApiBaseUrl}/streams?user_login=ctrl_channel`, {
        headers: { 'client-id': 'simclientid0000000000000000000', authorization: `Bearer ${token.access_token}` },
      })
    ).json();
    expect(
      streams.data.map((s: { user_login: string; viewer_count: number }) => [s.user_login, s.viewer_count]),
    ).toEqual([['ctrl_channel', 7]]);
  });

  it('changes a live curve over HTTP', async () => {
    await control('POST', 'videos/ctrlVideo01', { state: 'live', curve: { kind: 'constant', value: 10 } });
    await control('PUT', 'videos/ctrlVideo01/curve', { kind: 'constant', value: 99 });
    const body = await (await list('part=liveStreamingDetails&id=ctrlVideo01')).json();
    expect(body.items[0].liveStreamingDetails.concurrentViewers).toBe('99');
  });

  it('queues faults for the next N calls, then answers normally', async () => {
    await control('POST', 'faults', { fault: 'backend_error_503', times: 2 });
    await control('POST', 'faults', { fault: 'too_many_requests', retryAfterSeconds: 12 });
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const res = await list('part=snippet&id=liveVideo01');
      statuses.push([res.status, res.headers.get('retry-after')]);
    }
    expect(statuses).toEqual([
      [503, null],
      [503, null],
      [429, '12'],
      [200, null],
    ]);
    const calls = await (await control('GET', 'calls')).json();
    expect(calls.map((c: { fault?: string }) => c.fault ?? null)).toEqual([
      'backend_error_503',
      'backend_error_503',
      'too_many_requests',
      null,
    ]);
  });

  it('resets videos, faults and the call log', async () => {
    sim.setVideo('liveVideo01', { state: 'live' });
    sim.injectFault('quota_exceeded');
    await control('POST', 'reset');
    expect(sim.videos()).toEqual({});
    expect(sim.calls()).toEqual([]);
    expect((await list('part=snippet&id=liveVideo01')).status).toBe(200);
  });

  it.each([
    ['PUT', 'videos/short', { state: 'live' }, 400, /11 characters/],
    ['PUT', 'videos/ctrlVideo01', { state: 'sleeping' }, 400, /^state: /],
    ['PUT', 'videos/ctrlVideo01', { state: 'live', curve: { kind: 'moving', base: -5 } }, 400, /^curve\.base: /],
    ['PUT', 'videos/ctrlVideo01', { state: 'upcoming', scheduledStart: 'soon' }, 400, /ISO 8601/],
    ['PUT', 'videos/ctrlVideo01', { state: 'live', extra: 1 }, 400, /extra/],
    ['PUT', 'videos/ctrlVideo01/curve', { kind: 'constant', value: 1 }, 400, /not a live video/],
    ['POST', 'faults', { fault: 'gremlins' }, 400, /^fault: /],
    ['POST', 'faults', { fault: 'hang', hangMs: -1 }, 400, /^hangMs: /],
    ['GET', 'nowhere', undefined, 404, /no control route GET \/_control\/nowhere/],
  ])('%s %s with a bad request → %i', async (method, path, body, status, message) => {
    const res = await control(method, path, body);
    expect(res.status).toBe(status);
    expect((await res.json()).error.message).toMatch(message);
  });

  it('refuses a body that is not JSON', async () => {
    const res = await fetch(`${sim.origin}/_control/faults`, { method: 'POST', body: '{fault:' });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toBe('the body is not valid JSON');
  });
});

describe('count curves', () => {
  const curve = {
    kind: 'moving',
    base: 2000,
    amplitude: 300,
    periodSeconds: 600,
    trendPerHour: 0,
    noise: 0.02,
  } as const;
  const start = Date.parse('2026-06-01T10:00:00Z');

  it('is repeatable for a seed and differs between seeds', () => {
    const series = (seed: number) =>
      Array.from({ length: 60 }, (_, i) => countAt(curve, seed, 'curveVideo1', start, start + i * 5_000));
    expect(series(3)).toEqual(series(3));
    expect(series(3)).not.toEqual(series(4));
  });

  it('moves within base ± amplitude ± noise, in whole non-negative numbers', () => {
    const values = Array.from({ length: 720 }, (_, i) => countAt(curve, 3, 'curveVideo1', start, start + i * 5_000));
    const bound = (curve.base + curve.amplitude) * (1 + curve.noise);
    expect(Math.max(...values)).toBeLessThanOrEqual(Math.ceil(bound));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(Math.floor((curve.base - curve.amplitude) * (1 - curve.noise)));
    expect(values.every(Number.isInteger)).toBe(true);
    expect(new Set(values).size).toBeGreaterThan(100);
  });

  it('follows the trend and never goes below zero', () => {
    const falling = { kind: 'moving', base: 100, amplitude: 0, trendPerHour: -1000, noise: 0 } as const;
    expect(countAt(falling, 1, 'v', start, start + 1_800_000)).toBe(0);
    const rising = { kind: 'moving', base: 100, amplitude: 0, trendPerHour: 600, noise: 0 } as const;
    expect(countAt(rising, 1, 'v', start, start + 1_800_000)).toBe(400);
  });
});

describe('demoScenario', () => {
  it('registers three moving live streams with stable 11-character ids and titles', async () => {
    const ids = demoScenario(sim);
    expect(ids).toEqual([...DEMO_VIDEO_IDS]);
    expect(ids.every((id) => /^[A-Za-z0-9_-]{11}$/.test(id))).toBe(true);
    const first = await (await list(`part=snippet,liveStreamingDetails&id=${ids.join(',')}`)).json();
    clock += 60_000;
    const later = await (await list(`part=snippet,liveStreamingDetails&id=${ids.join(',')}`)).json();
    expect(first.items).toHaveLength(3);
    for (const [i, item] of first.items.entries()) {
      expect(item.snippet.title.length).toBeGreaterThan(10);
      expect(item.liveStreamingDetails.concurrentViewers).toMatch(/^[1-9][0-9]*$/);
      expect(later.items[i].liveStreamingDetails.concurrentViewers).not.toBe(
        item.liveStreamingDetails.concurrentViewers,
      );
    }
  });
});
