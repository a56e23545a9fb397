// `npm run bench:start`: how long the real server process (node --import tsx server/main.ts) takes to
// start on each engine, cold (empty database: cluster creation and migrations) and warm (same data
// again), from spawn to the "ready at" line and to the first 200 of /api/health; plus, once each,
// `npm run build` and a whole `npm start` (build + cold embedded start). Prints one table.
// Run: npm run bench:start [runs]  (PostgreSQL from TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/test)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratchPostgres } from '../server/testing/test-db.ts';
import { POSTGRES_URL, table } from './support.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RUNS = Number(process.argv[2] ?? 3);
const READY_BUDGET_MS = 15_000;
const HEALTH_POLL_MS = 10;

interface Start {
  /** Spawn to the "ready at" line. */
  readyMs: number;
  /** Spawn to the first 200 of /api/health (the port listens before the poller and bus start). */
  healthMs: number;
  /** What the server itself reports in its ready line: from main() to ready, without module loading. */
  mainMs: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function firstHealthy(port: number, started: number, until: () => boolean): Promise<number> {
  while (!until()) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`);
      await res.arrayBuffer();
      if (res.status === 200) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, HEALTH_POLL_MS));
  }
  throw new Error('process exited before /api/health answered 200');
}

/** Spawns, waits for the ready line and a healthy answer, then stops the process with SIGTERM. */
async function startOnce(command: string[], env: Record<string, string>, { group = false } = {}): Promise<Start> {
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn(command[0], command.slice(1), {
    cwd: ROOT,
    // npm does not forward SIGTERM to node: `npm start` runs in its own process group, signalled as a whole.
    detached: group,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      LOG_FORMAT: 'pretty',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let exited = false;
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => ((exited = true), resolve(code))));
  const ready = new Promise<{ at: number; mainMs: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in 60 s:\n${out}`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /ready at \S+ .*in (\d+) ms/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ at: performance.now() - started, mainMs: Number(m[1]) });
      }
    });
    child.stderr!.on('data', (d) => (out += d));
    void exit.then((code) => reject(new Error(`exited with ${code} before ready:\n${out}`)));
  });
  try {
    const [r, healthMs] = await Promise.all([ready, firstHealthy(port, started, () => exited)]);
    return { readyMs: r.at, healthMs, mainMs: r.mainMs };
  } finally {
    if (!exited) {
      if (group) process.kill(-child.pid!, 'SIGTERM');
      else child.kill('SIGTERM');
    }
    await exit;
  }
}

const NODE_MAIN = [process.execPath, '--import', 'tsx', 'server/main.ts'];

async function embedded(): Promise<{ cold: Start[]; warm: Start[] }> {
  const cold: Start[] = [];
  const warm: Start[] = [];
  for (let i = 0; i < RUNS; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'lp-bench-start-'));
    try {
      cold.push(await startOnce(NODE_MAIN, { DATA_DIR: dir }));
      warm.push(await startOnce(NODE_MAIN, { DATA_DIR: dir }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { cold, warm };
}

async function postgresql(): Promise<{ cold: Start[]; warm: Start[] }> {
  const cold: Start[] = [];
  const warm: Start[] = [];
  for (let i = 0; i < RUNS; i++) {
    const database = await scratchPostgres(POSTGRES_URL, 'lp_bench_start'); // empty: the cold start migrates it
    const dir = mkdtempSync(join(tmpdir(), 'lp-bench-start-'));
    try {
      const env = { DATA_DIR: dir, DATABASE_URL: database.url! };
      cold.push(await startOnce(NODE_MAIN, env));
      warm.push(await startOnce(NODE_MAIN, env));
    } finally {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return { cold, warm };
}

function timeCommand(command: string[]): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) =>
      code === 0 ? resolve(performance.now() - started) : reject(new Error(`${command.join(' ')} exited with ${code}`)),
    );
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (n: number) => String(Math.round(n));

async function main() {
  console.log(
    `bench:start — ${RUNS} runs per row, node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const rows: string[][] = [];
  const add = (engine: string, kind: string, runs: Start[]) =>
    rows.push([
      engine,
      kind,
      String(runs.length),
      fmt(median(runs.map((r) => r.readyMs))),
      fmt(Math.max(...runs.map((r) => r.readyMs))),
      fmt(median(runs.map((r) => r.healthMs))),
      fmt(Math.max(...runs.map((r) => r.healthMs))),
      fmt(median(runs.map((r) => r.mainMs))),
      Math.max(...runs.map((r) => r.readyMs)) <= READY_BUDGET_MS ? 'ok' : 'OVER',
    ]);
  const e = await embedded();
  add('embedded (PGlite)', 'cold: empty DATA_DIR', e.cold);
  add('embedded (PGlite)', 'warm: same DATA_DIR', e.warm);
  const p = await postgresql();
  add('PostgreSQL', 'cold: empty database', p.cold);
  add('PostgreSQL', 'warm: migrated database', p.warm);

  const build = await timeCommand(['npm', 'run', 'build', '--silent']);
  const dir = mkdtempSync(join(tmpdir(), 'lp-bench-start-'));
  let npmStart: Start;
  try {
    npmStart = await startOnce(['npm', 'start', '--silent'], { DATA_DIR: dir }, { group: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  add('npm start (build + node)', 'cold: empty DATA_DIR', [npmStart]);

  console.log(
    table(
      [
        'engine',
        'start',
        'runs',
        'ready p50 ms',
        'ready max ms',
        'health p50 ms',
        'health max ms',
        'in-process p50 ms',
        `ready <= ${READY_BUDGET_MS / 1000} s`,
      ],
      rows,
      'left',
    ),
  );
  console.log(`npm run build (vite): ${fmt(build)} ms, once`);
  console.log(
    'ready = spawn to the "ready at" line; health = spawn to the first 200 of /api/health (polled every 10 ms);',
  );
  console.log(
    'in-process = what the ready line reports (main() to ready), the rest is node + tsx loading the modules.',
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
