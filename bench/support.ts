// What the benchmarks share: a fresh migrated database on either engine, seeded days of ticks, the real app
// on a loopback port, the load average, percentiles, markdown tables, clients split over processes, and
// the JSON-lines conversation with a bench/sse-clients.ts process.
import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { parseConfig } from '../server/config.ts';
import type { Db } from '../server/db/db.ts';
import { insertEvent } from '../server/events/queries.ts';
import { openEmbedded } from '../server/db/embedded.ts';
import { migrate } from '../server/db/migrate.ts';
import { createServices } from '../server/services.ts';
import { seedEvent, seedTicks } from '../server/testing/queries.ts';
import { scratchPostgres } from '../server/testing/test-db.ts';
import { vacuumAnalyze } from './queries.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A new, migrated database; `drop()` closes it (and drops it on PostgreSQL). */
export async function freshDb(
  engine: 'embedded' | 'postgres',
  prefix = 'lp_bench',
): Promise<{ db: Db; url?: string; drop: () => Promise<void> }> {
  if (engine === 'embedded') {
    const db = await openEmbedded(null);
    await migrate(db);
    return { db, drop: () => db.close() };
  }
  const t = await scratchPostgres(POSTGRES_URL, prefix);
  await migrate(t.db);
  return { db: t.db, url: t.url, drop: () => t.close() };
}

/** The p-th percentile (nearest rank) of unsorted values; NaN for none (a run too short to have any). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = Float64Array.from(values).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

type Align = 'left' | 'right';

/** A markdown table, columns padded to their widest cell; `align` for all columns or one per column. */
export function table(head: string[], body: string[][], align: Align | Align[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const pad = (c: string, i: number) =>
    (typeof align === 'string' ? align : align[i]) === 'right' ? c.padStart(widths[i]) : c.padEnd(widths[i]);
  const line = (cells: string[]) => '| ' + cells.map(pad).join(' | ') + ' |';
  return [line(head), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...body.map(line)].join('\n');
}

/** `total` clients over `parts` processes as evenly as can be: the first `total % parts` get one more. */
export const split = (total: number, parts: number) =>
  Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));

/** One clients' process (bench/sse-clients.ts) and its JSON-lines conversation. */
export function startClients(url: string, clients: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/sse-clients.ts', url, String(clients)], {
    cwd: ROOT,
  });
  child.stderr.pipe(process.stderr);
  const waiting = new Map<string, (m: Record<string, unknown>) => void>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    const m = JSON.parse(line) as Record<string, unknown>;
    waiting.get(m.type as string)?.(m);
  });
  const next = <T>(type: string) =>
    new Promise<T>((resolve) => waiting.set(type, resolve as (m: Record<string, unknown>) => void));
  const ask = <T>(command: Record<string, unknown>, type: string) => {
    const answer = next<T>(type);
    child.stdin.write(JSON.stringify(command) + '\n');
    return answer;
  };
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return { next, ask, exit: () => (child.stdin.write(JSON.stringify({ type: 'exit' }) + '\n'), exited) };
}

/** The load average over 1, 5 and 15 minutes, as the benches print it beside their figures. */
export const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/**
 * An event `eventId` with `streams` and `days` of ticks every `everySeconds` from `from`, one day per
 * statement (each under the server's statement_timeout), then VACUUM ANALYZE; returns the seconds it took.
 */
export async function seedDays(
  db: Db,
  eventId: string,
  streams: { id: string; label?: string }[],
  from: Date,
  days: number,
  everySeconds: number,
): Promise<number> {
  const t = performance.now();
  await seedEvent(db, eventId, streams);
  for (let day = 0; day < days; day++) {
    await seedTicks(db, eventId, new Date(from.getTime() + day * 86400_000), 86400 / everySeconds, everySeconds);
  }
  await vacuumAnalyze(db);
  return (performance.now() - t) / 1000;
}

/**
 * The real app over `db` on a loopback port, its request log silenced (the bench measures the server, not
 * the terminal): `base` is the event's API root; `close()` brings the terminal, the server and services back down.
 */
export async function serveApp(db: Db, eventId: string, maxHistoryMinutes: number) {
  const config = parseConfig({
    NODE_ENV: 'test',
    ADMIN_PASSWORD: 'bench-admin-password',
    AUTH_SECRET: 'bench-auth-secret-0123456789abcdefghijklmnop',
    LOG_FORMAT: 'json',
    MAX_HISTORY_MINUTES: String(maxHistoryMinutes),
  });
  const services = createServices({ config, db, version: 'bench', youtube: null });
  const server = serve({ fetch: services.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/events/${eventId}`;
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = () => true;
  return {
    base,
    async close() {
      process.stdout.write = write;
      await services.stop();
      server.close();
      (server as import('node:http').Server).closeAllConnections();
    },
  };
}

/** `count` public events `ev0`…, always running (no planned window), as the poller benches spread streams over. */
export async function insertBenchEvents(db: Db, count: number): Promise<void> {
  for (let e = 0; e < count; e++) {
    await insertEvent(db, {
      id: `ev${e}`,
      name: `Event ${e}`,
      public: true,
      startsAt: null,
      endsAt: null,
      embedKey: 'k',
    });
  }
}
