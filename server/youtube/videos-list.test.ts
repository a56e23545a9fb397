// The real client against the simulator over loopback HTTP: statuses, drift, missing ids, the batch
// guard, every fault class, and where the key travels.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countAt } from '../simulator/count-curve.ts';
import { startSimulator, type FaultName, type Simulator } from '../simulator/simulator.ts';
import { fetchVideos, VIDEO_FIELDS, type FetchVideosOptions, type UpstreamFaultKind } from './videos-list.ts';

// Key-shaped but built at run time, so no scanner takes the repo for one holding a real key.
const KEY = ['AI', 'za', 'TESTkey_0123456789abcdefghijklmnopq'].join('');
let clock = Date.parse('2026-03-08T18:00:00Z');
let sim: Simulator;
let opts: FetchVideosOptions;

beforeAll(async () => {
  sim = await startSimulator({ seed: 7, apiKey: KEY, now: () => clock });
  opts = { baseUrl: sim.baseUrl, apiKey: KEY };
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const ok = async (ids: string[], o: FetchVideosOptions = opts) => {
  const r = await fetchVideos(ids, o);
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.fault)}`);
  return r;
};

describe('statuses', () => {
  it('reads every state of the status rule in one call, in request order', async () => {
    sim.setVideo('liveVideo01', {
      state: 'live',
      title: 'Main stage',
      channelTitle: 'Conf',
      actualStart: '2026-03-08T17:00:05Z',
      scheduledStart: '2026-03-08T17:00:00Z',
      curve: { kind: 'constant', value: 1888 },
    });
    sim.setVideo('hiddenCnt01', { state: 'live_hidden', actualStart: '2026-03-08T17:30:00Z' });
    sim.setVideo('upcoming_01', { state: 'upcoming', scheduledStart: '2026-03-09T18:00:00Z' });
    sim.setVideo('endedVid_01', {
      state: 'ended',
      actualStart: '2026-03-07T18:01:12Z',
      actualEnd: '2026-03-07T21:33:40Z',
    });
    sim.setVideo('regularVid1', { state: 'not_live', title: 'A normal upload' });
    const ids = ['regularVid1', 'liveVideo01', 'deletedId01', 'hiddenCnt01', 'upcoming_01', 'endedVid_01'];

    const r = await ok(ids);

    expect(r.missing).toEqual(['deletedId01']);
    expect(r.videos.map((v) => v.videoId)).toEqual([
      'regularVid1',
      'liveVideo01',
      'hiddenCnt01',
      'upcoming_01',
      'endedVid_01',
    ]);
    const [regular, live, hidden, upcoming, ended] = r.videos;
    expect(live).toEqual({
      videoId: 'liveVideo01',
      status: 'live',
      viewers: 1888,
      scheduledStart: '2026-03-08T17:00:00.000Z',
      actualStart: '2026-03-08T17:00:05.000Z',
      actualEnd: null,
      title: 'Main stage',
      channelTitle: 'Conf',
    });
    expect(hidden).toMatchObject({ status: 'live_hidden', viewers: null, actualStart: '2026-03-08T17:30:00.000Z' });
    expect(hidden.drift).toBeUndefined();
    expect(upcoming).toMatchObject({
      status: 'upcoming',
      viewers: null,
      scheduledStart: '2026-03-09T18:00:00.000Z',
      actualStart: null,
    });
    expect(ended).toMatchObject({ status: 'ended', viewers: null, actualEnd: '2026-03-07T21:33:40.000Z' });
    expect(regular).toMatchObject({
      status: 'not_live',
      viewers: null,
      scheduledStart: null,
      title: 'A normal upload',
    });
  });

  it('follows a moving curve as the clock moves', async () => {
    const curve = {
      kind: 'moving',
      base: 5000,
      amplitude: 800,
      periodSeconds: 300,
      trendPerHour: 100,
      noise: 0.02,
    } as const;
    const start = '2026-03-08T17:00:00Z';
    sim.setVideo('movingLive1', { state: 'live', actualStart: start, curve });
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      clock += 10_000;
      const [video] = (await ok(['movingLive1'])).videos;
      expect(video.viewers).toBe(countAt(curve, 7, 'movingLive1', Date.parse(start), clock));
      seen.push(video.viewers!);
    }
    expect(new Set(seen).size).toBeGreaterThan(1);
  });

  it('lets actualEndTime win over a stale "live" label and a leftover count', async () => {
    sim.setVideo('justEnded01', {
      state: 'ended',
      raw: { snippet: { liveBroadcastContent: 'live' }, liveStreamingDetails: { concurrentViewers: '55' } },
    });
    const [v] = (await ok(['justEnded01'])).videos;
    expect(v).toMatchObject({ status: 'ended', viewers: null });
  });

  it('keeps an upcoming stream whose scheduled start is past as upcoming (a late start)', async () => {
    sim.setVideo('lateStart01', { state: 'upcoming', scheduledStart: new Date(clock - 3600_000).toISOString() });
    const [v] = (await ok(['lateStart01'])).videos;
    expect(v.status).toBe('upcoming');
    expect(Date.parse(v.scheduledStart!)).toBe(clock - 3600_000);
  });

  it('tolerates unknown liveBroadcastContent values and times with milliseconds', async () => {
    sim.setVideo('oddLabel001', {
      state: 'live',
      curve: { kind: 'constant', value: 42 },
      raw: {
        snippet: { liveBroadcastContent: 'premiere_v2' },
        liveStreamingDetails: { actualStartTime: '2015-09-24T17:06:07.000Z' },
      },
    });
    const [v] = (await ok(['oddLabel001'])).videos;
    expect(v).toMatchObject({ status: 'live', viewers: 42, actualStart: '2015-09-24T17:06:07.000Z' });
    expect(v.drift).toBeUndefined();
  });

  it('reads a real "0" as zero viewers, and 15 digits exactly', async () => {
    sim.setVideo('zeroViewer1', { state: 'live', curve: { kind: 'constant', value: 0 } });
    sim.setVideo('bigCounter1', {
      state: 'live',
      raw: { liveStreamingDetails: { concurrentViewers: '999999999999999' } },
    });
    const r = await ok(['zeroViewer1', 'bigCounter1']);
    expect(r.videos.map((v) => [v.status, v.viewers])).toEqual([
      ['live', 0],
      ['live', 999999999999999],
    ]);
  });
});

describe('schema drift', () => {
  it.each([
    ['abc', '"abc"'],
    ['-1', '"-1"'],
    [12, 'number 12'],
    ['99999999999999999999', '"99999999999999999999"'],
    ['1e3', '"1e3"'],
    ['', '""'],
    [' 12', '" 12"'],
    [true, 'boolean true'],
    [{ n: 1 }, 'object'],
  ])('concurrentViewers %j → no count, drift noted, never NaN', async (raw, shown) => {
    sim.setVideo('driftVideo1', { state: 'live', raw: { liveStreamingDetails: { concurrentViewers: raw } } });
    const [v] = (await ok(['driftVideo1'])).videos;
    expect(v.status).toBe('live_hidden');
    expect(v.viewers).toBeNull();
    expect(v.drift).toContain('concurrentViewers');
    expect(v.drift).toContain(shown);
  });

  it('notes wrong types in titles and times without losing the rest of the item', async () => {
    sim.setVideo('driftTitle1', {
      state: 'live',
      curve: { kind: 'constant', value: 10 },
      raw: { snippet: { title: 1234 }, liveStreamingDetails: { scheduledStartTime: 'tomorrow' } },
    });
    const [v] = (await ok(['driftTitle1'])).videos;
    expect(v).toMatchObject({
      status: 'live',
      viewers: 10,
      title: null,
      scheduledStart: null,
      channelTitle: 'LivePulse Simulator',
    });
    expect(v.drift).toBe(
      'scheduledStartTime: expected a date-time, got "tomorrow"; title: expected a string, got number 1234',
    );
  });
});

describe('missing ids and the batch guard', () => {
  it('returns every unknown id as missing, with no error', async () => {
    sim.setVideo('knownLive01', { state: 'live' });
    const r = await ok(['unknownId01', 'knownLive01', 'unknownId02']);
    expect(r.missing).toEqual(['unknownId01', 'unknownId02']);
    const none = await ok(['unknownId01']);
    expect(none).toEqual({ ok: true, videos: [], missing: ['unknownId01'] });
  });

  it('treats a partial response with no items key at all as "none found"', async () => {
    const fakeFetch = async () =>
      new Response('{}', { headers: { 'content-type': 'application/json; charset=UTF-8' } });
    expect(await fetchVideos(['unknownId01'], { ...opts, fetch: fakeFetch })).toEqual({
      ok: true,
      videos: [],
      missing: ['unknownId01'],
    });
  });

  it('refuses 0 or more than 50 ids and malformed ids before any call', async () => {
    const ids = Array.from({ length: 51 }, (_, i) => `video${String(i).padStart(6, '0')}`);
    await expect(fetchVideos([], opts)).rejects.toThrow(/at least one/);
    await expect(fetchVideos(ids, opts)).rejects.toThrow(/at most 50/);
    await expect(fetchVideos(['abc'], opts)).rejects.toThrow(/11-character/);
    await expect(fetchVideos(['dQw4w9WgXcQ,x'], opts)).rejects.toThrow(/11-character/);
    expect(sim.calls()).toHaveLength(0);
  });

  it('sends exactly 50 ids in one call, and each id once', async () => {
    const ids = Array.from({ length: 50 }, (_, i) => `video${String(i).padStart(6, '0')}`);
    const r = await ok([...ids, ids[0]]);
    expect(r.missing).toHaveLength(50);
    expect(sim.calls()).toHaveLength(1);
    expect(sim.calls()[0].ids).toEqual(ids);
  });
});

describe('request shape', () => {
  it('sends the key as X-goog-api-key, never in the URL, and asks for only the fields it reads', async () => {
    const urls: string[] = [];
    const headers: Headers[] = [];
    const spy: typeof fetch = (input, init) => {
      urls.push(input instanceof Request ? input.url : input.toString());
      headers.push(new Headers(init?.headers));
      return fetch(input, init);
    };
    sim.setVideo('liveVideo01', { state: 'live' });
    await ok(['liveVideo01'], { ...opts, fetch: spy });

    expect(urls[0]).not.toContain(KEY);
    expect(new URL(urls[0]).searchParams.has('key')).toBe(false);
    expect(headers[0].get('x-goog-api-key')).toBe(KEY);
    const [call] = sim.calls();
    expect(call.keyVia).toBe('header');
    expect(call.part).toBe('liveStreamingDetails,snippet');
    expect(call.fields).toBe(VIDEO_FIELDS);
    expect(JSON.stringify(sim.calls())).not.toContain(KEY);
  });

  it('works against a base URL given with a trailing slash', async () => {
    sim.setVideo('liveVideo01', { state: 'live' });
    expect((await ok(['liveVideo01'], { ...opts, baseUrl: `${sim.baseUrl}/` })).videos).toHaveLength(1);
  });
});

describe('faults', () => {
  it.each<[FaultName, UpstreamFaultKind, number, RegExp]>([
    ['quota_exceeded', 'quota_exceeded', 403, /quotaExceeded/],
    ['daily_limit_exceeded', 'quota_exceeded', 403, /dailyLimitExceeded/],
    ['key_invalid', 'api_key_invalid', 400, /API_KEY_INVALID/],
    ['key_invalid_legacy', 'api_key_invalid', 400, /keyInvalid/],
    ['key_service_blocked', 'api_config_error', 403, /API_KEY_SERVICE_BLOCKED/],
    ['api_not_enabled', 'api_config_error', 403, /SERVICE_DISABLED/],
    ['rate_limit_exceeded', 'rate_limited', 403, /rateLimitExceeded/],
    ['user_rate_limit_exceeded', 'rate_limited', 403, /userRateLimitExceeded/],
    ['too_many_requests', 'rate_limited', 429, /rate limited/],
    ['backend_error_500', 'unavailable', 500, /backendError/],
    ['backend_error_503', 'unavailable', 503, /backendError/],
    ['invalid_filters', 'bad_request', 400, /invalidFilters/],
    ['html_502', 'unavailable', 502, /non-JSON/],
    ['malformed_json', 'unavailable', 200, /malformed JSON/],
  ])('%s → %s', async (fault, kind, httpStatus, reason) => {
    sim.setVideo('liveVideo01', { state: 'live' });
    sim.injectFault(fault);
    const r = await fetchVideos(['liveVideo01'], opts);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.fault).toMatchObject({ kind, httpStatus });
    expect(r.fault.reason).toMatch(reason);
    // The reason is ours: no upstream HTML or message text, never the key.
    expect(r.fault.reason).not.toMatch(/[<>]|quota<\/a>|Please pass/);
    expect(r.fault.reason).not.toContain(KEY);
    expect(r.fault.reason.length).toBeLessThan(120);
    expect(r.fault.retryAfterSeconds).toBeUndefined();
    // The fault was for one call only.
    expect((await fetchVideos(['liveVideo01'], opts)).ok).toBe(true);
  });

  it('honours Retry-After on a 429', async () => {
    sim.injectFault('too_many_requests', { retryAfterSeconds: 30 });
    const r = await fetchVideos(['liveVideo01'], opts);
    expect(r).toEqual({
      ok: false,
      fault: { kind: 'rate_limited', httpStatus: 429, reason: expect.any(String), retryAfterSeconds: 30 },
    });
  });

  it('classifies a wrong key answered by the server itself', async () => {
    const r = await fetchVideos(['liveVideo01'], {
      ...opts,
      apiKey: ['AI', 'za', 'WRONGkey_000000000000000000000000000'].join(''),
    });
    expect(r).toMatchObject({ ok: false, fault: { kind: 'api_key_invalid', httpStatus: 400 } });
    expect(JSON.stringify(r)).not.toContain('WRONGkey');
  });

  it('gives up after timeoutMs when YouTube hangs', async () => {
    sim.injectFault('hang', { hangMs: 5_000 });
    const t0 = performance.now();
    const r = await fetchVideos(['liveVideo01'], { ...opts, timeoutMs: 200 });
    const elapsed = performance.now() - t0;
    expect(r).toEqual({ ok: false, fault: { kind: 'timeout', reason: 'no answer from YouTube in time' } });
    expect(elapsed).toBeGreaterThanOrEqual(190);
    expect(elapsed).toBeLessThan(2_000);
  });

  it('answers a hang shorter than the timeout normally', async () => {
    sim.setVideo('liveVideo01', { state: 'live', curve: { kind: 'constant', value: 5 } });
    sim.injectFault('hang', { hangMs: 100 });
    const r = await ok(['liveVideo01']);
    expect(r.videos[0].viewers).toBe(5);
  });

  it('reports a connection reset as a network fault', async () => {
    sim.injectFault('reset');
    const r = await fetchVideos(['liveVideo01'], opts);
    expect(r).toMatchObject({ ok: false, fault: { kind: 'network', reason: expect.stringContaining('ECONNRESET') } });
  });

  it('reports a refused connection as a network fault', async () => {
    const gone = await startSimulator();
    const baseUrl = gone.baseUrl;
    await gone.close();
    const r = await fetchVideos(['liveVideo01'], { ...opts, baseUrl });
    expect(r).toMatchObject({ ok: false, fault: { kind: 'network', reason: 'connection failed (ECONNREFUSED)' } });
  });

  it('reports a DNS failure (ENOTFOUND) as a network fault', async () => {
    const dnsFails: typeof fetch = async () => {
      const cause = Object.assign(new Error('getaddrinfo ENOTFOUND www.googleapis.com'), { code: 'ENOTFOUND' });
      throw new TypeError('fetch failed', { cause });
    };
    const r = await fetchVideos(['liveVideo01'], { ...opts, fetch: dnsFails });
    expect(r).toEqual({ ok: false, fault: { kind: 'network', reason: 'connection failed (ENOTFOUND)' } });
  });

  it('treats a 200 whose items is not a list as unavailable', async () => {
    const odd = async () => new Response('{"items":{"id":"x"}}', { headers: { 'content-type': 'application/json' } });
    const r = await fetchVideos(['liveVideo01'], { ...opts, fetch: odd });
    expect(r).toMatchObject({ ok: false, fault: { kind: 'unavailable', httpStatus: 200 } });
  });
});
