// `npm run bench:poller`: one poll tick of 1,000 streams over 20 events against the YouTube simulator
// (its own process, over HTTP), on a fresh database of each engine: calls per tick, and where a tick's
// time goes (HTTP round trips, parsing the answers, database reads, the write transaction, the rest).
// Then the same 1,000 streams half YouTube, half Twitch through the real tick with every source
// (bench/poller-mixed.ts), and the quota units a day the default settings spend for 1, 50, 500 and 1,000 streams.
// Run: npm run bench:poller [ticks]  (PostgreSQL from TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test)
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Db } from '../server/db/db.ts';
import { compile, type Sql } from '../server/db/sql.ts';
import { createPoller, type FetchVideos } from '../server/poller/poller.ts';
import { effectiveIntervalSeconds } from '../server/poller/quota.ts';
import { nextPacificMidnight } from '../server/youtube/quota-clock.ts';
import { fetchVideos, MAX_IDS_PER_CALL } from '../server/youtube/videos-list.ts';
import { analyzeTables, insertPendingStreams, storedCounts } from './queries.ts';
import { mixedTickRun } from './poller-mixed.ts';
import { mixedRun } from './sources-mixed.ts';
import { freshDb, insertBenchEvents, percentile, table } from './support.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const TICKS = Number(process.argv[2] ?? 50);
const WARM_UP_TICKS = 3;
const EVENTS = 20;
const STREAMS_PER_EVENT = 50;
const KEY = 'bench-key-for-the-simulator';
const P99_TARGET_MS = 100;
const P99_TARGET_EMBEDDED_MS = 150;
/** The mixed run's InnerTube phase takes 5 s a tick or more (500 paced lookups): fewer ticks. */
const MIXED_TICKS = Math.min(TICKS, Number(process.env.MIXED_TICKS ?? 5));

const vid = (n: number) => `bench${String(n).padStart(6, '0')}`;
/** n/a for a figure a short run has none of (`bench:poller -- 1` sees no minute change, so no roll-up). */
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');

async function startSimulatorProcess(): Promise<{ baseUrl: string; origin: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/simulator/cli.ts', '--port', '0', '--empty'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /YT_API_BASE_URL=(\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`simulator exited with ${code}: ${out}`)));
  });
  return { baseUrl, origin: new URL(baseUrl).origin, stop: () => child.kill('SIGTERM') };
}

async function control(origin: string, path: string, body?: unknown): Promise<unknown> {
  const init = body === undefined ? {} : { method: 'PUT', body: JSON.stringify(body) };
  // One retry: a kept-alive socket the simulator closes after 5 idle seconds can fail the next request.
  const res = await fetch(`${origin}/_control/${path}`, init).catch(() => fetch(`${origin}/_control/${path}`, init));
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

interface TickTimes {
  total: number;
  /** HTTP round trips to the simulator, body included. */
  http: number;
  /** The rest of fetchVideos: JSON parsing and reading the video states. */
  parse: number;
  /** Statements outside the write transaction: streams to poll, inactive events, quota used. */
  dbReads: number;
  /** writeTick: the one transaction that stores the tick. */
  write: number;
  /** Inside the write transaction, per statement (named by its first words); the rest is BEGIN/COMMIT. */
  statements: Record<string, number>;
  calls: number;
}

const statementName = (query: string | Sql<unknown>) =>
  (typeof query === 'string' ? query : compile(query).text).trim().split(/\s+/).slice(0, 3).join(' ');

/**
 * The sources a run polls through (issue 15 adds InnerTube and Twitch here for its mixed run). Each gets
 * the simulator and a fetch that times HTTP round trips.
 */
const SOURCES = {
  youtube_api: (sim: { baseUrl: string }, timedFetch: typeof fetch): FetchVideos => {
    return (ids) => fetchVideos(ids, { baseUrl: sim.baseUrl, apiKey: KEY, fetch: timedFetch });
  },
};
type SourceName = keyof typeof SOURCES;

async function benchEngine(
  engine: 'embedded' | 'postgres',
  sim: { baseUrl: string; origin: string },
  sourceName: SourceName,
) {
  const fresh = await freshDb(engine, 'lp_bench_poller');
  const db = fresh.db;
  try {
    await insertBenchEvents(db, EVENTS);
    await insertPendingStreams(db, EVENTS, STREAMS_PER_EVENT);
    await analyzeTables(db);

    let t: TickTimes = { total: 0, http: 0, parse: 0, dbReads: 0, write: 0, statements: {}, calls: 0 };
    const timedFetch: typeof fetch = async (input, init) => {
      const started = performance.now();
      const res = await fetch(input, init);
      const body = await res.arrayBuffer();
      t.http += performance.now() - started;
      return new Response(body, { status: res.status, headers: res.headers });
    };
    const timedDb: Db = {
      ...db,
      async query(text) {
        const started = performance.now();
        try {
          return await db.query(text);
        } finally {
          t.dbReads += performance.now() - started;
        }
      },
      async transaction(fn) {
        const started = performance.now();
        try {
          return await db.transaction((tx) =>
            fn({
              exec: (script) => tx.exec(script),
              async query(text) {
                const began = performance.now();
                try {
                  return await tx.query(text);
                } finally {
                  const name = statementName(text);
                  t.statements[name] = (t.statements[name] ?? 0) + performance.now() - began;
                }
              },
            }),
          );
        } finally {
          t.write += performance.now() - started;
        }
      },
    };
    const source = SOURCES[sourceName](sim, timedFetch);
    let clock = new Date(Math.floor(Date.now() / 1000) * 1000);
    const poller = createPoller({
      config: { POLL_INTERVAL_SECONDS: 10, YT_DAILY_QUOTA: 10_000 },
      db: timedDb,
      fetchVideos: async (ids) => {
        t.calls++;
        const started = performance.now();
        const httpBefore = t.http;
        try {
          return await source(ids);
        } finally {
          t.parse += performance.now() - started - (t.http - httpBefore);
        }
      },
      publish: () => {},
      now: () => clock,
    });

    const callsBefore = ((await control(sim.origin, 'calls')) as unknown[]).length;
    const measured: TickTimes[] = [];
    const rollups: number[] = [];
    let lastMinute = Math.floor(clock.getTime() / 60_000);
    let first = 0;
    for (let i = 0; i < WARM_UP_TICKS + TICKS; i++) {
      t = { total: 0, http: 0, parse: 0, dbReads: 0, write: 0, statements: {}, calls: 0 };
      const started = performance.now();
      const report = await poller.tickOnce();
      t.total = performance.now() - started;
      if (report.calls !== t.calls || !report.written) throw new Error(`tick ${i}: ${JSON.stringify(report)}`);
      if (i === 0) first = t.total;
      if (i >= WARM_UP_TICKS) measured.push(t);
      // The leader's roll-up after the tick, once a minute (sql/006): timed on its own, not in the tick.
      t = { total: 0, http: 0, parse: 0, dbReads: 0, write: 0, statements: {}, calls: 0 };
      const minute = Math.floor(clock.getTime() / 60_000);
      const began = performance.now();
      await poller.rollUp();
      if (i >= WARM_UP_TICKS && minute !== lastMinute) rollups.push(performance.now() - began);
      lastMinute = minute;
      clock = new Date(clock.getTime() + 10_000);
    }
    const simCalls = ((await control(sim.origin, 'calls')) as unknown[]).length - callsBefore;
    const rows = await storedCounts(db);
    return { measured, first, simCalls, rows, rollups };
  } finally {
    await fresh.drop();
  }
}

/** Names in the first two columns, numbers (right-aligned) in the rest. */
const numbers = (head: string[], body: string[][]) =>
  table(
    head,
    body,
    head.map((_, i) => (i < 2 ? 'left' : 'right')),
  );

/** Polls a whole Pacific day with the quota's own rule, from midnight to midnight. */
function quotaDay(streams: number) {
  const base = 10;
  const budget = 10_000;
  const callsPerTick = Math.ceil(streams / MAX_IDS_PER_CALL);
  const start = nextPacificMidnight(new Date('2026-05-10T12:00:00Z'));
  const resetAt = nextPacificMidnight(new Date(start.getTime() + 60_000));
  let at = start;
  let used = 0;
  let ticks = 0;
  const intervals: number[] = [];
  while (at < resetAt) {
    const interval = effectiveIntervalSeconds({ baseSeconds: base, budget, used, callsPerTick, now: at, resetAt });
    if (interval === Infinity) break;
    intervals.push(interval);
    used += callsPerTick;
    ticks++;
    at = new Date(at.getTime() + interval * 1000);
  }
  return { streams, callsPerTick, ticks, used, first: intervals[0], last: intervals.at(-1)!, mean: 86_400 / ticks };
}

async function main() {
  console.log(
    `bench:poller — ${EVENTS * STREAMS_PER_EVENT} streams over ${EVENTS} events (distinct videos, all live), ${TICKS} measured ticks after ${WARM_UP_TICKS} warm-up, ` +
      `node ${process.version}, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  const sim = await startSimulatorProcess();
  const rows: string[][] = [];
  const statementRows: string[][] = [];
  const notes: string[] = [];
  let mixedReport = '';
  try {
    const all = Array.from({ length: EVENTS * STREAMS_PER_EVENT }, (_, i) => vid(i));
    for (const [i, id] of all.entries()) {
      await control(sim.origin, `videos/${id}`, {
        state: 'live',
        title: `Bench stream ${i}`,
        channelTitle: `Channel ${i % 37}`,
        actualStart: '2026-01-01T00:00:00Z',
        curve: { kind: 'moving', base: 1000 + i, amplitude: 200, periodSeconds: 600, noise: 0.05 },
      });
    }
    for (const [sourceName, engine] of (Object.keys(SOURCES) as SourceName[]).flatMap((name) =>
      (['embedded', 'postgres'] as const).map((e) => [name, e] as const),
    )) {
      const r = await benchEngine(engine, sim, sourceName);
      const label = `${engine} ${sourceName}`;
      const target = engine === 'postgres' ? P99_TARGET_MS : P99_TARGET_EMBEDDED_MS;
      const callsPerTick = [...new Set(r.measured.map((m) => m.calls))].join('/');
      const col = (pick: (m: TickTimes) => number) => {
        const xs = r.measured.map(pick);
        return [ms(percentile(xs, 50)), ms(percentile(xs, 99))];
      };
      const other = (m: TickTimes) => m.total - m.http - m.parse - m.dbReads - m.write;
      const [p50, p99] = col((m) => m.total - m.http);
      rows.push([
        label,
        callsPerTick,
        ...col((m) => m.total),
        ...col((m) => m.http),
        p50,
        p99,
        ...col((m) => m.parse),
        ...col((m) => m.dbReads),
        ...col((m) => m.write),
        ...col(other),
        `${Number(p99) <= target ? 'ok' : 'MISSED'} (${target})`,
      ]);
      const names = [...new Set(r.measured.flatMap((m) => Object.keys(m.statements)))];
      for (const name of names) statementRows.push([label, name, ...col((m) => m.statements[name] ?? 0)]);
      statementRows.push([
        label,
        'BEGIN + COMMIT (rest of the tx)',
        ...col((m) => m.write - Object.values(m.statements).reduce((a, b) => a + b, 0)),
      ]);
      notes.push(
        `${label}: roll-up after a minute's ticks (own transaction, not in the tick) p50 ${ms(percentile(r.rollups, 50))} ms, ` +
          `max ${ms(Math.max(...r.rollups))} ms over ${r.rollups.length} minutes`,
      );
      notes.push(
        `${label}: first tick (pending -> live, titles written) ${ms(r.first)} ms; simulator saw ${r.simCalls} calls for ${WARM_UP_TICKS + TICKS} ticks; ` +
          `stored ${r.rows.samples} samples, ${r.rows.stream_samples} stream samples, ${r.rows.live} streams live`,
      );
    }
    mixedReport = await mixedTickRun({ ...sim, control: (path, body) => control(sim.origin, path, body) }, MIXED_TICKS);
  } finally {
    sim.stop();
  }
  console.log(
    numbers(
      [
        'engine source',
        'calls/tick',
        'tick p50',
        'tick p99',
        'HTTP p50',
        'HTTP p99',
        'parse+persist p50',
        'parse+persist p99',
        'parse p50',
        'parse p99',
        'db reads p50',
        'db reads p99',
        'write tx p50',
        'write tx p99',
        'other p50',
        'other p99',
        'p+p p99 <= (ms)',
      ],
      rows,
    ),
  );
  console.log(
    'All times in ms. parse+persist = tick - HTTP (parse + db reads + write tx + other). The 20 calls run one after another.',
  );
  for (const n of notes) console.log(n);
  console.log('\nInside the write transaction, per statement (ms):');
  console.log(numbers(['engine source', 'statement', 'p50', 'p99'], statementRows));

  console.log(`\n${mixedReport}`);

  console.log(
    '\nQuota over one Pacific day with the defaults (POLL_INTERVAL_SECONDS=10, YT_DAILY_QUOTA=10000), by effectiveIntervalSeconds:',
  );
  console.log(
    numbers(
      [
        'streams',
        'calls/tick',
        'ticks/day',
        'units/day',
        'interval at midnight s',
        'interval at end s',
        'mean interval s',
      ],
      [1, 50, 500, 1000].map((n) => {
        const q = quotaDay(n);
        return [
          String(q.streams),
          String(q.callsPerTick),
          String(q.ticks),
          String(q.used),
          String(q.first),
          String(q.last),
          q.mean.toFixed(1),
        ];
      }),
    ),
  );
}

// Issue 15: YouTube Data API + InnerTube + Twitch in one round (bench/sources-mixed.ts).
async function mixed() {
  console.log(`\n${await mixedRun(Number(process.env.MIXED_ROUNDS ?? 5))}`);
}

main()
  .then(mixed)
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });
