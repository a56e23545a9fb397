// Stats benchmark (run by `npm run bench:history` after the history bench): 7 days of 20 streams every
// 10 s (1.2 M stream rows, 60k totals) on PostgreSQL, served by the real app on a loopback port. Measures
// the first request over the week (it computes and stores the 168 whole hours), then the p50/p99 of
// repeated requests: the week on whole hours, the week cut mid-hour (two edges computed each time), a
// day, and the CSV. Prints the load average, since the figures mean little on a busy machine.
// Run alone: node --import tsx bench/stats.ts  (PostgreSQL from TEST_DATABASE_URL or the local default)
import { freshDb, loadAverage, percentile, seedDays, serveApp, table } from './support.ts';

const DAYS = 7;
const STREAMS = 20;
const EVERY_SECONDS = 10;
const TICKS = (DAYS * 86400) / EVERY_SECONDS;
const FROM = new Date('2024-05-01T00:00:00Z');
const TO = new Date(FROM.getTime() + DAYS * 86400_000);
const RUNS = 30;

const ms = (n: number) => String(Math.round(n * 10) / 10);
const load = loadAverage;

const fresh = await freshDb('postgres', 'lp_bench_stats');
const db = fresh.db;
const body: string[][] = [];
const loadBefore = load();
try {
  const seconds = await seedDays(
    db,
    'bench',
    Array.from({ length: STREAMS }, (_, i) => ({ id: `s${i}` })),
    FROM,
    DAYS,
    EVERY_SECONDS,
  );
  process.stderr.write(`postgres: seeded ${TICKS * STREAMS} stream rows in ${seconds.toFixed(1)} s\n`);
  const app = await serveApp(db, 'bench', DAYS * 1440);
  const base = app.base;
  const week = `from=${FROM.toISOString()}&to=${TO.toISOString()}`;
  const fetchOk = async (url: string) => {
    const res = await fetch(url);
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`);
    return res.text();
  };
  try {
    let t = performance.now();
    await fetchOk(`${base}/stats?${week}`);
    body.push(['stats 7 d, first request (computes and stores 168 hours)', ms(performance.now() - t), '', '']);
    for (const [what, path, target] of [
      ['stats 7 d (whole hours)', `stats?${week}`, 'p50 <= 100 ms'],
      [
        'stats 7 d cut mid-hour (edges computed)',
        `stats?from=2024-05-01T00:17:13Z&to=2024-05-07T23:41:07Z`,
        'p50 <= 100 ms',
      ],
      ['stats 24 h', `stats?from=2024-05-07T00:00:00Z&to=2024-05-08T00:00:00Z`, ''],
      ['stats.csv 7 d', `stats.csv?${week}`, ''],
    ] as const) {
      const times: number[] = [];
      for (let i = 0; i < RUNS + 3; i++) {
        t = performance.now();
        await fetchOk(`${base}/${path}`);
        if (i >= 3) times.push(performance.now() - t);
      }
      body.push([what, ms(percentile(times, 50)), ms(percentile(times, 99)), target]);
    }
  } finally {
    await app.close();
  }
} finally {
  await fresh.drop();
}
process.stdout.write(
  `\nStats, ${DAYS} days x ${STREAMS} streams every ${EVERY_SECONDS} s on PostgreSQL (${RUNS} requests each after 3 warm-ups); load average ${loadBefore} before, ${load()} after\n\n${table(['measure', 'p50 ms', 'p99 ms', 'target'], body, 'left')}\n`,
);
