// For tests and the cluster benchmark only: several real server processes on one PostgreSQL database,
// all pointed at one simulator, with a public event of two moving live streams to poll.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { insertEvent, insertStream } from '../events/queries.ts';
import { startSimulator, type Simulator } from '../simulator/simulator.ts';
import { runServer, type ServerProcess } from './server-process.ts';
import { openTestDb, type TestDb } from './test-db.ts';

export const CLUSTER_EVENT_ID = 'cluster-event';
export const CLUSTER_ADMIN_PASSWORD = 'cluster-admin-password';
const VIDEO_IDS = ['clusterVid1', 'clusterVid2'];

export type PollerRole = 'leader' | 'standby' | 'off';

export interface Cluster {
  testDb: TestDb;
  sim: Simulator;
  servers: ServerProcess[];
  /** Starts one more instance on the same database (e.g. after a kill). */
  addServer(): Promise<ServerProcess>;
  /** The instance's own word on whether it polls; null when it does not answer. */
  role(server: ServerProcess): Promise<PollerRole | null>;
  close(): Promise<void>;
}

export async function startCluster(o: {
  instances: number;
  intervalSeconds: number;
  env?: Record<string, string>;
}): Promise<Cluster> {
  const testDb = await openTestDb('postgres');
  const sim = await startSimulator();
  for (const id of VIDEO_IDS) sim.setVideo(id, { state: 'live', curve: { kind: 'moving', base: 5000 } });
  await insertEvent(testDb.db, {
    id: CLUSTER_EVENT_ID,
    name: 'Cluster test',
    public: true,
    startsAt: null,
    endsAt: null,
    embedKey: 'cluster-embed-key',
  });
  for (const [i, videoId] of VIDEO_IDS.entries()) {
    await insertStream(testDb.db, {
      id: `stream${i}`,
      eventId: CLUSTER_EVENT_ID,
      videoId,
      label: videoId,
      status: 'pending',
      statusReason: null,
      scheduledStart: null,
      title: null,
      channelTitle: null,
    });
  }

  const dirs: string[] = [];
  const servers: ServerProcess[] = [];
  const addServer = async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lp-cluster-'));
    dirs.push(dir);
    const server = await runServer({
      DATABASE_URL: testDb.url!,
      DATA_DIR: dir,
      YT_API_KEY: 'cluster-test-key-for-the-simulator',
      YT_API_BASE_URL: sim.baseUrl,
      POLL_INTERVAL_SECONDS: String(o.intervalSeconds),
      // Enough that the quota never stretches the interval under test.
      YT_DAILY_QUOTA: '100000000',
      ADMIN_PASSWORD: CLUSTER_ADMIN_PASSWORD,
      AUTH_SECRET: 'cluster-auth-secret-0123456789abcdefghijkl',
      ...o.env,
    });
    servers.push(server);
    return server;
  };
  try {
    for (let i = 0; i < o.instances; i++) await addServer();
  } catch (error) {
    await Promise.all(servers.map((s) => s.stop('SIGKILL')));
    await sim.close();
    await testDb.close();
    throw error;
  }

  return {
    testDb,
    sim,
    servers,
    addServer,
    async role(server) {
      try {
        const res = await fetch(`${server.url}/api/health`, { signal: AbortSignal.timeout(2000) });
        return ((await res.json()) as { poller: PollerRole }).poller;
      } catch {
        return null;
      }
    },
    async close() {
      await Promise.all(servers.map((s) => s.stop('SIGTERM')));
      await sim.close();
      await testDb.close();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}

/** Tick time (ms) of the videos.list call that produced the sample with this id: the first call at or after it. */
export function callTimeOf(sim: Simulator, sampleId: number): number | undefined {
  return sim
    .calls()
    .map((c) => Date.parse(c.at))
    .find((at) => at >= sampleId);
}
