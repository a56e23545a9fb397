// Three server processes on one PostgreSQL database, polling one simulator every 2 s: one poller at a
// time, takeover after SIGKILL within two intervals, the same samples on every instance's clients,
// resume on another instance without a gap, and one login brake for all.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLUSTER_EVENT_ID, startCluster, type Cluster, type PollerRole } from './testing/cluster.ts';
import type { ServerProcess } from './testing/server-process.ts';
import { watchSamples, type SseWatch } from './testing/sse-watch.ts';
import { quotaUnitsSpent, sampleMsAfter, totalAt } from './testing/queries.ts';

const INTERVAL_MS = 2000;

const streamUrl = (s: ServerProcess) => `${s.url}/api/events/${CLUSTER_EVENT_ID}/stream`;
const alive = (s: ServerProcess) => s.child.exitCode === null && s.child.signalCode === null;

async function until<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined> | T | undefined,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

describe.runIf(process.env.TEST_DATABASE_URL)('three instances on one PostgreSQL database', () => {
  let cluster: Cluster;
  let watches: SseWatch[] = [];
  /** What every living instance said about its role, four times a second for the whole run. */
  const rounds: { at: number; roles: (PollerRole | null)[] }[] = [];
  let sampling = true;
  let sampler: Promise<void> = Promise.resolve();

  const storedSampleIds = async (after = 0) => sampleMsAfter(cluster.testDb.db, CLUSTER_EVENT_ID, new Date(after));
  const callTimes = () =>
    cluster.sim
      .calls()
      .map((c) => Date.parse(c.at))
      .sort((a, b) => a - b);

  beforeAll(async () => {
    cluster = await startCluster({ instances: 3, intervalSeconds: INTERVAL_MS / 1000 });
    sampler = (async () => {
      while (sampling) {
        const roles = await Promise.all(cluster.servers.filter(alive).map((s) => cluster.role(s)));
        rounds.push({ at: Date.now(), roles });
        await sleep(250);
      }
    })();
  }, 90_000);

  afterAll(async () => {
    sampling = false;
    await sampler;
    watches.forEach((w) => w.close());
    await cluster?.close();
  });

  it('elects exactly one poller and says which in /api/health', async () => {
    const roles = await until('a poller', 2 * INTERVAL_MS, async () => {
      const r = await Promise.all(cluster.servers.map((s) => cluster.role(s)));
      return r.includes('leader') ? r : undefined;
    });
    expect([...roles].sort()).toEqual(['leader', 'standby', 'standby']);
  });

  it('feeds the clients of every instance the same samples, as stored', async () => {
    watches = cluster.servers.map((s) => watchSamples(streamUrl(s)));
    await Promise.all(watches.map((w) => w.waitFor(4, 6 * INTERVAL_MS)));

    // Clients connected at slightly different moments: compare the ticks all of them were live for.
    const from = Math.max(...watches.map((w) => w.samples[0].id));
    const to = Math.min(...watches.map((w) => w.lastId()!));
    const seen = watches.map((w) =>
      w.samples.filter((s) => s.id >= from && s.id <= to).map(({ id, data }) => ({ id, data })),
    );
    expect(seen[0].length).toBeGreaterThanOrEqual(3);
    expect(seen[1]).toEqual(seen[0]);
    expect(seen[2]).toEqual(seen[0]);
    expect(seen[0].map((s) => s.id)).toEqual((await storedSampleIds(from - 1)).filter((ms) => ms <= to));
    const [first] = seen[0];
    expect(JSON.parse(first.data).total).toBe(await totalAt(cluster.testDb.db, CLUSTER_EVENT_ID, new Date(first.id)));
  });

  it('counts failed logins from one address across instances', async () => {
    const login = (s: ServerProcess, password: string) =>
      fetch(`${s.url}/api/auth/login`, {
        method: 'POST',
        headers: { origin: s.url, 'content-type': 'application/json' },
        body: JSON.stringify({ password }),
      });
    // Five failures spread over the three processes; each process alone has seen at most two.
    for (let i = 0; i < 5; i++) expect((await login(cluster.servers[i % 3], 'wrong-password')).status).toBe(401);
    const blocked = await login(cluster.servers[2], 'wrong-password');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('hands polling to another instance within two intervals of a SIGKILL; its clients resume elsewhere without a gap', async () => {
    /** Kills the polling instance; resolves once a survivor says it polls and has called videos.list. */
    const killPoller = async () => {
      const living = cluster.servers.filter(alive);
      const roles = await Promise.all(living.map((s) => cluster.role(s)));
      const leader = living[roles.indexOf('leader')];
      const survivors = living.filter((s) => s !== leader);
      // At a random moment of the beat: standbys retry on the same period as the ticks, so a kill
      // timed by the test's own waiting (just after a sample) would always meet them at one phase.
      await sleep(Math.random() * INTERVAL_MS);
      const killedAt = Date.now();
      leader.child.kill('SIGKILL');
      await leader.exited;
      // The survivors' own word: one of them polls now…
      const newLeader = await until('a new poller', 2 * INTERVAL_MS + 500, async () => {
        const r = await Promise.all(survivors.map((s) => cluster.role(s)));
        return r.includes('leader') ? survivors[r.indexOf('leader')] : undefined;
      });
      // …and the simulator's: the first call after the kill comes within two intervals.
      const firstCallAfter = await until('a videos.list call after the kill', 2 * INTERVAL_MS + 500, () =>
        callTimes().find((at) => at > killedAt),
      );
      expect(firstCallAfter - killedAt).toBeLessThanOrEqual(2 * INTERVAL_MS);
      return { leader, newLeader, survivors, killedAt, firstCallAfter };
    };

    const first = await killPoller();
    const orphan = watches[cluster.servers.indexOf(first.leader)];

    // The orphaned client lost its connection; it reconnects to the standby instance (so the samples
    // reach it through NOTIFY and the database) with the id of the last sample it had.
    await until('the orphaned client to notice', 5000, () => (orphan.failed ? true : undefined));
    const resumeFrom = orphan.lastId()!;
    const standby = first.survivors.find((s) => s !== first.newLeader)!;
    await sleep(2 * INTERVAL_MS); // let ticks pass while the client is away
    const resumed = watchSamples(streamUrl(standby), { lastEventId: resumeFrom });
    watches.push(resumed);
    const missedMeanwhile = (await storedSampleIds(resumeFrom)).length;
    expect(missedMeanwhile).toBeGreaterThanOrEqual(2);
    await resumed.waitFor(missedMeanwhile + 2, 5 * INTERVAL_MS);
    const resumedIds = resumed.samples.map((s) => s.id);
    expect(resumedIds).toEqual((await storedSampleIds(resumeFrom)).filter((ms) => ms <= resumed.lastId()!));
    // And the clients that stayed on a surviving instance kept receiving across the takeover.
    for (const w of watches.filter((w) => w !== orphan && w !== resumed)) {
      expect(w.samples.map((s) => s.id).filter((id) => id > resumeFrom && id <= resumed.lastId()!)).toEqual(resumedIds);
    }

    // Once more with a single standby left, whose retry phase alone decides the takeover time.
    const second = await killPoller();
    expect(second.newLeader).toBe(standby);
    await resumed.waitFor(resumed.samples.length + 2, 3 * INTERVAL_MS);

    sampling = false;
    await sampler;
    const kills = [first, second];
    const straddles = (g: { before: number; after: number }) =>
      kills.find((k) => g.before <= k.killedAt && g.after > k.killedAt);

    // Stored samples: one per tick, the only longer gaps being the takeovers. Tick ids are the tick's
    // start floored to the second, so a steady beat shows gaps of one interval or a second more, and a
    // missing tick a gap of at least two intervals.
    const stored = await storedSampleIds();
    const gaps = stored.slice(1).map((ms, i) => ({ before: stored[i], after: ms }));
    for (const k of kills) {
      const takeover = gaps.find((g) => straddles(g) === k);
      expect(takeover).toBeDefined();
      // The new poller's first tick is stored: the gap ends at its first call.
      expect(k.firstCallAfter - takeover!.after).toBeLessThan(1500);
    }
    for (const g of gaps.filter((g) => !straddles(g))) expect(g.after - g.before).toBeLessThan(2 * INTERVAL_MS);
    expect(stored.length).toBeLessThanOrEqual((stored.at(-1)! - stored[0]) / INTERVAL_MS + 3);

    // The simulator never sees two pollers: a single poller starts a tick every interval, so two calls
    // less than half an interval apart would mean two loops at once. The exceptions are the pairs
    // around a kill: the dead poller's last call may come just before the kill and the new poller
    // calls as soon as it holds the lock, which proves nothing about overlap (the first is dead by then).
    // The count bound catches two pollers whose phases happen to sit half an interval apart.
    const calls = callTimes();
    const callGaps = calls.slice(1).map((at, i) => ({ before: calls[i], after: at }));
    for (const g of callGaps.filter((g) => !straddles(g)))
      expect(g.after - g.before).toBeGreaterThanOrEqual(INTERVAL_MS / 2);
    expect(calls.length).toBeLessThanOrEqual((calls.at(-1)! - calls[0]) / INTERVAL_MS + 3);
    // …and no instance ever said it was the poller while another one did.
    expect(rounds.filter((r) => r.roles.filter((role) => role === 'leader').length > 1)).toEqual([]);

    // The same quota accounting continues: every call of any poller is counted once, in one place
    // (units are written with the tick's samples, so a call whose tick died with its process is not).
    const diedMidTick = kills.filter((k) => {
      const lastCallBefore = calls.filter((at) => at <= k.killedAt).at(-1)!;
      return !stored.some((ms) => ms <= lastCallBefore && ms > lastCallBefore - 1500);
    }).length;
    expect(await quotaUnitsSpent(cluster.testDb.db)).toBe(calls.length - diedMidTick);
  }, 90_000);
});
