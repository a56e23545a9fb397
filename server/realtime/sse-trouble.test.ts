// The SSE route during database trouble (issue 13, defect 7; RELIABILITY case 29): a 200 with `retry:`
// and an `unavailable` status frame, never a status that ends a plain EventSource for good; and the
// quota state carries when polling resumes.
import { EventSource } from 'eventsource';
import { afterEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.ts';
import { insertEvent, insertStream } from '../events/queries.ts';
import { engines } from '../testing/test-db.ts';
import { testInstance } from '../testing/test-instance.ts';
import { nextPacificMidnight } from '../youtube/quota-clock.ts';
import { setAllStreamsStatus } from '../testing/queries.ts';

const textOf = (q: unknown) => (typeof q === 'string' ? q : JSON.stringify(q));

describe.each(engines)('SSE during database trouble on %s', (engine) => {
  let inst: Awaited<ReturnType<typeof testInstance>>;
  let realQuery: Db['query'];
  /** While set, queries whose text matches fail as a dropped connection would. */
  let failing: RegExp | null = null;
  const url = () => `${inst.url}/api/events/E1/stream`;

  async function setup() {
    inst = await testInstance(engine, { listen: true });
    await insertEvent(inst.db, { id: 'E1', name: 'E1', public: true, startsAt: null, endsAt: null, embedKey: 'k' });
    await insertStream(inst.db, {
      id: 'S1',
      eventId: 'E1',
      videoId: 'liveVideo01',
      label: 'S1',
      status: 'pending',
      statusReason: null,
      scheduledStart: null,
      title: null,
      channelTitle: null,
    });
    realQuery = inst.db.query.bind(inst.db);
    inst.db.query = ((q: unknown, params?: readonly unknown[]) =>
      failing?.test(textOf(q))
        ? Promise.reject(
            Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
          )
        : (realQuery as (q: unknown, p?: readonly unknown[]) => Promise<unknown[]>)(q, params)) as Db['query'];
  }
  afterEach(async () => {
    failing = null;
    await inst?.close();
  });

  it.each([
    ['at the access check', /./],
    ['while reading history', /samples/],
  ])('answers trouble %s with 200, a retry line and an unavailable status, then ends', async (_where, pattern) => {
    await setup();
    failing = pattern;
    const res = await fetch(url());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const text = await res.text(); // ends by itself
    expect(text).toMatch(/retry: \d+\n\n/);
    expect(text).toMatch(/event: status\ndata: \{"state":"unavailable"/);
    expect(text).not.toContain('event: history');
  });

  it('a plain EventSource opened during the trouble keeps trying and gets its history once the database is back', async () => {
    await setup();
    failing = /./;
    const states: string[] = [];
    const es = new EventSource(url());
    es.addEventListener('status', (e) => states.push(JSON.parse(e.data).state));
    let history = false;
    es.addEventListener('history', () => (history = true));
    try {
      const until = Date.now() + 10_000;
      while (!states.includes('unavailable') && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(states).toContain('unavailable');
      failing = null;
      // The status frame follows the history on the wire: wait for both before reading the last state.
      while ((!history || states.at(-1) !== 'ok') && Date.now() < until + 10_000)
        await new Promise((r) => setTimeout(r, 50));
      expect(history).toBe(true);
      expect(es.readyState).toBe(EventSource.OPEN);
      expect(states.at(-1)).toBe('ok');
    } finally {
      es.close();
    }
  }, 30_000);

  it('says when polling resumes while the quota is spent (the next Pacific midnight)', async () => {
    await setup();
    await setAllStreamsStatus(inst.db, 'quota_exceeded', 'YouTube quota spent');
    const res = await fetch(url());
    const reader = res.body!.getReader();
    let text = '';
    const until = Date.now() + 5000;
    while (!text.includes('event: status') && Date.now() < until)
      text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    const status = JSON.parse(/event: status\ndata: (.*)\n/.exec(text)![1]);
    expect(status.streams[0].status).toBe('quota_exceeded');
    expect(status.resumesAt).toBe(nextPacificMidnight(new Date()).toISOString());
  });
});
