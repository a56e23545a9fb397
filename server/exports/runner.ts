// Runs queued export jobs in the background, at most EXPORT_CONCURRENCY at a time per instance: each
// writes to a temporary file under DATA_DIR/exports/ that is renamed only once complete, so a file
// that can be downloaded is always whole. Stopping puts running jobs back in the queue.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Config } from '../config.ts';
import type { Db } from '../db/db.ts';
import { csvChunks } from '../history/csv.ts';
import type { CsvBudget } from '../history/csv-budget.ts';
import { CsvRecordCounter } from '../history/csv-records.ts';
import { BATCH } from '../history/params.ts';
import { log } from '../log.ts';
import * as jobs from './queries.ts';

export const EXPORTS_CHANNEL = 'livepulse_exports';

export interface ExportRunner {
  stop(): Promise<void>;
  /** Looks for work now rather than at the next poll (a job was just queued). */
  wake(): void;
}

export interface ExportRunnerOptions {
  config: Pick<Config, 'DATA_DIR' | 'EXPORT_CONCURRENCY'>;
  db: Db;
  instanceId: string;
  /** Shared with the CSV downloads: a job's COPY waits for a slot, so exports never take the API's connections. */
  csvBudget?: CsvBudget;
  /** How often to look for jobs and expired files without a wake-up. */
  pollMs?: number;
  /** How often running jobs report progress, which is also their sign of life. */
  heartbeatMs?: number;
  /** A running job silent this long belongs to a dead process and is redone. */
  staleMs?: number;
}

export function exportsDir(config: Pick<Config, 'DATA_DIR'>): string {
  return join(config.DATA_DIR, 'exports');
}

interface Running {
  abort: AbortController;
  counter: CsvRecordCounter;
  done: Promise<void>;
}

export function startExportRunner({
  config,
  db,
  instanceId,
  csvBudget,
  pollMs = 5_000,
  heartbeatMs = 1_000,
  staleMs = 30_000,
}: ExportRunnerOptions): ExportRunner {
  const dir = exportsDir(config);
  const running = new Map<string, Running>();
  let stopping = false;
  let busy = false;
  let again = false;
  let unlisten: (() => Promise<void>) | undefined;

  const rowsOf = (r: Running) => Math.max(0, r.counter.records - 1); // the header is a record too

  async function run(job: jobs.ExportJob, entry: Running) {
    const token = randomBytes(4).toString('hex');
    const fileName = `${job.id}-${token}.csv`;
    const part = join(dir, `${fileName}.part`);
    let release = () => {};
    try {
      await jobs.setExpected(db, job.id, instanceId, await jobs.countRows(db, job));
      if (csvBudget) release = await csvBudget.take(entry.abort.signal);
      const chunks = csvChunks(db, {
        eventId: job.eventId,
        kind: job.kind,
        streamId: job.streamId ?? undefined,
        window: job.window,
        delimiter: job.delimiter,
        bom: job.bom,
        batch: BATCH.fallback,
      });
      await pipeline(
        async function* () {
          for await (const chunk of chunks) {
            entry.counter.add(chunk);
            yield chunk;
          }
        },
        createWriteStream(part, { mode: 0o600 }),
        { signal: entry.abort.signal },
      );
      await rename(part, join(dir, fileName));
      if (!(await jobs.finishJob(db, job.id, instanceId, rowsOf(entry), fileName)))
        await rm(join(dir, fileName), { force: true });
    } catch (error) {
      await rm(part, { force: true }).catch(() => {});
      if (entry.abort.signal.aborted) return; // stop() puts it back in the queue
      const full = (error as NodeJS.ErrnoException).code === 'ENOSPC';
      log(
        'error',
        full ? 'export_storage_full' : 'export_failed',
        error instanceof Error ? error.message : String(error),
        { job: job.id },
      );
      await jobs.failJob(db, job.id, instanceId, full ? 'storage_full' : 'export_failed').catch(() => {});
    } finally {
      release();
    }
  }

  function start(job: jobs.ExportJob) {
    const entry: Running = { abort: new AbortController(), counter: new CsvRecordCounter(), done: Promise.resolve() };
    running.set(job.id, entry);
    entry.done = run(job, entry).finally(() => {
      running.delete(job.id);
      wake();
    });
  }

  async function step() {
    for (const file of await jobs.deleteExpired(db)) await rm(join(dir, file), { force: true });
    const free = config.EXPORT_CONCURRENCY - running.size;
    if (free <= 0 || stopping) return;
    for (const job of await jobs.claimJobs(db, instanceId, free, staleMs)) if (!running.has(job.id)) start(job);
  }

  function wake() {
    if (stopping) return;
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    step()
      .catch((error) => log('error', 'export_runner', error instanceof Error ? error.message : String(error)))
      .finally(() => {
        busy = false;
        if (again) {
          again = false;
          wake();
        }
      });
  }

  /** Files no job points at: left by a crash between rename and record, or a dead process's partial file. */
  async function removeOrphans() {
    const live = await jobs.liveFileNames(db);
    for (const name of await readdir(dir)) {
      const path = join(dir, name);
      const isPart = name.endsWith('.part');
      if (isPart ? Date.now() - (await stat(path)).mtimeMs > staleMs : !live.has(name)) await rm(path, { force: true });
    }
  }

  const poll = setInterval(wake, pollMs);
  const heartbeat = setInterval(() => {
    const progress = [...running].map(([id, r]) => ({ id, rows: rowsOf(r) }));
    jobs.reportProgress(db, instanceId, progress).catch((error) => log('warn', 'export_progress', String(error)));
  }, heartbeatMs);
  poll.unref();
  heartbeat.unref();

  const ready = (async () => {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await removeOrphans();
    unlisten = await db.listen(
      EXPORTS_CHANNEL,
      () => wake(),
      () => wake(),
    );
    wake();
  })().catch((error) =>
    log('error', 'export_runner', `start: ${error instanceof Error ? error.message : String(error)}`),
  );

  return {
    wake,
    async stop() {
      stopping = true;
      clearInterval(poll);
      clearInterval(heartbeat);
      await ready;
      // A claim already under way still starts its jobs; let it land so they are interrupted too.
      while (busy) await new Promise((resolve) => setTimeout(resolve, 10));
      const interrupted = [...running.keys()];
      for (const r of running.values()) r.abort.abort();
      await Promise.all([...running.values()].map((r) => r.done));
      await jobs
        .requeueJobs(db, interrupted, instanceId)
        .catch((error) => log('error', 'export_requeue', String(error)));
      await unlisten?.().catch(() => {});
    },
  };
}
