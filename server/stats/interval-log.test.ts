// The poll interval in force is recorded once per change, survives a restart without a duplicate row,
// and waits in order while the database is down.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Queryable } from '../db/db.ts';
import { engines, openTestDb, type TestDb } from '../testing/test-db.ts';
import { createIntervalLog } from './interval-log.ts';
import { intervalSteps } from './queries.ts';

const at = (hms: string) => new Date(`2024-05-01T${hms}Z`);
const ALL = [at('00:00:00'), at('23:59:59')] as const;

describe.each(engines)('interval log on %s', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(engine);
  });
  afterAll(() => t?.close());

  it('writes a row per change only, and a restarted instance repeats none', async () => {
    const log = createIntervalLog(t.db);
    await log.tick(at('10:00:00'), 10);
    await log.tick(at('10:00:10'), 10);
    await log.tick(at('10:00:20'), 30);
    await log.tick(at('10:00:50'), 30);
    // A new process (or the instance that takes over polling) starts with no memory of the last row.
    const again = createIntervalLog(t.db);
    await again.tick(at('10:01:20'), 30);
    await again.tick(at('10:01:50'), 10);
    expect(await intervalSteps(t.db, ...ALL)).toEqual([
      { since: at('10:00:00').getTime(), seconds: 10 },
      { since: at('10:00:20').getTime(), seconds: 30 },
      { since: at('10:01:50').getTime(), seconds: 10 },
    ]);
  });

  it('keeps the changes made while the database is down and writes them, in order, once it is back', async () => {
    let down = true;
    const flaky: Queryable = {
      query: (q) => (down ? Promise.reject(new Error('connection refused')) : t.db.query(q)),
      exec: (s) => t.db.exec(s),
    };
    const log = createIntervalLog(flaky);
    await log.tick(at('11:00:00'), 20);
    await log.tick(at('11:00:20'), 40);
    // Only the step already in force (from the test above) is there.
    const before = { since: at('10:01:50').getTime(), seconds: 10 };
    expect(await intervalSteps(t.db, at('11:00:00'), ALL[1])).toEqual([before]);
    down = false;
    await log.tick(at('11:01:00'), 40);
    expect(await intervalSteps(t.db, at('11:00:00'), ALL[1])).toEqual([
      { since: at('11:00:00').getTime(), seconds: 20 },
      { since: at('11:00:20').getTime(), seconds: 40 },
    ]);
  });
});
