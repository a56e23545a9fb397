// GET /api/events/:id/stats and stats.csv on each engine: hand-made curves with gaps, hidden counts and
// an interval change (figures worked out by hand), the stored hours giving the same answer and dropped
// by a late sample, random curves against the pure definition, and the access rules of history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders, TEST_AUTH_SECRET } from '../auth/testing/test-session.ts';
import { signToken, tokenKey } from '../auth/tokens.ts';
import { seedEvent } from '../testing/queries.ts';
import { engines } from '../testing/test-db.ts';
import { testInstance } from '../testing/test-instance.ts';
import type { StatsResponse } from '../wire.ts';
import { statsOfPoints, type SamplePoint } from './compute.ts';
import { recordIntervals, storedParts } from './queries.ts';
import { seedPolled, type PolledRow } from './testing/queries.ts';

const at = (hms: string) => `2024-05-01T${hms}Z`;

// Interval 10 s until 10:00 (cap 25 s), 20 s from 10:00 (cap 50 s). The window 09:00–11:00 is two
// whole hours, stored after the first request.
const ROWS: PolledRow[] = [
  { streamId: 'a', ts: at('09:59:30'), viewers: 100 },
  { streamId: 'b', ts: at('09:59:30'), viewers: 10 },
  { streamId: 'a', ts: at('09:59:40'), viewers: 100 },
  { streamId: 'b', ts: at('09:59:40'), viewers: null },
  { streamId: 'a', ts: at('09:59:50'), viewers: null }, // every stream hidden: a hidden total
  { streamId: 'b', ts: at('09:59:50'), viewers: null },
  { streamId: 'a', ts: at('10:00:00'), viewers: 200 },
  { streamId: 'b', ts: at('10:00:00'), viewers: 20 },
  { streamId: 'a', ts: at('10:00:20'), viewers: 200 },
  { streamId: 'b', ts: at('10:00:20'), viewers: null },
  { streamId: 'a', ts: at('10:01:20'), viewers: 300 }, // 60 s after the last tick: more than 50 s
  { streamId: 'a', ts: at('10:01:40'), viewers: 300 },
];
const WINDOW = `from=${at('09:00:00')}&to=${at('11:00:00')}`;

// Stream a: 09:59:30 100 → 10 s (1,000); 09:59:40 100 → until the hidden 09:59:50: 10 s (1,000);
// 10:00:00 200 → 20 s (4,000); 10:00:20 200 → 60 s away, capped at 50 s (10,000); 10:01:20 300 → 20 s
// (6,000); 10:01:40 300, the newest, → one interval, 20 s (6,000). 130 s, 28,000 viewer-s.
const A = {
  current: null,
  peak: { viewers: 300, ts: '2024-05-01T10:01:20.000Z' },
  average: 215.385, // 28,000 / 130
  viewerMinutes: 466.667, // 28,000 / 60
  liveSeconds: 130,
  samples: 6,
};
// Stream b: 09:59:30 10 → until the hidden 09:59:40: 10 s (100); 10:00:00 20 → until the hidden 10:00:20:
// 20 s (400). 30 s, 500 viewer-s.
const B = {
  current: null,
  peak: { viewers: 20, ts: '2024-05-01T10:00:00.000Z' },
  average: 16.667,
  viewerMinutes: 8.333,
  liveSeconds: 30,
  samples: 2,
};
// Total: 09:59:30 110 → 10 s (1,100); 09:59:40 100 → 10 s (1,000); 09:59:50 hidden; 10:00:00 220 → 20 s
// (4,400); 10:00:20 200 → capped 50 s (10,000); 10:01:20 300 → 20 s (6,000); 10:01:40 300 → 20 s (6,000).
// 130 s, 28,500 viewer-s.
const TOTAL = {
  current: null,
  peak: { viewers: 300, ts: '2024-05-01T10:01:20.000Z' },
  average: 219.231, // 28,500 / 130
  viewerMinutes: 475,
  liveSeconds: 130,
  samples: 6,
};

describe.each(engines)('stats routes on %s', (engine) => {
  let inst: Awaited<ReturnType<typeof testInstance>>;
  const get = (path: string, headers: Record<string, string> = {}) =>
    inst.app.request(`http://localhost${path}`, { headers });
  const stats = async (id: string, query: string) => {
    const res = await get(`/api/events/${id}/stats?${query}`);
    expect(res.status).toBe(200);
    return (await res.json()) as StatsResponse;
  };

  beforeAll(async () => {
    inst = await testInstance(engine);
    await seedEvent(inst.db, 'ev', [
      { id: 'a', label: 'Main hall' },
      { id: 'b', label: '=HYPERLINK("x")' },
    ]);
    await recordIntervals(inst.db, [
      { since: new Date(at('09:00:00')), seconds: 10 },
      { since: new Date(at('10:00:00')), seconds: 20 },
    ]);
    await seedPolled(inst.db, 'ev', ROWS);
    await seedEvent(inst.db, 'private', [{ id: 'p1' }], false);
  });
  afterAll(() => inst?.close());

  it('computes peak, average, viewer-minutes, live time and share on a hand-made curve', async () => {
    const body = await stats('ev', WINDOW);
    expect(body).toEqual({
      eventId: 'ev',
      from: at('09:00:00').replace('Z', '.000Z'),
      to: at('11:00:00').replace('Z', '.000Z'),
      total: TOTAL,
      streams: { a: { ...A, share: 0.982 }, b: { ...B, share: 0.018 } },
    });
    expect(Object.keys(body.streams)).toEqual(['a', 'b']);
  });

  it('stores whole past hours, answers the same from them, and drops an hour a late sample lands in', async () => {
    await stats('ev', WINDOW);
    const stored = await storedParts(inst.db, 'ev', new Date(at('09:00:00')), new Date(at('11:00:00')));
    expect(new Set(stored.map((p) => `${new Date(p.bucket).toISOString()} ${p.series}`))).toEqual(
      new Set([
        '2024-05-01T09:00:00.000Z ',
        '2024-05-01T09:00:00.000Z a',
        '2024-05-01T09:00:00.000Z b',
        '2024-05-01T10:00:00.000Z ',
        '2024-05-01T10:00:00.000Z a',
        '2024-05-01T10:00:00.000Z b',
      ]),
    );
    expect((await stats('ev', WINDOW)).total).toEqual(TOTAL);

    // A tick written late (after a database outage): b 50 at 09:59:20, 10 s before the next tick.
    await seedPolled(inst.db, 'ev', [{ streamId: 'b', ts: at('09:59:20'), viewers: 50 }]);
    const after = await stats('ev', WINDOW);
    expect(after.streams.b).toMatchObject({ samples: 3, liveSeconds: 40, viewerMinutes: 16.667, average: 25 });
    expect(after.total).toMatchObject({ samples: 7, liveSeconds: 140, viewerMinutes: 483.333 });
  });

  it('cuts a window inside hours (edges computed, never stored) with the same rules', async () => {
    // 09:59:35–10:00:30: a counts 09:59:40 (10 s), 10:00:00 (20 s) and 10:00:20 (a sample follows after
    // the window: until 10:00:30, 10 s): 40 s, 1,000 + 4,000 + 2,000 = 7,000 viewer-s.
    const body = await stats('ev', `from=${at('09:59:35')}&to=${at('10:00:30')}`);
    expect(body.streams.a).toMatchObject({ samples: 3, liveSeconds: 40, viewerMinutes: 116.667, average: 175 });
  });

  it('gives what the pure definition gives on random curves, cut anywhere, stored or not', async () => {
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const start = Date.parse('2024-06-01T07:40:00Z');
    await seedEvent(inst.db, 'rnd', [{ id: 'r1' }, { id: 'r2' }]);
    const steps = [
      { since: start + 30 * 60_000, seconds: 15 },
      { since: start + 100 * 60_000, seconds: 5 },
    ];
    await recordIntervals(
      inst.db,
      steps.map((s) => ({ since: new Date(s.since), seconds: s.seconds })),
    );
    const rows: PolledRow[] = [];
    for (let ts = start; ts < start + 200 * 60_000; ts += 1000 * (5 + Math.floor(random() * 60))) {
      for (const id of ['r1', 'r2']) {
        const r = random();
        if (r < 0.1) continue; // no answer for this stream this tick
        rows.push({
          streamId: id,
          ts: new Date(ts).toISOString(),
          viewers: r < 0.25 ? null : Math.floor(random() * 5000),
        });
      }
    }
    await seedPolled(inst.db, 'rnd', rows);
    const series = (id: string): SamplePoint[] =>
      rows.filter((r) => r.streamId === id).map((r) => ({ ts: Date.parse(r.ts), v: r.viewers }));
    const byTick = new Map<number, (number | null)[]>();
    for (const r of rows) byTick.set(Date.parse(r.ts), [...(byTick.get(Date.parse(r.ts)) ?? []), r.viewers]);
    const total: SamplePoint[] = [...byTick].map(([ts, vs]) => ({
      ts,
      v: vs.some((v) => v !== null) ? vs.reduce<number>((s, v) => s + (v ?? 0), 0) : null,
    }));
    // poll_intervals is the instance's, not the event's: before these steps, 20 s (from 'ev') is in force.
    const fallback = inst.config.POLL_INTERVAL_SECONDS;
    const inForce = [{ since: Date.parse(at('10:00:00')), seconds: 20 }, ...steps];
    for (const [from, to] of [
      [start, start + 200 * 60_000],
      [start + 7 * 60_000 + 3500, start + 151 * 60_000 + 20_000],
      [Date.parse('2024-06-01T08:00:00Z'), Date.parse('2024-06-01T10:00:00Z')],
    ]) {
      const ctx = { steps: inForce, fallback, from, to, now: Date.now() };
      const query = `from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}`;
      for (let round = 0; round < 2; round++) {
        const body = await stats('rnd', query);
        expect(body.total, `${query} total, round ${round}`).toEqual(statsOfPoints(total, ctx));
        expect(body.streams.r1, `${query} r1`).toMatchObject(statsOfPoints(series('r1'), ctx));
        expect(body.streams.r2, `${query} r2`).toMatchObject(statsOfPoints(series('r2'), ctx));
      }
    }
  });

  it('writes stats.csv: a row per stream and one for the total, labels defused, French-style on request', async () => {
    const res = await get(`/api/events/ev/stats.csv?from=${at('10:00:00')}&to=${at('11:00:00')}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="livepulse-ev-stats-20240501T100000Z-20240501T110000Z.csv"',
    );
    // 10:00–11:00: a 10:00:00 200 (20 s), 10:00:20 200 (50 s), 10:01:20 300 (20 s), 10:01:40 300 (20 s):
    // 110 s, 4,000 + 10,000 + 6,000 + 6,000 = 26,000 viewer-s; b 10:00:00 20 (20 s): 400; total as a but
    // 10:00:00 220: 26,400.
    expect(await res.text()).toBe(
      [
        'series,stream_id,video_id,label,samples,live_seconds,average,peak_viewers,peak_ts,viewer_minutes,share,current',
        'stream,a,vid00000000,Main hall,4,110,236.364,300,2024-05-01T10:01:20.000Z,433.333,0.985,',
        `stream,b,vid00000001,"'=HYPERLINK(""x"")",1,20,20,20,2024-05-01T10:00:00.000Z,6.667,0.015,`,
        'total,,,,4,110,240,300,2024-05-01T10:01:20.000Z,440,1,',
        '',
      ].join('\n'),
    );
    const fr = await get(
      `/api/events/ev/stats.csv?from=${at('10:00:00')}&to=${at('11:00:00')}&delimiter=semicolon&bom=1`,
    );
    const bytes = Buffer.from(await fr.arrayBuffer());
    const text = bytes.toString('utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // Response.text() would strip it
    expect(text.slice(1).startsWith('series;stream_id;')).toBe(true);
    expect(text).toContain('stream;a;vid00000000;Main hall;4;110;236,364;300;');
  });

  it('follows the access rules of history: private needs the admin or an embed token; 404, 400', async () => {
    expect((await get('/api/events/private/stats')).status).toBe(401);
    expect((await get('/api/events/private/stats.csv')).status).toBe(401);
    expect((await get('/api/events/private/stats', await adminHeaders(inst.config))).status).toBe(200);
    const token = (
      await signToken(tokenKey(TEST_AUTH_SECRET, 'embed', 'key-private'), 'embed', {
        subject: 'private',
        ttlSeconds: 60,
      })
    ).token;
    const byToken = await get(`/api/events/private/stats?token=${token}`);
    expect(byToken.status).toBe(200);
    expect(((await byToken.json()) as StatsResponse).streams.p1).toMatchObject({ samples: 0, share: null });
    expect((await get(`/api/events/ev/stats?token=${token}`)).status).toBe(200); // public anyway
    expect((await get('/api/events/nope/stats')).status).toBe(404);
    expect((await get("/api/events/' OR 1=1--/stats")).status).toBe(404);
    for (const [query, field] of [
      ['minutes=5&minutes=6', 'minutes'],
      ['minutes=0', 'minutes'],
      [`from=${at('10:00:00')}`, 'to'],
      [`from=${at('11:00:00')}&to=${at('10:00:00')}`, 'from'],
      ['from=2024-05-01T10:00:00&to=2024-05-01T11:00:00Z', 'from'],
    ]) {
      const res = await get(`/api/events/ev/stats?${query}`);
      expect(res.status, query).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'validation_error', field } });
    }
  });
});
