import { connect } from 'node:net';
import { EventSource } from 'eventsource';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { insertEvent, insertStream, updateEvent } from '../events/queries.ts';
import { setThresholds } from '../milestones/queries.ts';
import { startSimulator, type Simulator } from '../simulator/simulator.ts';
import { engines } from '../testing/test-db.ts';
import { nextPacificMidnight } from '../youtube/quota-clock.ts';
import { testInstance } from '../testing/test-instance.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

interface Received {
  type: string;
  id: string;
  data: any;
}

/** An EventSource that records every history/sample/status event it gets. */
function listen(url: string, init?: { headers?: Record<string, string> }) {
  const got: Received[] = [];
  const es = new EventSource(
    url,
    init?.headers ? { fetch: (u, i) => fetch(u, { ...i, headers: { ...i?.headers, ...init.headers } }) } : undefined,
  );
  for (const type of ['history', 'sample', 'status', 'milestone']) {
    es.addEventListener(type, (e) => got.push({ type, id: e.lastEventId, data: JSON.parse(e.data) }));
  }
  const waitFor = async (pred: (g: Received[]) => boolean, ms = 5000) => {
    const until = Date.now() + ms;
    while (!pred(got)) {
      if (Date.now() > until) throw new Error(`timed out; got ${JSON.stringify(got.map((g) => g.type + ':' + g.id))}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { es, got, waitFor, samples: () => got.filter((g) => g.type === 'sample') };
}

describe.each(engines)('SSE on %s', (engine) => {
  let inst: Awaited<ReturnType<typeof testInstance>>;
  let clock: Date;
  const open: EventSource[] = [];
  const tick = async () => {
    clock = new Date(clock.getTime() + 10_000);
    await inst.poller.tickOnce();
  };
  const streamUrl = (q = '') => `${inst.url}/api/events/E1/stream${q}`;
  const track = <T extends { es: EventSource }>(l: T) => (open.push(l.es), l);

  async function setup(env: Record<string, string> = {}, hub?: { heartbeatMs?: number; maxPendingBytes?: number }) {
    clock = new Date(Date.now() - 300_000); // ticks 10 s apart stay in the recent past
    inst = await testInstance(engine, {
      listen: true,
      youtube: { baseUrl: sim.baseUrl, apiKey: 'test-key-for-the-simulator' },
      now: () => clock,
      env,
      hub,
    });
    await insertEvent(inst.db, { id: 'E1', name: 'E1', public: true, startsAt: null, endsAt: null, embedKey: 'k' });
    for (const [sid, vid] of [
      ['S1', 'liveVideo01'],
      ['S2', 'liveVideo02'],
    ]) {
      await insertStream(inst.db, {
        id: sid,
        eventId: 'E1',
        videoId: vid,
        label: sid,
        status: 'pending',
        statusReason: null,
        scheduledStart: null,
        title: null,
        channelTitle: null,
      });
    }
  }

  beforeEach(() => {
    sim.reset();
    sim.setVideo('liveVideo01', { state: 'live', curve: { kind: 'moving', base: 1000, amplitude: 100 } });
    sim.setVideo('liveVideo02', { state: 'live', curve: { kind: 'constant', value: 5 } });
  });
  afterEach(async () => {
    open.splice(0).forEach((es) => es.close());
    await inst.close();
  });

  it('answers with the SSE headers, a retry line, the history, the statuses, then one sample per tick', async () => {
    await setup();
    await tick();
    await tick();
    const res = await fetch(streamUrl());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    expect(res.headers.get('access-control-allow-origin')).toBe('*'); // public event
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first.startsWith('retry: 3000\n\n')).toBe(true);
    await reader.cancel();

    const c = track(listen(streamUrl('?minutes=10'))); // a window short enough for raw points
    await c.waitFor((g) => g.some((e) => e.type === 'status'));
    // The ticks' milestones are recorded and sent on the publish path, so one may arrive after the client
    // connected: live frames, not part of the opening.
    expect(c.got.map((g) => g.type).filter((t) => t !== 'milestone')).toEqual(['history', 'status']);
    expect(c.got.slice(0, 2).map((g) => g.type)).toEqual(['history', 'status']);
    const history = c.got[0].data;
    expect(history.total).toHaveLength(2);
    expect(Object.keys(history.streams).sort()).toEqual(['S1', 'S2']);
    expect(c.got[1].data.streams.map((s: { id: string }) => s.id)).toEqual(['S1', 'S2']);
    await tick();
    await c.waitFor((g) => g.filter((e) => e.type === 'sample').length === 1);
    const [sample] = c.samples();
    expect(sample.id).toBe(String(Math.floor(clock.getTime() / 1000) * 1000));
    expect(sample.data.total).toBe(sample.data.streams.S1 + 5);
    expect(sample.data.ts).toBe(new Date(Number(sample.id)).toISOString());
  });

  it('a status frame whose streams are out of quota says when polling resumes (the next Pacific midnight), and only then', async () => {
    await setup();
    await tick();
    const c = track(listen(streamUrl()));
    await c.waitFor((g) => g.some((e) => e.type === 'status'));
    expect(c.got.find((g) => g.type === 'status')!.data.resumesAt).toBeUndefined();
    sim.injectFault('quota_exceeded', { times: 5 });
    await tick();
    await c.waitFor((g) => g.filter((e) => e.type === 'status').length === 2);
    const status = c.got.filter((g) => g.type === 'status')[1].data;
    expect(status.streams.map((s: { status: string }) => s.status)).toEqual(['quota_exceeded', 'quota_exceeded']);
    expect(status.resumesAt).toBe(nextPacificMidnight(new Date()).toISOString());
  });

  it('resumes after a 3-tick disconnect with exactly the missed samples, in order, then live ones, without history', async () => {
    await setup();
    const first = track(listen(streamUrl()));
    await first.waitFor((g) => g.some((e) => e.type === 'status'));
    await tick();
    await tick();
    await first.waitFor((g) => g.filter((e) => e.type === 'sample').length === 2);
    const lastId = first.samples().at(-1)!.id;
    first.es.close();
    const missed: string[] = [];
    for (let i = 0; i < 3; i++) {
      await tick();
      missed.push(String(Math.floor(clock.getTime() / 1000) * 1000));
    }
    // The header (as a browser sends it on reconnect) and the query parameter (a recreated EventSource).
    for (const how of ['header', 'query'] as const) {
      const again = track(
        how === 'header'
          ? listen(streamUrl(), { headers: { 'Last-Event-ID': lastId } })
          : listen(streamUrl(`?lastEventId=${lastId}`)),
      );
      await again.waitFor((g) => g.filter((e) => e.type === 'sample').length === 3);
      expect(again.got.some((g) => g.type === 'history')).toBe(false);
      expect(again.samples().map((s) => s.id)).toEqual(missed);
    }
    await tick();
    const live = String(Math.floor(clock.getTime() / 1000) * 1000);
    const resumed = track(listen(streamUrl(), { headers: { 'Last-Event-ID': lastId } }));
    await resumed.waitFor((g) => g.filter((e) => e.type === 'sample').length === 4);
    expect(resumed.samples().map((s) => s.id)).toEqual([...missed, live]);
  });

  it('a resumed client gets the milestones recorded while it was away, after their tick, once each, and none it had', async () => {
    await setup();
    clock = new Date(Math.floor((Date.now() - 600_000) / 60_000) * 60_000); // whole minutes, well within history
    await setThresholds(inst.db, 'E1', [1000, 2000, 3000]);
    /** One tick a minute later (so each rise is a new peak: at most one a minute), S1 at `s1` and S2 at 5. */
    const minuteTick = async (s1: number) => {
      sim.setVideo('liveVideo01', { state: 'live', curve: { kind: 'constant', value: s1 } });
      clock = new Date(clock.getTime() + 50_000);
      await tick();
      await inst.milestones.tick(new Date(0), new Map()); // after the recorder's queue: this tick's are stored
      return clock.getTime();
    };
    const frames = (l: ReturnType<typeof listen>) =>
      l.got
        .filter((g) => g.type === 'sample' || g.type === 'milestone')
        .map((g) =>
          g.type === 'sample' ? `sample ${g.id}` : `${g.data.kind} ${g.data.value} @${Date.parse(g.data.ts)}`,
        );

    const a = track(listen(streamUrl()));
    await a.waitFor((g) => g.some((e) => e.type === 'status'));
    const t1 = await minuteTick(500); // 505: below every threshold, and a first count is no peak
    const t2 = await minuteTick(1500); // 1,505: 1,000 passed, a new peak
    const t3 = await minuteTick(1600); // 1,605: a new peak
    await a.waitFor((g) => g.filter((e) => e.type === 'milestone').length === 3);
    // A tick's milestones after its sample, thresholds before the peak; ids say where each left the client.
    expect(frames(a)).toEqual([
      `sample ${t1}`,
      `sample ${t2}`,
      `threshold 1000 @${t2}`,
      `peak 1505 @${t2}`,
      `sample ${t3}`,
      `peak 1605 @${t3}`,
    ]);
    const ids = a.got.filter((g) => g.type === 'milestone').map((g) => g.id);
    expect(ids).toEqual([`${t2}_${t2}_t1000`, `${t2}_${t2}_p1505`, `${t3}_${t3}_p1605`]);
    a.es.close();

    const t4 = await minuteTick(2500); // 2,505: 2,000 passed, a new peak
    const t5 = await minuteTick(2400); // nothing
    const resumes = {
      // Its last frame was t3's milestone: nothing of t3 again.
      afterMilestone: track(listen(streamUrl(), { headers: { 'Last-Event-ID': ids[2] } })),
      // Cut after t3's sample, before its milestone: the milestone comes, before t4.
      afterSample: track(listen(streamUrl(`?lastEventId=${t3}`))),
      // Cut between t2's two milestones.
      betweenMilestones: track(listen(streamUrl(), { headers: { 'Last-Event-ID': ids[0] } })),
    };
    const later = [`sample ${t4}`, `threshold 2000 @${t4}`, `peak 2505 @${t4}`, `sample ${t5}`];
    const expected = {
      afterMilestone: later,
      afterSample: [`peak 1605 @${t3}`, ...later],
      betweenMilestones: [`peak 1505 @${t2}`, `sample ${t3}`, `peak 1605 @${t3}`, ...later],
    };
    for (const [name, l] of Object.entries(resumes)) {
      await l.waitFor(() => frames(l).length >= expected[name as keyof typeof expected].length);
      expect(frames(l), name).toEqual(expected[name as keyof typeof expected]);
      expect(l.got.some((g) => g.type === 'history')).toBe(false);
    }
    // Then live, once each.
    const t6 = await minuteTick(3500);
    for (const [name, l] of Object.entries(resumes)) {
      await l.waitFor(() => frames(l).length === expected[name as keyof typeof expected].length + 3);
      expect(frames(l).slice(-3), name).toEqual([`sample ${t6}`, `threshold 3000 @${t6}`, `peak 3505 @${t6}`]);
    }
    await new Promise((r) => setTimeout(r, 200));
    for (const [name, l] of Object.entries(resumes))
      expect(frames(l), name).toHaveLength(expected[name as keyof typeof expected].length + 3);
  });

  it('sends a status frame when a stream ends, and no more samples carry its count', async () => {
    await setup();
    const c = track(listen(streamUrl()));
    await c.waitFor((g) => g.some((e) => e.type === 'status'));
    sim.setVideo('liveVideo02', { state: 'ended' });
    await tick();
    await c.waitFor((g) =>
      g.some(
        (e) =>
          e.type === 'status' &&
          e.data.streams.some((s: { id: string; status: string }) => s.id === 'S2' && s.status === 'ended'),
      ),
    );
    await tick();
    await c.waitFor((g) => g.filter((e) => e.type === 'sample').length >= 1);
    expect(c.samples().at(-1)!.data.streams.S2 ?? null).toBeNull();
  });

  it('the header wins over the query parameter', async () => {
    await setup();
    await tick();
    const a = String(Math.floor(clock.getTime() / 1000) * 1000);
    await tick();
    const c = track(listen(streamUrl(`?lastEventId=${Number(a) - 60_000}`), { headers: { 'Last-Event-ID': a } }));
    await c.waitFor((g) => g.some((e) => e.type === 'status'));
    expect(c.samples()).toHaveLength(1);
  });

  it.each([
    ['letters', 'abc'],
    ['digits then letters', '12abc'],
    ['16 digits', '9'.repeat(16)],
    ['older than the history kept', '1'],
    ['10 kB', 'x'.repeat(10_000)],
    ['an injected CR/LF', '1%0d%0aevent:%20x'],
  ])('treats a Last-Event-ID of %s as a fresh start: history, never an error', async (_name, bad) => {
    await setup();
    await tick();
    const c = track(listen(streamUrl(`?lastEventId=${bad}`)));
    await c.waitFor((g) => g.some((e) => e.type === 'status'));
    expect(c.got[0].type).toBe('history');
  });

  it('cuts off a client that stops reading while the others keep receiving', async () => {
    await setup({}, { maxPendingBytes: 64 * 1024 });
    const { port } = new URL(inst.url);
    const rawClient = () => {
      const socket = connect(Number(port), '127.0.0.1');
      socket.write(`GET /api/events/E1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      return socket;
    };
    const reader = rawClient();
    let tail = '';
    reader.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-4096)));
    const stalled = rawClient();
    // Both caught up and live (a loaded machine can take longer than a fixed pause).
    for (
      const until = Date.now() + 5000;
      (inst.hub.size < 2 || inst.hub.clients().some((c) => c.backlog)) && Date.now() < until;
    )
      await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    stalled.pause(); // never reads again
    expect(inst.hub.size).toBe(2);
    // Loopback sockets buffer several megabytes in the kernel before Node has to hold anything, so
    // it takes a few thousand 8 kB frames (each well under the 64 kB bound a reading client never nears).
    const big = { ts: new Date().toISOString(), total: 1, streams: { S1: 1, pad: 'x'.repeat(8 * 1024) } as never };
    let t = Date.now();
    for (let i = 0; i < 20_000 && inst.hub.size === 2; i++) {
      inst.hub.publishSample('E1', ++t, big);
      if (i % 4 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(inst.hub.slowDisconnects).toBe(1);
    expect(inst.hub.size).toBe(1);
    inst.hub.publishSample('E1', ++t, { ts: new Date(t).toISOString(), total: 42, streams: { S1: 42 } });
    const until = Date.now() + 3000;
    while (!tail.includes('"total":42') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
    expect(tail).toContain(`id: ${t}\nevent: sample\ndata: {"ts":"${new Date(t).toISOString()}","total":42`);
    reader.destroy();
    stalled.destroy();
  });

  it('sends a comment line as a heartbeat when nothing happens', async () => {
    await setup({}, { heartbeatMs: 100 });
    const res = await fetch(streamUrl());
    const reader = res.body!.getReader();
    let text = '';
    const until = Date.now() + 3000;
    while (!text.includes(': ping\n\n') && Date.now() < until)
      text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    expect(text).toContain('\n\n: ping\n\n');
  });

  it('answers past SSE_MAX_CLIENTS with a 200, a retry delay and a server_full status, then ends', async () => {
    await setup({ SSE_MAX_CLIENTS: '1' });
    const one = track(listen(streamUrl()));
    await one.waitFor((g) => g.some((e) => e.type === 'status'));
    const res = await fetch(streamUrl());
    expect(res.status).toBe(200);
    const text = await res.text(); // the stream ends by itself
    expect(text).toMatch(/^retry: \d+\n\n/);
    expect(text).toContain('event: status\ndata: {"state":"server_full"');
  });

  it('tells clients to come back later and closes them on shutdown', async () => {
    await setup();
    const res = await fetch(streamUrl());
    const text = res.text();
    await new Promise((r) => setTimeout(r, 200));
    await inst.stop();
    expect(await text).toMatch(/retry: 2000\n\nevent: status\ndata: \{"state":"shutting_down"/);
  });

  it('answers an unknown event with 404 JSON and a private one without a token with 401', async () => {
    await setup();
    expect((await fetch(`${inst.url}/api/events/nope/stream`)).status).toBe(404);
    await updateEvent(inst.db, 'E1', { public: false });
    const res = await fetch(streamUrl());
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('unauthorized');
    // The refusal is readable cross-origin (a widget must tell "not allowed" from "offline"); it holds no data.
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('rejects a bad minutes parameter with a 400 naming it', async () => {
    await setup();
    const res = await fetch(streamUrl('?minutes=0'));
    expect(res.status).toBe(400);
    expect((await res.json()).error.field).toBe('minutes');
  });
});
