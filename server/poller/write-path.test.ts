// The write path cannot be poisoned (issue 13, defect 1): an odd upstream value or a tick the database
// refuses for its data is stored or set aside, and never stops the ticks of any event behind it.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../db/db.ts';
import { sql } from '../db/sql.ts';
import { insertEvent, insertStream } from '../events/queries.ts';
import { startSimulator, type Simulator } from '../simulator/simulator.ts';
import { engines, openTestDb, type TestDb } from '../testing/test-db.ts';
import { fetchVideos } from '../youtube/videos-list.ts';
import { createPoller } from './poller.ts';

const KEY = 'test-key-for-the-simulator';
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

describe.each(engines)('write path on %s', (engine) => {
  let t: TestDb;
  let clock: Date;
  const make = (db: Db = t.db) =>
    createPoller({
      config: { POLL_INTERVAL_SECONDS: 10, YT_DAILY_QUOTA: 10_000 },
      db,
      fetchVideos: (ids) => fetchVideos(ids, { baseUrl: sim.baseUrl, apiKey: KEY, timeoutMs: 5000 }),
      publish: () => {},
      now: () => clock,
      random: () => 0.5,
    });
  const addEvent = async (id: string, videoId: string) => {
    await insertEvent(t.db, { id, name: id, public: true, startsAt: null, endsAt: null, embedKey: 'k' });
    await insertStream(t.db, {
      id: `${id}-s`,
      eventId: id,
      videoId,
      label: videoId,
      status: 'pending',
      statusReason: null,
      scheduledStart: null,
      title: null,
      channelTitle: null,
    });
  };
  const live = (videoId: string, value: number | string) =>
    sim.setVideo(
      videoId,
      typeof value === 'number'
        ? { state: 'live', curve: { kind: 'constant', value } }
        : { state: 'live', raw: { liveStreamingDetails: { concurrentViewers: value } } },
    );
  const stored = async () =>
    (
      await t.db.query(
        sql<{
          event_id: string;
          ts: Date;
          total: number;
        }>`select event_id, ts, total from samples order by ts, event_id`,
      )
    ).map((r) => `${r.event_id}@${(r.ts.getTime() - Date.parse('2026-05-01T17:00:00Z')) / 1000}=${r.total}`);
  const streamRows = async () =>
    (
      await t.db.query(
        sql<{
          stream_id: string;
          viewers: number | null;
        }>`select stream_id, viewers from stream_samples order by ts, stream_id`,
      )
    ).map((r) => `${r.stream_id}=${r.viewers}`);
  let errors: string[];

  beforeEach(async () => {
    t = await openTestDb(engine);
    sim.reset();
    clock = new Date('2026-05-01T17:00:00Z');
    errors = [];
    const write = process.stderr.write.bind(process.stderr);
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      errors.push(String(chunk));
      return (write as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
    });
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await t.close();
  });

  it('stores the "3000000000" tick from the simulator, and the next ticks of every event', async () => {
    live('bigVideo001', '3000000000');
    live('smallVideo1', 500);
    await addEvent('A', 'bigVideo001');
    await addEvent('B', 'smallVideo1');
    const poller = make();
    await poller.tickOnce();
    live('bigVideo001', 1200);
    clock = new Date(clock.getTime() + 10_000);
    await poller.tickOnce();
    expect(poller.queuedTicks()).toBe(0);
    expect(await stored()).toEqual(['A@0=3000000000', 'B@0=500', 'A@10=1200', 'B@10=500']);
    expect(await streamRows()).toEqual(['A-s=3000000000', 'B-s=500', 'A-s=1200', 'B-s=500']);
    // The rollups and the readers carry it as an exact JSON number.
    const [r] = await t.db.query(
      sql<{ max: number }>`select max from sample_rollups where event_id = 'A' and width = 60`,
    );
    expect(r.max).toBe(3_000_000_000);
    const [s] = await t.db.query(sql<{ viewers: number }>`select viewers from streams where id = 'A-s'`);
    expect(s.viewers).toBe(1200);
  });

  it.each([
    ['a check constraint (class 23)', `alter table samples add constraint poison check (total <> 4242)`, '23514'],
    [
      'a trigger raising class 22',
      `create function poison() returns trigger language plpgsql as $$ begin if new.viewers = 4242 then raise exception 'poisoned' using errcode = '22023'; end if; return new; end $$;
       create trigger poison before insert on stream_samples for each row execute function poison()`,
      '22023',
    ],
  ])(
    'sets aside the part of a tick refused by %s, logs what was in it, and stores everything else',
    async (_name, ddl, sqlstate) => {
      await t.db.exec(ddl);
      live('poisonVid01', 4242);
      live('healthyVid1', 500);
      await addEvent('A', 'poisonVid01');
      await addEvent('B', 'healthyVid1');
      const poller = make();
      await poller.tickOnce();
      expect(poller.queuedTicks()).toBe(0);
      live('poisonVid01', 100);
      clock = new Date(clock.getTime() + 10_000);
      await poller.tickOnce();
      expect(poller.queuedTicks()).toBe(0);
      expect(await stored()).toEqual(['B@0=500', 'A@10=100', 'B@10=500']);
      const line = errors.find((l) => l.includes('tick_set_aside'));
      expect(line).toBeDefined();
      expect(line).toContain(sqlstate);
      expect(line).toContain('"A"');
      expect(line).toContain('A-s');
      expect(line).toContain('4242');
      expect(line).not.toContain('test-key');
      // Quota units of the poisoned tick are still counted.
      const [q] = await t.db.query(sql<{ units: number }>`select units from quota_usage`);
      expect(q.units).toBe(2);
    },
  );

  it('stores the samples of a stream whose YouTube title holds a NUL (text PostgreSQL cannot store), without the NUL', async () => {
    sim.setVideo('nulTitle001', { state: 'live', title: 'Main\u0000Stage', curve: { kind: 'constant', value: 700 } });
    await addEvent('A', 'nulTitle001');
    const poller = make();
    await poller.tickOnce();
    clock = new Date(clock.getTime() + 10_000);
    await poller.tickOnce();
    expect(await stored()).toEqual(['A@0=700', 'A@10=700']);
    const [s] = await t.db.query(sql<{ title: string }>`select title from streams where id = 'A-s'`);
    expect(s.title).toBe('MainStage');
    expect(errors.some((l) => l.includes('tick_set_aside'))).toBe(false);
  });

  it('says at shutdown how many ticks it could not write', async () => {
    live('healthyVid1', 500);
    await addEvent('B', 'healthyVid1');
    const down = () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const poller = make({ ...t.db, transaction: down });
    await poller.tickOnce();
    clock = new Date(clock.getTime() + 10_000);
    await poller.tickOnce();
    expect(poller.writeBacklog()).toEqual({ depth: 2, oldestAgeSeconds: 10 });
    await poller.stop();
    const line = errors.find((l) => l.includes('ticks_unwritten'));
    expect(line).toContain('2 tick(s)');
    expect(line).toContain('2026-05-01T17:00:00.000Z');
  });
});
