// Rollups built once a minute (sql/006) never lose or double a sample: at every moment, whatever was
// rolled up, skipped by a crash, taken over by another instance or written late, the views readers use
// equal the rollups computed from the raw rows at every width.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/db.ts';
import { sql } from '../db/sql.ts';
import { insertEvent, insertStream } from '../events/queries.ts';
import { readHistory } from '../history/read-history.ts';
import { engines, openTestDb, type TestDb } from '../testing/test-db.ts';
import { rollUp, writeTick } from './queries.ts';
import { createRollups } from './rollups.ts';
import type { StreamUpdate } from './tick.ts';

const T0 = Date.parse('2026-05-01T16:57:00Z'); // the hour, 5- and 15-minute edges fall inside the run
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const STREAMS = [
  ['A', 'A-1'],
  ['A', 'A-2'],
  ['B', 'B-1'],
] as const;

/** Stream k at second s: hidden now and then (null), never the same value twice in a row. */
const viewers = (k: number, s: number) =>
  (s / 10 + k) % 7 === 3 && k !== 0 ? null : 1000 + ((s * 37 + k * 101) % 900);

function tick(s: number) {
  const updates: StreamUpdate[] = STREAMS.map(([eventId, id], k) => ({
    id,
    eventId,
    status: 'live',
    statusReason: null,
    viewers: viewers(k, s),
    scheduledStart: null,
    title: null,
    channelTitle: null,
    misses: 0,
    sampled: true,
  }));
  const totals = ['A', 'B'].map((eventId) => ({
    eventId,
    total: updates.filter((u) => u.eventId === eventId).reduce((sum, u) => sum + (u.viewers ?? 0), 0),
  }));
  return { ts: at(s), updates, totals, units: null };
}

const WIDTHS = sql`(values (60), (300), (900), (3600)) as w(width)`;
/** Dates as ISO text and numbers (numeric comes back as text from one engine) as text, to compare rows. */
const norm = (rows: Record<string, unknown>[]) =>
  rows.map((r) =>
    Object.values(r).map((v) =>
      v instanceof Date ? v.toISOString() : v === null ? null : String(v as string | number),
    ),
  );

async function expectRollupsMatchRaw(db: Db) {
  const fromRaw =
    await db.query(sql`select event_id, w.width, date_bin(w.width * interval '1 second', ts, timestamptz 'epoch') as bucket,
           count(total)::int as n, coalesce(sum(total), 0)::numeric as sum, max(total) as max
      from samples cross join ${WIDTHS} group by 1, 2, 3 order by 1, 2, 3`);
  const rolled = await db.query(
    sql`select event_id, width, bucket, n, sum::numeric, max from sample_rollups order by 1, 2, 3`,
  );
  expect(norm(rolled)).toEqual(norm(fromRaw));
  const streamsFromRaw = await db.query(sql`select event_id, stream_id, w.width,
           date_bin(w.width * interval '1 second', ts, timestamptz 'epoch') as bucket,
           count(viewers)::int as n, coalesce(sum(viewers), 0)::numeric as sum, max(viewers) as max
      from stream_samples cross join ${WIDTHS} group by 1, 2, 3, 4 order by 1, 2, 3, 4`);
  const streamsRolled = await db.query(
    sql`select event_id, stream_id, width, bucket, n, sum::numeric, max from stream_sample_rollups order by 1, 2, 3, 4`,
  );
  expect(norm(streamsRolled)).toEqual(norm(streamsFromRaw));
  return fromRaw.length;
}

const doneUntil = async (db: Db) =>
  (await db.query(sql<{ until: Date }>`select until from rollups_done`))[0].until.toISOString();
const storedRows = async (db: Db) =>
  (await db.query(sql<{ n: number }>`select count(*)::int as n from stream_sample_rollups_closed`))[0].n;

describe.each(engines)('rollups built once a minute on %s', { timeout: 120_000 }, (engine) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await openTestDb(engine);
    for (const id of ['A', 'B'])
      await insertEvent(t.db, { id, name: id, public: true, startsAt: null, endsAt: null, embedKey: 'k' });
    for (const [eventId, id] of STREAMS) {
      await insertStream(t.db, {
        id,
        eventId,
        videoId: `${id.replace('-', '')}xxxxxxxxxx`.slice(0, 11),
        label: id,
        status: 'live',
        statusReason: null,
        scheduledStart: null,
        title: null,
        channelTitle: null,
      });
    }
    // As if the database had been migrated just before the run.
    await t.db.query(sql`update rollups_done set until = ${at(0)}::timestamptz`);
  });
  afterEach(() => t.close());

  it('equal the raw rows after every tick, with roll-ups skipped by a crash and done by a new instance', async () => {
    let clock = at(0);
    let first = createRollups(t.db, () => clock);
    for (let s = 0; s <= 1500; s += 10) {
      clock = at(s);
      await writeTick(t.db, tick(s));
      // The first instance dies after 7 minutes (no roll-up for 4 minutes); another takes over.
      if (s < 420 || s >= 660) await first();
      if (s === 660) first = createRollups(t.db, () => clock);
      if (s % 60 === 0 || s === 650) await expectRollupsMatchRaw(t.db);
    }
    expect(await doneUntil(t.db)).toBe(at(1500).toISOString());
    // The stored part really is used: per stream 25 minute rows and the closed 5, 15 and 60-minute buckets.
    expect(await storedRows(t.db)).toBe(3 * (25 + 5 + 2 + 1));
    expect(await expectRollupsMatchRaw(t.db)).toBeGreaterThan(0);
  });

  it('roll up a tick written after its minute was rolled up (a queue flushed after an outage, a former leader)', async () => {
    for (let s = 0; s < 1200; s += 20) await writeTick(t.db, tick(s));
    await rollUp(t.db, at(1200));
    expect(await doneUntil(t.db)).toBe(at(1200).toISOString());
    // Ticks at odd seconds the database had not taken, now flushed: in closed minutes and closed 15-min buckets.
    for (const s of [125, 305, 905, 1195]) await writeTick(t.db, tick(s));
    await expectRollupsMatchRaw(t.db);
    // Writing the same ticks again (a retried flush) changes nothing.
    for (const s of [125, 305]) await writeTick(t.db, tick(s));
    await expectRollupsMatchRaw(t.db);
  });

  it('a roll-up that runs while a tick of the closing minute is being written waits for it (failover overlap)', async () => {
    for (let s = 0; s < 50; s += 10) await writeTick(t.db, tick(s));
    // A tick of the minute about to close, held open in its transaction (a slow or former leader)...
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const held = writeTick(
      {
        transaction: (fn) =>
          t.db.transaction(async (tx) => {
            const result = await fn(tx);
            await gate;
            return result;
          }),
      },
      tick(55),
    );
    await new Promise((r) => setTimeout(r, 100));
    // ...while the roll-up of that minute starts on another connection.
    const rolled = rollUp(t.db, at(65));
    await new Promise((r) => setTimeout(r, 300));
    release();
    await held;
    expect(await rolled).toEqual(at(60));
    await expectRollupsMatchRaw(t.db);
    const [minute] = await t.db.query(
      sql<{ n: number }>`select n from sample_rollups_closed where event_id = 'A' and width = 60 and bucket = ${at(0)}`,
    );
    expect(minute.n).toBe(6);
  });

  it('a rerun roll-up, or one for an earlier time, changes nothing', async () => {
    for (let s = 0; s < 400; s += 10) await writeTick(t.db, tick(s));
    expect(await rollUp(t.db, at(400))).toEqual(at(360));
    expect(await rollUp(t.db, at(400))).toBeNull();
    expect(await rollUp(t.db, at(100))).toBeNull();
    await expectRollupsMatchRaw(t.db);
  });

  it('history reads the same answers before and after the roll-up, at every rollup width', async () => {
    for (let s = 0; s < 4000; s += 10) await writeTick(t.db, tick(s));
    const window = { from: at(0), to: at(4000) };
    const read = () =>
      Promise.all(
        [70, 20, 6, 3].map((maxPoints) => readHistory(t.db, 'A', window, { maxPoints, streams: true, limit: 10_000 })),
      );
    const before = await read();
    await rollUp(t.db, at(4000));
    expect(await doneUntil(t.db)).toBe(at(3960).toISOString());
    expect(await read()).toEqual(before);
    expect(before.map((r) => r.bucketSeconds)).toEqual([60, 300, 900, 3600]);
  });
});
