// Passing upstream trouble backs off only the source that met it: a YouTube 503 or 429 holds YouTube while
// Twitch keeps the poller's 10 s beat (and the other way round), the held streams say the fault and when
// they are asked again, add nothing to the totals and are not called until their back-off has run out;
// only when every source is in trouble does the tick itself wait. Real ticks over HTTP against the
// simulator, driven by the delays the poller asks for, on both engines, read back through GET /api/events/:id.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminHeaders } from '../auth/testing/test-session.ts';
import { startSimulator, type Simulator } from '../simulator/simulator.ts';
import { seedEvent } from '../testing/queries.ts';
import { engines } from '../testing/test-db.ts';
import { testInstance } from '../testing/test-instance.ts';
import { insertRawStream, storedSamples } from './testing/queries.ts';
import { simulatedSourcesEnv } from './testing/simulated-env.ts';

/** The log's lines (info too, which in-process tests otherwise keep quiet): the recovery is said once. */
const logged = vi.hoisted(() => [] as { level: string; code: string; message: string }[]);
vi.mock('../log.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../log.ts')>();
  return {
    ...actual,
    log: (...args: Parameters<typeof actual.log>) => {
      logged.push({ level: args[0], code: args[1], message: args[2] });
      actual.log(...args);
    },
  };
});
const recoveries = () => logged.filter((l) => l.code.endsWith('_recovered'));

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

const T0 = Date.parse('2026-11-29T12:00:00Z');

describe.each(engines)('passing trouble backs off one source only (%s)', (engine) => {
  let inst: Awaited<ReturnType<typeof testInstance>> | undefined;
  afterEach(async () => {
    await inst?.close();
    inst = undefined;
  });

  let clock = T0;
  let delays: number[] = [];
  const start = async () => {
    clock = T0;
    delays = [];
    logged.length = 0;
    inst = await testInstance(engine, {
      now: () => new Date(clock),
      random: () => 0.5, // jitter ×0.75: back-offs of 10, 15, 30 s
      youtube: { baseUrl: sim.baseUrl, apiKey: 'test-key-for-the-simulator' },
      env: simulatedSourcesEnv(sim),
    });
    sim.reset();
    sim.setVideo('ytLive00001', { state: 'live', curve: { kind: 'constant', value: 1200 } });
    sim.twitch.setChannel('shroud', { live: true, curve: { kind: 'constant', value: 345 } });
    await seedEvent(inst.db, 'mix', [{ id: 'yt', videoId: 'ytLive00001' }]);
    await insertRawStream(inst.db, { id: 'tw', eventId: 'mix', videoId: null, platform: 'twitch', login: 'shroud' });
    await tick(); // both answer: 1545
  };
  /** One tick at the current clock, then the clock moves on by the delay the poller asked for (as its loop does). */
  const tick = async () => {
    const r = await inst!.poller.tickOnce();
    delays.push(r.delaySeconds);
    clock += r.delaySeconds * 1000;
    return r;
  };
  const youtubeCalls = () => sim.calls().length;
  const twitchCalls = () => sim.twitch.calls().length;
  const streamsOf = async () => {
    const res = await inst!.app.request('http://localhost/api/events/mix', {
      headers: await adminHeaders(inst!.config),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      streams: { id: string; status: string; statusReason: string | null; viewers: number | null }[];
    };
    return Object.fromEntries(
      body.streams.map((s) => [s.id, { status: s.status, reason: s.statusReason, viewers: s.viewers }]),
    );
  };
  const totals = async () => (await storedSamples(inst!.db, 'mix')).totals.map((t) => t.total);

  it('a YouTube 503 holds YouTube alone: Twitch keeps its 10 s beat, the total is a gap, then YouTube recovers', async () => {
    await start();
    sim.injectFault('backend_error_503', { times: 2 });
    await tick(); // 503: held 10 s (the first step)
    expect(await streamsOf()).toMatchObject({
      yt: { status: 'error', reason: 'YouTube backend error (backendError); retrying in 10 s', viewers: null },
      tw: { status: 'live', viewers: 345 },
    });
    await tick(); // its back-off ran out: asked again, 503 again, held 15 s
    const reason = 'YouTube backend error (backendError); retrying in 15 s';
    expect((await streamsOf()).yt).toEqual({ status: 'error', reason, viewers: null });
    expect(youtubeCalls()).toBe(3);
    await tick(); // 10 s later YouTube is still held: not called, its status and reason unchanged
    expect(youtubeCalls()).toBe(3);
    expect((await streamsOf()).yt).toEqual({ status: 'error', reason, viewers: null });
    expect(inst!.poller.upstream()).toBe('unavailable'); // /api/health still says YouTube is in trouble
    await tick(); // held until +15 s: asked again, and answers
    expect(youtubeCalls()).toBe(4);
    expect(await streamsOf()).toMatchObject({
      yt: { status: 'live', viewers: 1200 },
      tw: { status: 'live', viewers: 345 },
    });
    expect(inst!.poller.upstream()).toBe('ok');
    // After the warnings, one line says YouTube is back and how long the trouble lasted (first 503 at +10 s).
    expect(logged.filter((l) => l.code === 'yt_unavailable')).toHaveLength(2);
    expect(recoveries()).toEqual([
      { level: 'info', code: 'yt_recovered', message: 'YouTube (Data API) answers again after 30 s of trouble' },
    ]);
    expect(delays).toEqual([10, 10, 10, 10, 10]); // Twitch never waited
    expect(twitchCalls()).toBe(5);
    // No YouTube count carried over or invented while it was held, and no Twitch count shown as the total:
    // the event's total is a gap until YouTube answers again (tick.ts). Twitch's own count was shown meanwhile.
    expect(await totals()).toEqual([1545, 1545]);
    const { streams } = await storedSamples(inst!.db, 'mix');
    expect(streams.filter((s) => s.stream_id === 'yt').map((s) => s.viewers)).toEqual([1200, 1200]);

    // The back-off was forgotten with the success: the next 503 starts again at the first step.
    sim.injectFault('backend_error_503');
    await tick();
    expect((await streamsOf()).yt.reason).toBe('YouTube backend error (backendError); retrying in 10 s');
    await tick(); // answers again: said once for this trouble too, and not at the good tick after
    await tick();
    expect(recoveries().map((l) => l.message)).toEqual([
      'YouTube (Data API) answers again after 30 s of trouble',
      'YouTube (Data API) answers again after 10 s of trouble',
    ]);
  });

  it('a Twitch 503 holds Twitch alone: YouTube keeps its 10 s beat', async () => {
    await start();
    sim.twitch.fail({ times: 2, status: 503 });
    await tick(); // 503: held 10 s
    expect((await streamsOf()).tw).toEqual({
      status: 'error',
      reason: 'Twitch answered HTTP 503; retrying in 10 s',
      viewers: null,
    });
    await tick(); // 503 again: held 15 s
    await tick(); // held: not called
    expect(twitchCalls()).toBe(3);
    expect((await streamsOf()).tw.reason).toBe('Twitch answered HTTP 503; retrying in 15 s');
    expect(inst!.poller.upstream()).toBe('ok'); // YouTube is fine
    await tick(); // asked again: live
    expect(twitchCalls()).toBe(4);
    expect(await streamsOf()).toMatchObject({
      yt: { status: 'live', viewers: 1200 },
      tw: { status: 'live', viewers: 345 },
    });
    expect(delays).toEqual([10, 10, 10, 10, 10]);
    expect(youtubeCalls()).toBe(5);
    expect(recoveries()).toEqual([
      { level: 'info', code: 'twitch_recovered', message: 'Twitch answers again after 30 s of trouble' },
    ]);
    // YouTube's count alone is not the event's total: a gap while Twitch is held.
    expect(await totals()).toEqual([1545, 1545]);
  });

  it('both in trouble: the tick itself backs off as before (10, 15, 30 s), and both are asked at each', async () => {
    await start();
    sim.injectFault('backend_error_503', { times: 3 });
    sim.twitch.fail({ times: 3 });
    await tick();
    await tick();
    await tick();
    await tick(); // both answer again
    expect(delays).toEqual([10, 10, 15, 30, 10]);
    expect([youtubeCalls(), twitchCalls()]).toEqual([5, 5]);
    expect(await totals()).toEqual([1545, 1545]); // the failed ticks are a gap
    expect(await streamsOf()).toMatchObject({ yt: { status: 'live' }, tw: { status: 'live' } });
  });

  it('Retry-After is the held source’s own: a 429 asking for 35 s holds YouTube 35 s, Twitch goes on', async () => {
    await start();
    sim.injectFault('too_many_requests', { retryAfterSeconds: 35 });
    await tick();
    expect((await streamsOf()).yt).toMatchObject({
      status: 'error',
      reason: expect.stringMatching(/retrying in 35 s$/),
    });
    await tick(); // +10 s
    await tick(); // +20 s
    await tick(); // +30 s: still held
    expect(youtubeCalls()).toBe(2);
    await tick(); // +40 s: past the 35 s
    expect(youtubeCalls()).toBe(3);
    expect((await streamsOf()).yt).toMatchObject({ status: 'live', viewers: 1200 });
    expect(delays).toEqual([10, 10, 10, 10, 10, 10]);
    expect(twitchCalls()).toBe(6);
  });
});
