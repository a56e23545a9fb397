import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders } from '../auth/testing/test-session.ts';
import {
  ageJobHeartbeat,
  deleteAllJobs,
  expireJob,
  jobClaimedBy,
  jobExists,
  jobStates,
  seedEvent,
  seedTicks,
  seedTicksInSlices,
} from '../testing/queries.ts';
import { engines } from '../testing/test-db.ts';
import { testInstance } from '../testing/test-instance.ts';
import type { ExportStatus } from '../wire.ts';
import { claimJobs } from './queries.ts';
import { exportsDir, startExportRunner, type ExportRunner } from './runner.ts';

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const BIG_FROM = '2024-06-01T00:00:00Z';
const BIG_TO = '2024-06-03T08:00:00Z'; // 20 streams x 20,000 ticks of 10 s = 400k rows

describe.each(engines)('export jobs on %s', (engine) => {
  let inst: Awaited<ReturnType<typeof testInstance>>;
  let dataDir: string;
  let headers: Record<string, string>;
  const runners: ExportRunner[] = [];
  const runner = (instanceId: string, staleMs = 30_000) => {
    const r = startExportRunner({ config: inst.config, db: inst.db, instanceId, pollMs: 50, heartbeatMs: 20, staleMs });
    runners.push(r);
    return r;
  };
  const req = (path: string, init: RequestInit = {}) =>
    inst.app.request(`http://localhost${path}`, {
      ...init,
      headers: { ...headers, ...(init.headers as Record<string, string>) },
    });
  const post = (eventId: string, body: unknown) =>
    req(`/api/events/${eventId}/export`, { method: 'POST', body: JSON.stringify(body) });
  const status = async (jobId: string) => (await (await req(`/api/exports/${jobId}/status`)).json()) as ExportStatus;
  const queue = async (eventId: string, body: unknown) => {
    const res = await post(eventId, body);
    expect(res.status).toBe(202);
    return ((await res.json()) as { jobId: string }).jobId;
  };
  const files = () => readdirSync(exportsDir(inst.config));

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'livepulse-exports-'));
    inst = await testInstance(engine, { env: { DATA_DIR: dataDir, EXPORT_CONCURRENCY: '2' } });
    headers = await adminHeaders(inst.config);
    await seedEvent(inst.db, 'small', [{ id: 's1', label: '=cmd' }, { id: 's2' }]);
    await seedTicks(inst.db, 'small', new Date('2024-05-01T10:00:00Z'), 300, 10);
    await seedEvent(
      inst.db,
      'big',
      Array.from({ length: 20 }, (_, i) => ({ id: `b${i}` })),
    );
    await seedTicksInSlices(inst.db, 'big', new Date(BIG_FROM), 20_000, 10);
  }, 120_000);
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((r) => r.stop()));
    await deleteAllJobs(inst.db);
    rmSync(exportsDir(inst.config), { recursive: true, force: true });
  });
  afterAll(async () => {
    await inst?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('queues, runs and serves a job whose file equals the direct CSV', async () => {
    runner('a');
    const window = { from: '2024-05-01T10:00:00Z', to: '2024-05-01T10:50:00Z' };
    const jobId = await queue('small', { type: 'streams', ...window, delimiter: 'semicolon', bom: true });
    const done = await until('done', async () => ((await status(jobId)).state === 'done' ? status(jobId) : undefined));
    expect(done).toMatchObject({
      jobId,
      eventId: 'small',
      type: 'streams',
      state: 'done',
      rowsWritten: 600,
      rowsExpected: 600,
      percent: 100,
      error: null,
    });
    const download = await req(`/api/exports/${jobId}/download`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toBe(
      'attachment; filename="livepulse-small-streams-20240501T100000Z-20240501T105000Z.csv"',
    );
    const direct = await req(
      `/api/events/small/streams/history.csv?from=${window.from}&to=${window.to}&delimiter=semicolon&bom=1`,
    );
    const bytes = Buffer.from(await download.arrayBuffer());
    expect(bytes.equals(Buffer.from(await direct.arrayBuffer()))).toBe(true);
    expect(bytes.toString('utf8')).toContain(";'=cmd;");
    expect(files().filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('refuses bad requests, and answers 404 for unknown events, streams and jobs', async () => {
    const cases: [unknown, string][] = [
      [{ type: 'all' }, 'type'],
      [{ type: 'total', minutes: 0 }, 'minutes'],
      [{ type: 'total', minutes: 1.5 }, 'minutes'],
      [{ type: 'total', minutes: "1' OR 1=1--" }, 'minutes'],
      [{ type: 'total', from: '2024-05-01T10:00:00Z' }, 'to'],
      [{ type: 'total', from: '2024-05-01T10:00:00', to: '2024-05-01T11:00:00Z' }, 'from'],
      [{ type: 'stream' }, 'sid'],
      [{ type: 'total', sid: 's1' }, 'sid'],
      [{ type: 'total', delimiter: 'tab' }, 'delimiter'],
      [{ type: 'total', bom: 'yes' }, 'bom'],
      [{ type: 'total', extra: 1 }, 'extra'],
    ];
    for (const [body, field] of cases) {
      const res = await post('small', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'validation_error', field } });
    }
    expect((await post('nope', { type: 'total' })).status).toBe(404);
    expect((await post('small', { type: 'stream', sid: 'b1' })).status).toBe(404);
    expect((await post('small', { type: 'stream', sid: "x' OR '1'='1" })).status).toBe(404);
    for (const id of ['nope', encodeURIComponent("' OR 1=1--"), '%00']) {
      expect((await req(`/api/exports/${id}/status`)).status).toBe(404);
      expect((await req(`/api/exports/${id}/download`)).status).toBe(404);
    }
    const queued = await queue('small', { type: 'total' });
    expect(await (await req(`/api/exports/${queued}/download`)).json()).toMatchObject({
      error: { code: 'export_not_ready' },
    });
  });

  it('is for the admin only', async () => {
    const anonymous = (path: string, init: RequestInit = {}) => inst.app.request(`http://localhost${path}`, init);
    expect(
      (
        await anonymous('/api/events/small/export', {
          method: 'POST',
          body: '{"type":"total"}',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(401);
    const jobId = await queue('small', { type: 'total' });
    expect((await anonymous(`/api/exports/${jobId}/status`)).status).toBe(401);
    expect((await anonymous(`/api/exports/${jobId}/download`)).status).toBe(401);
  });

  it('survives a restart in the middle of a job: redone once, with the right row count', async () => {
    const first = runner('first');
    const jobId = await queue('big', { type: 'streams', from: BIG_FROM, to: BIG_TO });
    await until(
      'a partial file',
      async () => (await status(jobId)).state === 'running' && files().some((f) => f.endsWith('.part')),
    );
    await first.stop();
    runners.splice(runners.indexOf(first), 1);
    const stopped = await status(jobId);
    expect(stopped).toMatchObject({ state: 'queued', error: 'interrupted', rowsWritten: 0 });
    expect(files()).toEqual([]); // the partial file is gone, nothing half-written to serve

    runner('second');
    const done = await until(
      'done',
      async () => ((await status(jobId)).state === 'done' ? status(jobId) : undefined),
      60_000,
    );
    expect(done.rowsWritten).toBe(400_000);
    expect(done.rowsExpected).toBe(400_000);
    expect(files()).toHaveLength(1);
    const text = readFileSync(join(exportsDir(inst.config), files()[0]), 'utf8');
    expect(text.split('\n')).toHaveLength(400_000 + 2);
    expect(await jobClaimedBy(inst.db, jobId)).toBe('second');
  }, 90_000);

  it('redoes a job left running by a process that died', async () => {
    const jobId = await queue('small', { type: 'total', from: '2024-05-01T10:00:00Z', to: '2024-05-01T11:00:00Z' });
    expect(await claimJobs(inst.db, 'dead', 1, 30_000)).toHaveLength(1);
    await ageJobHeartbeat(inst.db, jobId, 60_000);
    runner('alive', 30_000);
    const done = await until('done', async () => ((await status(jobId)).state === 'done' ? status(jobId) : undefined));
    expect(done.rowsWritten).toBe(300);
  });

  it('runs at most EXPORT_CONCURRENCY jobs at a time, and all of them in the end', async () => {
    runner('a');
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await queue('big', { type: 'total', from: BIG_FROM, to: BIG_TO }));
    let most = 0;
    await until(
      'all done',
      async () => {
        const states = await jobStates(inst.db);
        most = Math.max(most, states.filter((s) => s === 'running').length);
        return states.every((s) => s === 'done');
      },
      60_000,
    );
    expect(most).toBe(2);
    for (const id of ids) expect((await status(id)).rowsWritten).toBe(20_000);
  }, 90_000);

  it('forgets expired jobs and removes their files', async () => {
    const r = runner('a');
    const jobId = await queue('small', { type: 'total' });
    await until('done', async () => (await status(jobId)).state === 'done');
    expect(files()).toHaveLength(1);
    await expireJob(inst.db, jobId);
    expect((await req(`/api/exports/${jobId}/status`)).status).toBe(404);
    expect((await req(`/api/exports/${jobId}/download`)).status).toBe(404);
    r.wake();
    await until('file removed', async () => files().length === 0);
    expect(await jobExists(inst.db, jobId)).toBe(false);
  });

  it('sets the expiry EXPORT_TTL_HOURS ahead', async () => {
    const jobId = await queue('small', { type: 'total' });
    const s = await status(jobId);
    const hours = (Date.parse(s.expiresAt) - Date.parse(s.createdAt)) / 3_600_000;
    expect(hours).toBeCloseTo(inst.config.EXPORT_TTL_HOURS, 3);
  });

  it("waits for a CSV slot while downloads hold them all, then runs (exports never take the API's connections)", async () => {
    const held = Array.from({ length: inst.config.CSV_MAX_CONCURRENT }, () => inst.csvBudget.tryTake()!);
    const r = startExportRunner({
      config: inst.config,
      db: inst.db,
      instanceId: 'budget',
      csvBudget: inst.csvBudget,
      pollMs: 50,
      heartbeatMs: 20,
    });
    runners.push(r);
    const jobId = await queue('small', { type: 'total', from: '2024-05-01T10:00:00Z', to: '2024-05-01T10:50:00Z' });
    await until('running', async () => (await status(jobId)).state === 'running');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await status(jobId)).toMatchObject({ state: 'running', rowsWritten: 0 });
    expect(inst.csvBudget.active).toBe(inst.config.CSV_MAX_CONCURRENT);
    held.forEach((release) => release());
    await until('done', async () => (await status(jobId)).state === 'done');
    expect(await status(jobId)).toMatchObject({ rowsWritten: 300 });
    expect(inst.csvBudget.active).toBe(0);
  });
});
