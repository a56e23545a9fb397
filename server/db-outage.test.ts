// A real server process on PostgreSQL whose database connections are all cut mid-event (what a
// database restart does to them): the process stays up, live clients keep receiving, the poller keeps
// its role and the samples of the outage reach the database without a gap.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from './db/postgres.ts';
import { insertEvent, insertStream } from './events/queries.ts';
import { startSimulator, type Simulator } from './simulator/simulator.ts';
import { openTestDb, type TestDb } from './testing/test-db.ts';
import { runServer, type ServerProcess } from './testing/server-process.ts';
import { watchSamples } from './testing/sse-watch.ts';
import { storedSamples, terminateSessionsOf } from './testing/queries.ts';

const INTERVAL = 2;

describe.runIf(process.env.TEST_DATABASE_URL)('database connections cut mid-event', () => {
  let sim: Simulator;
  let t: TestDb;
  let server: ServerProcess;
  const dataDir = mkdtempSync(join(tmpdir(), 'lp-outage-'));

  beforeAll(async () => {
    sim = await startSimulator();
    sim.setVideo('outageVid01', { state: 'live', curve: { kind: 'constant', value: 321 } });
    t = await openTestDb('postgres');
    await insertEvent(t.db, { id: 'E', name: 'E', public: true, startsAt: null, endsAt: null, embedKey: 'k' });
    await insertStream(t.db, {
      id: 'S',
      eventId: 'E',
      videoId: 'outageVid01',
      label: 'S',
      status: 'pending',
      statusReason: null,
      scheduledStart: null,
      title: null,
      channelTitle: null,
    });
    server = await runServer({
      DATABASE_URL: t.url!,
      DATA_DIR: dataDir,
      YT_API_KEY: 'test-key-for-the-simulator',
      YT_API_BASE_URL: sim.baseUrl,
      POLL_INTERVAL_SECONDS: String(INTERVAL),
      ADMIN_PASSWORD: 'outage-test-password',
      AUTH_SECRET: 'outage-test-secret-0123456789abcdefghij',
    });
  });
  afterAll(async () => {
    await server?.stop();
    await t?.close();
    await sim?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps polling, streaming and storing through it', async () => {
    const client = watchSamples(`${server.url}/api/events/E/stream`);
    await client.waitFor(2, 20_000);

    const database = new URL(t.url!).pathname.slice(1);
    const admin = openPostgres(process.env.TEST_DATABASE_URL!, { max: 1 });
    const n = await terminateSessionsOf(admin, database);
    await admin.close();
    expect(n).toBeGreaterThan(0);
    const cutAt = Date.now();
    const before = client.samples.length;

    await client.waitFor(before + 4, 30_000);
    expect(client.failed).toBe(false); // the same live connection went on
    expect(server.child.exitCode).toBeNull();
    const health = await (await fetch(`${server.url}/api/health`)).json();
    expect(health).toMatchObject({ status: 'ok', dbState: 'up', poller: 'leader' });

    // Everything the client saw is stored, one tick apart, with no hole around the cut.
    const rows = await storedSamples(t.db, 'E');
    const stored = new Set(rows.map((r) => r.ts.getTime()));
    expect(client.samples.every((s) => stored.has(s.id))).toBe(true);
    const gaps = rows.slice(1).map((r, i) => (r.ts.getTime() - rows[i].ts.getTime()) / 1000);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2 * INTERVAL + 1);
    expect(rows.every((r) => r.total === 321)).toBe(true);
    expect(Date.now() - cutAt).toBeLessThan(30_000);
    client.close();
  }, 90_000);
});
