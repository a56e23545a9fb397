// `npm run bench:sse [-- 1000,5000,10000] [--ticks 20] [--engine postgres|embedded] [--client-procs 2]
// [--cpu-profile FILE] [--heap-snapshot FILE]`: N SSE clients (raw sockets in separate processes,
// bench/sse-clients.ts) on ONE in-process instance (createServices on a real @hono/node-server listener);
// one tick a second is written with writeTick and published through bus.publishTick, the poller's path.
// Prints delivery latency p50/p99, server RSS per client and server CPU per delivered message; each N
// runs in a fresh server process so memory figures do not carry over.
import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { parseConfig } from '../server/config.ts';
import { insertEvent } from '../server/events/queries.ts';
import { writeTick } from '../server/poller/queries.ts';
import { createServices } from '../server/services.ts';
import type { SampleMessage } from '../server/wire.ts';
import { insertLiveStreams } from './queries.ts';
import { freshDb, percentile, split, startClients, table } from './support.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const EVENT = 'bench';
const STREAMS = 20;
const TARGET = { p99Ms: 250, bytesPerClient: 16 * 1024, cpuMicros: 30 };

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    ticks: { type: 'string', default: '20' },
    engine: { type: 'string', default: 'postgres' },
    /** Client processes sharing the N clients: one process reading 10,000 sockets adds its own queueing. */
    'client-procs': { type: 'string', default: '2' },
    /** With one N: write a CPU profile of the publishing phase / a heap snapshot with all clients connected. */
    'cpu-profile': { type: 'string' },
    'heap-snapshot': { type: 'string' },
    /** Internal: run one N in this process and print its result as JSON. */
    single: { type: 'boolean', default: false },
  },
});
const TICKS = Number(values.ticks);
const ENGINE = values.engine === 'embedded' ? 'embedded' : 'postgres';
const COUNTS = (positionals[0] ?? '1000,5000,10000').split(',').map(Number);
const CLIENT_PROCS = Math.max(1, Number(values['client-procs']));

interface Result {
  clients: number;
  live: number;
  connectSeconds: number;
  delivered: number;
  expected: number;
  publishP50: number;
  publishP99: number;
  publishMax: number;
  tickP50: number;
  tickP99: number;
  fanOutP50: number;
  fanOutMax: number;
  rssPerClient: number;
  heapPerClient: number;
  rssBeforeMb: number;
  rssAfterMb: number;
  cpuMicrosPerMessage: number;
  slowDisconnects: number;
  closedAfterLive: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const wallNow = () => performance.timeOrigin + performance.now();
const gc = () => (globalThis as { gc?: () => void }).gc?.();

/** --cpu-profile: the publishing phase only (the connection burst would swamp a whole-process profile). */
async function startProfiler() {
  const { Session } = await import('node:inspector/promises');
  const { writeFileSync } = await import('node:fs');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(file: string) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
      return file;
    },
  };
}
async function runOne(clients: number): Promise<Result> {
  const fresh = await freshDb(ENGINE, 'lp_bench_sse');
  const { db } = fresh;
  const streamIds = Array.from({ length: STREAMS }, (_, i) => `s${i}`);
  await insertEvent(db, { id: EVENT, name: 'Bench', public: true, startsAt: null, endsAt: null, embedKey: 'k' });
  await insertLiveStreams(db, EVENT, STREAMS);
  const config = parseConfig({
    NODE_ENV: 'test',
    ADMIN_PASSWORD: 'bench-admin-password',
    AUTH_SECRET: 'bench-auth-secret-0123456789abcdefghijklmnop',
    LOG_FORMAT: 'json',
    SSE_MAX_CLIENTS: String(clients + 100),
    // Every bench client comes from 127.0.0.1: the per-address limits would refuse all past 5,000.
    SSE_MAX_PER_ADDRESS: String(clients + 100),
    HISTORY_READS_PER_MINUTE: String(clients * 2),
  });
  const services = createServices({ config, db, version: 'bench', youtube: null });
  const server = serve({ fetch: services.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  await services.bus.start();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/events/${EVENT}/stream`;

  // The app logs each request; the bench measures the server, not the terminal.
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = () => true;
  try {
    let viewers = streamIds.map((_, i) => 1000 + i * 10);
    const tick = async () => {
      const ts = new Date();
      viewers = viewers.map((v) => v + Math.round(Math.random() * 20 - 10));
      const total = viewers.reduce((a, b) => a + b, 0);
      await writeTick(db, {
        ts,
        updates: streamIds.map((id, i) => ({
          id,
          eventId: EVENT,
          status: 'live',
          statusReason: null,
          viewers: viewers[i],
          scheduledStart: null,
          title: null,
          channelTitle: null,
          misses: 0,
          sampled: true,
        })),
        totals: [{ eventId: EVENT, total }],
        units: null,
      });
      const message: SampleMessage = {
        ts: ts.toISOString(),
        total,
        streams: Object.fromEntries(streamIds.map((id, i) => [id, viewers[i]])),
      };
      const publishedAt = wallNow();
      const started = performance.now();
      const done = services.bus.publishTick({ ts, samples: new Map([[EVENT, message]]), statusChanged: new Set() });
      const fanOutMs = performance.now() - started; // the hub writes to every socket before the first await
      await done;
      return { id: String(ts.getTime()), publishedAt, fanOutMs };
    };
    // A little history, so each client's first frame is a real one.
    for (let i = 0; i < 3; i++) await tick();

    gc();
    await sleep(200);
    const before = process.memoryUsage();
    const procs = split(clients, CLIENT_PROCS).map((n) => startClients(url, n));
    const opened = await Promise.all(
      procs.map((p) => p.next<{ live: number; failed: number; seconds: number }>('live')),
    );
    const live = opened.reduce((n, o) => n + o.live, 0);
    if (live < clients) write(`warning: ${clients - live} of ${clients} clients did not get live\n`);

    const published: Record<string, number> = {};
    const fanOut: number[] = [];
    const profiler = values['cpu-profile'] ? await startProfiler() : null;
    const cpu = process.cpuUsage();
    for (let i = 0; i < TICKS; i++) {
      const beat = performance.now();
      const t = await tick();
      published[t.id] = t.publishedAt;
      fanOut.push(t.fanOutMs);
      await sleep(Math.max(0, 1000 - (performance.now() - beat)));
    }
    // CPU counts until the last frames are in (or 5 s have passed).
    const ids = Object.keys(published);
    for (let waited = 0; waited < 5000; waited += 50) {
      const counts = await Promise.all(procs.map((p) => p.ask<{ delivered: number }>({ type: 'count', ids }, 'count')));
      if (counts.reduce((n, c) => n + c.delivered, 0) >= ids.length * live) break;
      await sleep(50);
    }
    const used = process.cpuUsage(cpu);
    if (profiler) console.error('cpu profile of the publishing phase:', await profiler.stop(values['cpu-profile']!));
    // V8 gives back the heap the connection burst grew only over several collections.
    for (let i = 0; i < 5; i++) {
      gc();
      await sleep(200);
    }
    const after = process.memoryUsage();
    if (values['heap-snapshot'])
      console.error('heap snapshot:', (await import('node:v8')).writeHeapSnapshot(values['heap-snapshot']));
    const reports = await Promise.all(
      procs.map((p) =>
        p.ask<{ fromPublish: number[]; fromTick: number[]; closedAfterLive: number }>(
          { type: 'report', published },
          'report',
        ),
      ),
    );
    const fromPublish = reports.flatMap((r) => r.fromPublish);
    const fromTick = reports.flatMap((r) => r.fromTick);
    const slowDisconnects = services.hub.slowDisconnects;
    await Promise.all(procs.map((p) => p.exit()));
    return {
      clients,
      live,
      connectSeconds: Math.max(...opened.map((o) => o.seconds)),
      delivered: fromPublish.length,
      expected: ids.length * live,
      publishP50: percentile(fromPublish, 50),
      publishP99: percentile(fromPublish, 99),
      publishMax: percentile(fromPublish, 100),
      tickP50: percentile(fromTick, 50),
      tickP99: percentile(fromTick, 99),
      fanOutP50: percentile(fanOut, 50),
      fanOutMax: percentile(fanOut, 100),
      rssPerClient: (after.rss - before.rss) / clients,
      heapPerClient: (after.heapUsed + after.external - before.heapUsed - before.external) / clients,
      rssBeforeMb: before.rss / 2 ** 20,
      rssAfterMb: after.rss / 2 ** 20,
      cpuMicrosPerMessage: (used.user + used.system) / Math.max(1, fromPublish.length),
      slowDisconnects,
      closedAfterLive: reports.reduce((n, r) => n + r.closedAfterLive, 0),
    };
  } finally {
    process.stdout.write = write;
    server.close();
    (server as import('node:http').Server).closeAllConnections();
    await services.stop();
    await fresh.drop();
  }
}

function print(results: Result[]) {
  const f1 = (n: number) => n.toFixed(1);
  const ok = (good: boolean) => (good ? 'ok' : 'MISSED');
  console.log(
    table(
      [
        'clients',
        'live',
        'connect s',
        'delivered',
        'p50 ms',
        'p99 ms',
        'max ms',
        'p99 from tick ts',
        'fan-out p50/max ms',
        'RSS/client KB',
        'heap+ext/client KB',
        'RSS MB before→after',
        'CPU µs/msg',
        'slow cut',
        `p99<=${TARGET.p99Ms}`,
        'mem<=16KB',
        `cpu<=${TARGET.cpuMicros}`,
      ],
      results.map((r) => [
        String(r.clients),
        String(r.live),
        f1(r.connectSeconds),
        `${r.delivered}/${r.expected}`,
        f1(r.publishP50),
        f1(r.publishP99),
        f1(r.publishMax),
        f1(r.tickP99),
        `${f1(r.fanOutP50)}/${f1(r.fanOutMax)}`,
        f1(r.rssPerClient / 1024),
        f1(r.heapPerClient / 1024),
        `${Math.round(r.rssBeforeMb)}→${Math.round(r.rssAfterMb)}`,
        f1(r.cpuMicrosPerMessage),
        String(r.slowDisconnects + r.closedAfterLive),
        ok(r.publishP99 <= TARGET.p99Ms),
        ok(r.rssPerClient <= TARGET.bytesPerClient),
        ok(r.cpuMicrosPerMessage <= TARGET.cpuMicros),
      ]),
      'right',
    ),
  );
  console.log(
    'Latency: client receipt minus the moment publishTick was called (p99 from tick ts adds the writeTick before it); ' +
      'fan-out: publishTick up to its first await (the hub writes every socket);\n' +
      'RSS/client: (RSS after the publishing phase and 5 GCs - RSS before the clients connected) / N; heap+ext: the same for live V8 heap + external; ' +
      'CPU: process.cpuUsage() over the publishing phase / sample frames delivered.',
  );
}

/** Sockets need descriptors: the soft limit is raised to the hard one by re-running under bash. */
function fdLimit(): number {
  return Number(spawnSync('bash', ['-c', 'ulimit -n'], { encoding: 'utf8' }).stdout.trim());
}

function orchestrate() {
  const hard = Number(spawnSync('bash', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).stdout.trim()) || Infinity;
  const biggest = Math.max(...COUNTS);
  console.log(
    `bench:sse — ${TICKS} ticks at 1/s to one event of ${STREAMS} streams, engine ${ENGINE}, ${CLIENT_PROCS} client processes, node ${process.version}, ` +
      `open files soft ${fdLimit()} / hard ${hard}, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  if (hard < biggest + 200)
    throw new Error(`${biggest} clients need about ${biggest + 200} open files; the hard limit is ${hard}`);
  const limit = Number.isFinite(hard) ? String(hard) : 'unlimited';
  const results: Result[] = [];
  for (const clients of COUNTS) {
    const extra = (['cpu-profile', 'heap-snapshot'] as const)
      .map((k) => (values[k] ? ` --${k} '${values[k]}.${clients}'` : ''))
      .join('');
    const command = `ulimit -n ${limit} && exec "${process.execPath}" --expose-gc --import tsx bench/sse.ts ${clients} --single --ticks ${TICKS} --engine ${ENGINE} --client-procs ${CLIENT_PROCS}${extra}`;
    const run = spawnSync('bash', ['-c', command], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 16 * 2 ** 20,
    });
    const line = run.stdout.trim().split('\n').at(-1) ?? '';
    if (run.status !== 0 || !line.startsWith('{'))
      throw new Error(`${clients} clients: exited with ${run.status}\n${run.stdout}`);
    results.push(JSON.parse(line) as Result);
  }
  print(results);
}

if (values.single) {
  runOne(COUNTS[0])
    .then((r) => {
      process.stdout.write(JSON.stringify(r) + '\n');
      process.exit(0);
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
} else {
  try {
    orchestrate();
  } catch (error) {
    console.error(error);
    process.exit(1);
  }
}
