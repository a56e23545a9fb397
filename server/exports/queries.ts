// The export_jobs table: queue a job, claim the next ones (each runs once across instances), report
// progress, finish, fail, put back, and forget expired ones.
import type { Queryable } from '../db/db.ts';
import { sql } from '../db/sql.ts';
import type { CsvKind } from '../history/csv.ts';
import type { HistoryWindow } from '../history/params.ts';

export interface ExportJob {
  id: string;
  eventId: string;
  kind: CsvKind;
  streamId: string | null;
  window: HistoryWindow;
  delimiter: ',' | ';';
  bom: boolean;
  state: 'queued' | 'running' | 'done' | 'failed';
  error: string | null;
  rowsExpected: number | null;
  rowsWritten: number;
  fileName: string | null;
  createdAt: Date;
  expiresAt: Date;
}

interface JobRow {
  id: string;
  event_id: string;
  kind: CsvKind;
  stream_id: string | null;
  range_from: Date;
  range_to: Date;
  delimiter: ',' | ';';
  bom: boolean;
  state: ExportJob['state'];
  error: string | null;
  rows_expected: number | null;
  rows_written: number;
  file_name: string | null;
  created_at: Date;
  expires_at: Date;
}

const toJob = (r: JobRow): ExportJob => ({
  id: r.id,
  eventId: r.event_id,
  kind: r.kind,
  streamId: r.stream_id,
  window: { from: r.range_from, to: r.range_to },
  delimiter: r.delimiter,
  bom: r.bom,
  state: r.state,
  error: r.error,
  rowsExpected: r.rows_expected,
  rowsWritten: r.rows_written,
  fileName: r.file_name,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});

export type NewExportJob = Pick<ExportJob, 'id' | 'eventId' | 'kind' | 'streamId' | 'window' | 'delimiter' | 'bom'> & {
  ttlHours: number;
};

export async function insertJob(db: Queryable, j: NewExportJob): Promise<void> {
  await db.query(
    sql`insert into export_jobs (id, event_id, kind, stream_id, range_from, range_to, delimiter, bom, expires_at)
        values (${j.id}, ${j.eventId}, ${j.kind}, ${j.streamId}, ${j.window.from}, ${j.window.to}, ${j.delimiter},
          ${j.bom}, now() + ${j.ttlHours}::int * interval '1 hour')`,
  );
}

/** A job that has not expired, or null. */
export async function getJob(db: Queryable, id: string): Promise<ExportJob | null> {
  const [row] = await db.query(sql<JobRow>`select * from export_jobs where id = ${id} and expires_at > now()`);
  return row ? toJob(row) : null;
}

/**
 * Takes up to `max` jobs: queued ones, and running ones whose runner stopped reporting for `staleMs`
 * (its process died). SKIP LOCKED lets instances claim side by side without taking the same job.
 */
export async function claimJobs(db: Queryable, instanceId: string, max: number, staleMs: number): Promise<ExportJob[]> {
  const stale = sql`state = 'running' and updated_at < now() - ${staleMs}::int * interval '1 millisecond'`;
  const rows = await db.query(
    sql<JobRow>`update export_jobs
        set state = 'running', claimed_by = ${instanceId}, rows_written = 0, error = null, updated_at = now()
      where id in (select id from export_jobs
                    where expires_at > now() and (state = 'queued' or (${stale}))
                    order by created_at limit ${max} for update skip locked)
      returning *`,
  );
  return rows.map(toJob).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

export async function countRows(
  db: Queryable,
  job: Pick<ExportJob, 'eventId' | 'kind' | 'streamId' | 'window'>,
): Promise<number> {
  const inWindow = sql`event_id = ${job.eventId} and ts >= ${job.window.from} and ts < ${job.window.to}`;
  const [row] = await db.query(
    job.kind === 'total'
      ? sql<{ n: number }>`select count(*)::int as n from samples where ${inWindow}`
      : sql<{ n: number }>`select count(*)::int as n from stream_samples
          where ${inWindow} and (${job.streamId}::text is null or stream_id = ${job.streamId})`,
  );
  return row.n;
}

export async function setExpected(db: Queryable, id: string, instanceId: string, rows: number): Promise<void> {
  await db.query(sql`update export_jobs set rows_expected = ${rows} where id = ${id} and claimed_by = ${instanceId}`);
}

/** One statement for all of this runner's jobs; also the heartbeat that tells others the jobs are alive. */
export async function reportProgress(
  db: Queryable,
  instanceId: string,
  progress: { id: string; rows: number }[],
): Promise<void> {
  if (progress.length === 0) return;
  const ids = progress.map((p) => p.id);
  const rows = progress.map((p) => p.rows);
  await db.query(
    sql`update export_jobs j set rows_written = u.rows, updated_at = now()
          from unnest(${ids}::text[], ${rows}::int[]) as u(id, rows)
         where j.id = u.id and j.claimed_by = ${instanceId} and j.state = 'running'`,
  );
}

/** False when the job is no longer ours (expired, or taken over after we looked dead): the file is then not wanted. */
export async function finishJob(
  db: Queryable,
  id: string,
  instanceId: string,
  rows: number,
  fileName: string,
): Promise<boolean> {
  const done = await db.query(
    sql`update export_jobs set state = 'done', rows_written = ${rows}, file_name = ${fileName}, updated_at = now()
         where id = ${id} and claimed_by = ${instanceId} and state = 'running' returning id`,
  );
  return done.length === 1;
}

export async function failJob(db: Queryable, id: string, instanceId: string, code: string): Promise<void> {
  await db.query(
    sql`update export_jobs set state = 'failed', error = ${code}, updated_at = now()
         where id = ${id} and claimed_by = ${instanceId} and state = 'running'`,
  );
}

/** Puts interrupted jobs back in the queue, to be redone from the start by whichever runner is next. */
export async function requeueJobs(db: Queryable, ids: string[], instanceId: string): Promise<void> {
  if (ids.length === 0) return;
  await db.query(
    sql`update export_jobs
           set state = 'queued', claimed_by = null, rows_written = 0, error = 'interrupted', updated_at = now()
         where id = any(${ids}::text[]) and claimed_by = ${instanceId} and state = 'running'`,
  );
}

/** Deletes expired jobs and returns the files they leave behind. */
export async function deleteExpired(db: Queryable): Promise<string[]> {
  const rows = await db.query(
    sql<{ file_name: string | null }>`delete from export_jobs where expires_at <= now() returning file_name`,
  );
  return rows.flatMap((r) => (r.file_name ? [r.file_name] : []));
}

export async function liveFileNames(db: Queryable): Promise<Set<string>> {
  const rows = await db.query(
    sql<{ file_name: string }>`select file_name from export_jobs where file_name is not null`,
  );
  return new Set(rows.map((r) => r.file_name));
}
