// /api/health on PostgreSQL says whether anyone polls: a standby is fine while another instance holds the
// poller lock, and degraded while none does, such as a lone instance whose connections were just cut
// (it stands by until its next try for the lock). The stranger saw "ok" with "poller":"standby" then.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from './db/postgres.ts';
import { LEADER_LOCK } from './poller/poller.ts';
import { startSimulator, type Simulator } from './simulator/simulator.ts';
import { terminateSessionsOf, tryAdvisoryLock } from './testing/queries.ts';
import { testInstance } from './testing/test-instance.ts';
import type { Health } from './wire.ts';

const WAIT = { timeout: 10_000, interval: 50 };

describe.runIf(process.env.TEST_DATABASE_URL)('health and the poller lock on PostgreSQL', () => {
  let sim: Simulator;
  let inst: Awaited<ReturnType<typeof testInstance>>;
  beforeAll(async () => {
    sim = await startSimulator();
    // A long interval: the standby's next try for the lock is far away unless the test wakes it.
    inst = await testInstance('postgres', {
      youtube: { baseUrl: sim.baseUrl, apiKey: 'test-key-for-the-simulator' },
      env: { POLL_INTERVAL_SECONDS: '60' },
    });
  });
  afterAll(async () => {
    await inst?.close();
    await sim?.close();
  });

  const health = async () => (await (await inst.app.request('http://localhost/api/health')).json()) as Health;
  const view = async () => {
    const h = await health();
    return `${h.dbState} ${h.poller} ${h.status}`;
  };

  it('is degraded while nobody holds the poller lock (connections cut, until the next try), ok while anyone does', async () => {
    inst.poller.start();
    await expect.poll(view, WAIT).toBe('up leader ok');

    // The stranger's case: every connection of the lone instance cut, its lock with them. The database
    // answers again at once, but nobody polls until this instance's next try (60 s away here).
    const admin = openPostgres(process.env.TEST_DATABASE_URL!, { max: 1 });
    try {
      expect(await terminateSessionsOf(admin, new URL(inst.dbUrl!).pathname.slice(1))).toBeGreaterThan(0);
    } finally {
      await admin.close();
    }
    await expect.poll(view, WAIT).toBe('up standby degraded');

    // Another instance takes the lock meanwhile: this one standing by is fine, polling goes on.
    const other = openPostgres(inst.dbUrl!, { max: 1 });
    expect(await tryAdvisoryLock(other, LEADER_LOCK)).toBe(true);
    await expect.poll(view, WAIT).toBe('up standby ok');
    // That instance goes away: nobody again, until this one tries (woken here rather than waited for).
    await other.close();
    await expect.poll(view, WAIT).toBe('up standby degraded');
    inst.poller.wake();
    await expect.poll(view, WAIT).toBe('up leader ok');
  });
});
