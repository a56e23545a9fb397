// History and CSV benchmark: seeds 7 days of 20 streams every 10 s (1.2 M stream rows, 60k totals)
// into a fresh database on each engine, serves the real app on a loopback port, and measures history
// latency, CSV throughput and the server's RSS growth while a CSV streams. Prints one table.
// Run: npm run bench:history [-- --engine postgres|embedded]  (PostgreSQL from TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test)
import { parseArgs } from 'node:util';
import { freshDb, loadAverage, percentile, seedDays, serveApp, table } from './support.ts';

const DAYS = 7;
const STREAMS = 20;
const EVERY_SECONDS = 10;
const TICKS = (DAYS * 86400) / EVERY_SECONDS;
const FROM = new Date('2024-05-01T00:00:00Z');
const TO = new Date(FROM.getTime() + DAYS * 86400_000);
const HISTORY_RUNS = 30;
const CSV_RUNS = 3;

interface Row {
  engine: string;
  what: string;
  rows: number;
  p50: number;
  p99: number;
  rowsPerSecond?: number;
  rssGrowthMb?: number;
  target: string;
}

const ms = (n: number) => Math.round(n * 10) / 10;

/** Reads a response to the end without keeping it, counting lines; samples RSS meanwhile. */
async function drain(url: string): Promise<{ lines: number; seconds: number; rssGrowthMb: number }> {
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  const started = performance.now();
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  let lines = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) lines++;
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { lines, seconds, rssGrowthMb: (peak - before) / 2 ** 20 };
}

async function bench(engine: 'embedded' | 'postgres'): Promise<Row[]> {
  const fresh = await freshDb(engine, 'lp_bench_history');
  const { db } = fresh;
  const rows: Row[] = [];
  try {
    const seconds = await seedDays(
      db,
      'bench',
      Array.from({ length: STREAMS }, (_, i) => ({ id: `s${i}`, label: i % 3 ? `Camera ${i}` : `=cam,"${i}"` })),
      FROM,
      DAYS,
      EVERY_SECONDS,
    );
    process.stderr.write(
      `${engine}: seeded ${TICKS * STREAMS} stream rows and ${TICKS} totals in ${seconds.toFixed(1)} s\n`,
    );
    const app = await serveApp(db, 'bench', DAYS * 1440);
    const base = app.base;
    const range = `from=${FROM.toISOString()}&to=${TO.toISOString()}`;
    try {
      for (const [what, query, target] of [
        ['history 7 d, maxPoints=1000, total', `${range}&maxPoints=1000`, ''],
        ['history 7 d, maxPoints=1000, streams=1', `${range}&maxPoints=1000&streams=1`, 'p50 <= 100 ms'],
        [
          'history 24 h, maxPoints=1000, streams=1',
          `from=2024-05-07T00:00:00Z&to=2024-05-08T00:00:00Z&maxPoints=1000&streams=1`,
          '',
        ],
      ] as const) {
        const times: number[] = [];
        let points = 0;
        for (let i = 0; i < HISTORY_RUNS + 3; i++) {
          const t = performance.now();
          const res = await fetch(`${base}/history?${query}`);
          const body = (await res.json()) as { total: unknown[]; streams?: Record<string, unknown[]> };
          if (i >= 3) times.push(performance.now() - t);
          points = body.total.length + Object.values(body.streams ?? {}).reduce((n, s) => n + s.length, 0);
        }
        rows.push({
          engine,
          what,
          rows: points,
          p50: ms(percentile(times, 50)),
          p99: ms(percentile(times, 99)),
          target,
        });
      }
      for (const [what, path] of [
        ['CSV total', 'history.csv'],
        ['CSV one stream', 'streams/s1/history.csv'],
        ['CSV all streams (long form)', 'streams/history.csv'],
      ] as const) {
        const runs: Awaited<ReturnType<typeof drain>>[] = [];
        for (let i = 0; i < CSV_RUNS; i++) runs.push(await drain(`${base}/${path}?${range}`));
        const secs = runs.map((r) => r.seconds * 1000);
        const lines = runs[0].lines - 1; // header
        const big = path === 'streams/history.csv';
        rows.push({
          engine,
          what,
          rows: lines,
          p50: ms(percentile(secs, 50)),
          p99: ms(percentile(secs, 99)),
          rowsPerSecond: Math.round(lines / (percentile(secs, 50) / 1000)),
          rssGrowthMb: Math.round(Math.max(...runs.map((r) => r.rssGrowthMb)) * 10) / 10,
          target: big ? (engine === 'postgres' ? '>= 1,000,000 rows/s, RSS <= 50 MB' : '>= 300,000 rows/s') : '',
        });
      }
    } finally {
      await app.close();
    }
  } finally {
    await fresh.drop();
  }
  return rows;
}

function rowsTable(rows: Row[]): string {
  const head = ['engine', 'measure', 'rows/points', 'p50 ms', 'p99 ms', 'rows/s', 'RSS +MB', 'target'];
  const body = rows.map((r) => [
    r.engine,
    r.what,
    String(r.rows),
    String(r.p50),
    String(r.p99),
    r.rowsPerSecond?.toLocaleString('en-US') ?? '',
    r.rssGrowthMb?.toString() ?? '',
    r.target,
  ]);
  return table(head, body, 'left');
}

const { values } = parseArgs({ options: { engine: { type: 'string' } } });
const ENGINES = ['postgres', 'embedded'] as const;
const engines = ENGINES.filter((e) => values.engine === undefined || values.engine === e);
const results: Row[] = [];
for (const engine of engines) results.push(...(await bench(engine)));
const load = loadAverage();
process.stdout.write(
  `\nHistory and CSV, ${DAYS} days x ${STREAMS} streams every ${EVERY_SECONDS} s (${HISTORY_RUNS} history requests, ${CSV_RUNS} CSV downloads each; RSS of this process, server and client); load average at the end ${load}\n\n${rowsTable(results)}\n`,
);
