// `npm run bench:cluster [-- 3000] [--ticks 5] [--instances 3]`: N SSE clients held by several real server
// processes on one PostgreSQL database (one polls the simulator, the others get each tick through NOTIFY
// and read it back), next to one server process holding the same N. Clients are raw sockets in separate
// processes (bench/sse-clients.ts), one per instance, spread evenly; the single-instance run uses as many
// client processes, so only the server side differs. Latency: client receipt minus the moment the
// poller called videos.list for that tick (the tick's real start; sample ids are floored to the second).
// PostgreSQL from TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test.
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { CLUSTER_EVENT_ID, callTimeOf, startCluster } from '../server/testing/cluster.ts';
import { percentile, split, startClients, table } from './support.ts';
import { sampleMsAfter } from '../server/testing/queries.ts';

process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    ticks: { type: 'string', default: '5' },
    instances: { type: 'string', default: '3' },
    interval: { type: 'string', default: '2' },
  },
});
const CLIENTS = Number(positionals[0] ?? 3000);
const TICKS = Number(values.ticks);
const INSTANCES = Number(values.instances);
const INTERVAL_S = Number(values.interval);
if (!(CLIENTS > 0 && TICKS > 0 && INSTANCES > 1 && INTERVAL_S >= 2)) {
  console.error(
    'Usage: npm run bench:cluster -- [clients, default 3000] [--ticks 5] [--instances 3 (2 or more)] [--interval 2 (seconds, 2 or more)]',
  );
  process.exit(2);
}

interface Result {
  instances: number;
  clients: number;
  live: number;
  connectSeconds: number;
  held: number;
  delivered: number;
  expected: number;
  p50: number;
  p99: number;
  max: number;
}

async function run(instances: number): Promise<Result> {
  const cluster = await startCluster({
    instances,
    intervalSeconds: INTERVAL_S,
    env: { LOG_FORMAT: 'json', SSE_MAX_CLIENTS: String(CLIENTS + 100) },
  });
  try {
    const urls = cluster.servers.map((s) => `${s.url}/api/events/${CLUSTER_EVENT_ID}/stream`);
    const procs = split(CLIENTS, INSTANCES).map((n, i) => startClients(urls[i % urls.length], n));
    const opened = await Promise.all(
      procs.map((p) => p.next<{ live: number; failed: number; seconds: number }>('live')),
    );
    const live = opened.reduce((n, o) => n + o.live, 0);

    // Measure the ticks that start after every client is live.
    const from = Date.now();
    const ticks = () =>
      cluster.sim
        .calls()
        .map((c) => Date.parse(c.at))
        .filter((at) => at > from);
    while (ticks().length < TICKS) await sleep(100);
    await sleep(1000); // the last tick's frames reach everyone
    // Sample id (tick start floored to the second) -> the moment that tick called videos.list.
    const stored = await sampleMsAfter(cluster.testDb.db, CLUSTER_EVENT_ID, new Date(from - 1000));
    const published = Object.fromEntries(
      stored
        .map((ms) => [String(ms), callTimeOf(cluster.sim, ms)] as const)
        .filter(([, at]) => at !== undefined && at > from)
        .slice(0, TICKS),
    );
    const reports = await Promise.all(
      procs.map((p) =>
        p.ask<{ fromPublish: number[]; live: number; closedAfterLive: number }>(
          { type: 'report', published },
          'report',
        ),
      ),
    );
    await Promise.all(procs.map((p) => p.exit()));
    const latencies = reports.flatMap((r) => r.fromPublish);
    return {
      instances,
      clients: CLIENTS,
      live,
      connectSeconds: Math.max(...opened.map((o) => o.seconds)),
      held: live - reports.reduce((n, r) => n + r.closedAfterLive, 0),
      delivered: latencies.length,
      expected: live * Object.keys(published).length,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      max: percentile(latencies, 100),
    };
  } finally {
    await cluster.close();
  }
}

async function main() {
  console.log(
    `bench:cluster — ${CLIENTS} SSE clients, ${TICKS} ticks every ${INTERVAL_S} s, ${INSTANCES} client processes, node ${process.version}, ` +
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  const results = [await run(INSTANCES), await run(1)];
  const f1 = (n: number) => n.toFixed(1);
  console.log(
    table(
      ['instances', 'clients held', 'connect s', 'delivered', 'p50 ms', 'p99 ms', 'max ms'],
      results.map((r) => [
        String(r.instances),
        `${r.held}/${r.clients}`,
        f1(r.connectSeconds),
        `${r.delivered}/${r.expected}`,
        f1(r.p50),
        f1(r.p99),
        f1(r.max),
      ]),
      'right',
    ),
  );
  console.log(
    'Latency: client receipt minus the videos.list call of that tick (poll, write, publish; on the other instances also NOTIFY and a read).\n' +
      'Held: clients live when measuring began that were still connected at the end. All processes share this machine.',
  );
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
