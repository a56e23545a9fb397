// Milestones are recorded once each: thresholds at or above, a new peak at most once a minute (raised by a
// higher total later in that minute) and never on the first sample; a restart or a second instance trying the same inserts publishes nothing twice;
// they reach live clients of every instance; the thresholds are edited through PATCH, validated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders } from '../auth/testing/test-session.ts';
import { seedEvent } from '../testing/queries.ts';
import { seedPolled } from '../stats/testing/queries.ts';
import { engines } from '../testing/test-db.ts';
import { testInstance } from '../testing/test-instance.ts';
import type { SampleMessage } from '../wire.ts';
import { milestonesIn, type ReachedMilestone } from './queries.ts';
import { createMilestoneRecorder } from './recorder.ts';

const at = (hms: string) => `2024-05-01T${hms}Z`;

/** A recorder whose bus only notes what it was asked to publish. */
function recorder(db: Parameters<typeof createMilestoneRecorder>[0]['db']) {
  const published: ReachedMilestone[] = [];
  const r = createMilestoneRecorder({
    db,
    bus: {
      publishMilestones: (m) => {
        published.push(...m);
        return Promise.resolve();
      },
    },
  });
  return { published, r };
}

describe.each(engines)('milestones on %s', (engine) => {
  let inst: Awaited<ReturnType<typeof testInstance>>;
  /** Writes the tick (as the poller does) and hands it to a recorder (as the publish path does). */
  const tick = async (r: ReturnType<typeof recorder>['r'], hms: string, total: number) => {
    await seedPolled(inst.db, 'ev', [{ streamId: 's', ts: at(hms), viewers: total }]);
    const samples = new Map<string, SampleMessage>([['ev', { ts: at(hms), total, streams: { s: total } }]]);
    await r.tick(new Date(at(hms)), samples);
  };
  const short = (m: ReachedMilestone[]) => m.map((x) => `${x.kind} ${x.value} ${x.ts.slice(11, 19)}`);

  beforeAll(async () => {
    inst = await testInstance(engine);
    await seedEvent(inst.db, 'ev', [{ id: 's' }]);
  });
  afterAll(() => inst?.close());

  it('records thresholds and new peaks once, at most one peak a minute, none on the first sample', async () => {
    const a = recorder(inst.db);
    await tick(a.r, '10:00:00', 900); // the first sample: nothing to beat, no threshold
    await tick(a.r, '10:00:10', 1200); // 1,000 passed, and a new peak
    await tick(a.r, '10:00:20', 1300); // higher in the same minute: that minute's peak is raised, not told again
    await tick(a.r, '10:00:30', 1250); // lower: the minute's peak stays 1,300
    await tick(a.r, '10:01:00', 1250); // below 1,300: no peak
    await tick(a.r, '10:01:10', 5100); // 5,000 passed, new peak
    expect(short(a.published)).toEqual([
      'threshold 1000 10:00:10',
      'peak 1200 10:00:10',
      'threshold 5000 10:01:10',
      'peak 5100 10:01:10',
    ]);
    const stored = await milestonesIn(inst.db, 'ev', new Date(at('10:00:00')), new Date(at('10:02:00')));
    // One row per minute's peak, holding the minute's highest total: the record equals the highest total.
    expect(stored.filter((m) => m.kind === 'peak').map((m) => `${m.value} ${m.ts.slice(11, 19)}`)).toEqual([
      '1300 10:00:20',
      '5100 10:01:10',
    ]);
  });

  it('publishes nothing twice after a restart: the database remembers', async () => {
    const restarted = recorder(inst.db);
    // The tick written before the restart is published again by a poller that took over.
    await restarted.r.tick(
      new Date(at('10:01:10')),
      new Map([['ev', { ts: at('10:01:10'), total: 5100, streams: { s: 5100 } }]]),
    );
    await tick(restarted.r, '10:01:20', 5100); // same minute, no higher: nothing new
    expect(restarted.published).toEqual([]);
    expect((await milestonesIn(inst.db, 'ev', new Date(at('10:00:00')), new Date(at('11:00:00')))).length).toBe(4);
  });

  it('lets exactly one of two instances publish a milestone both see', async () => {
    const one = recorder(inst.db);
    const two = recorder(inst.db);
    await seedPolled(inst.db, 'ev', [{ streamId: 's', ts: at('10:02:00'), viewers: 10_500 }]);
    const samples = new Map([['ev', { ts: at('10:02:00'), total: 10_500, streams: { s: 10_500 } }]]);
    await Promise.all([one.r.tick(new Date(at('10:02:00')), samples), two.r.tick(new Date(at('10:02:00')), samples)]);
    expect(short([...one.published, ...two.published]).sort()).toEqual([
      'peak 10500 10:02:00',
      'threshold 10000 10:02:00',
    ]);
  });

  it('takes thresholds from PATCH /api/events/:id, validated, sorted and without duplicates', async () => {
    const headers = await adminHeaders(inst.config);
    const patch = (body: unknown) =>
      inst.app.request('http://localhost/api/events/ev', { method: 'PATCH', headers, body: JSON.stringify(body) });
    for (const bad of [[0], [1.5], ['1000'], Array.from({ length: 31 }, (_, i) => i + 1), 'many', [1e16]]) {
      const res = await patch({ milestones: bad });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(await res.json()).toMatchObject({
        error: { code: 'validation_error', field: expect.stringMatching(/^milestones/) },
      });
    }
    const res = await patch({ milestones: [20_000, 12_000, 20_000] });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: 'ev', milestones: [12_000, 20_000] });
    const a = recorder(inst.db);
    await tick(a.r, '10:03:00', 12_500);
    expect(short(a.published)).toEqual(['threshold 12000 10:03:00', 'peak 12500 10:03:00']);
  });
});

describe.skipIf(!engines.includes('postgres'))('milestones across two instances on PostgreSQL', () => {
  let a: Awaited<ReturnType<typeof testInstance>>;
  let b: Awaited<ReturnType<typeof testInstance>>;
  beforeAll(async () => {
    a = await testInstance('postgres', { listen: true });
    b = await testInstance('postgres', { listen: true, sharedDbUrl: a.dbUrl });
    await seedEvent(a.db, 'ev2', [{ id: 's2' }]);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('reaches the live clients of the other instance as `event: milestone`, once', async () => {
    const res = await fetch(`${b.url}/api/events/ev2/stream`);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const until = async (pattern: RegExp) => {
      while (!pattern.test(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended: ${text}`);
        text += decoder.decode(value);
      }
    };
    await until(/event: status/);
    const ts = new Date(Date.now() - 20_000);
    const ts2 = new Date(ts.getTime() + 10_000);
    await seedPolled(a.db, 'ev2', [
      { streamId: 's2', ts: ts.toISOString(), viewers: 800 },
      { streamId: 's2', ts: ts2.toISOString(), viewers: 1500 },
    ]);
    const tick = new Map([['ev2', { ts: ts2.toISOString(), total: 1500, streams: { s2: 1500 } }]]);
    // Both instances weigh the same tick (a poller failover's overlap): the database lets one publish.
    await Promise.all([a.milestones.tick(ts2, tick), b.milestones.tick(ts2, tick)]);
    await until(/event: milestone[\s\S]*event: milestone/);
    await new Promise((r) => setTimeout(r, 500)); // a duplicate would arrive by now
    await reader.cancel();
    const frames = [...text.matchAll(/event: milestone\ndata: (.*)\n/g)].map((m) => JSON.parse(m[1]) as unknown);
    expect(frames).toEqual([
      { kind: 'threshold', value: 1000, ts: ts2.toISOString() },
      { kind: 'peak', value: 1500, ts: ts2.toISOString() },
    ]);
  });
});
