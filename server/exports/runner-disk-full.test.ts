import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { adminHeaders } from '../auth/testing/test-session.ts';
import { seedEvent, seedTicks } from '../testing/queries.ts';
import { engines } from '../testing/test-db.ts';
import { testInstance } from '../testing/test-instance.ts';
import type { ExportStatus } from '../wire.ts';
import { exportsDir, startExportRunner } from './runner.ts';

// The disk fills up after the first write of the next export file: the real file is created and
// partly written, then every write fails as a full disk does.
const disk = vi.hoisted(() => ({ full: false }));
vi.mock('node:fs', async (original) => {
  const real = await original<typeof fs>();
  return {
    ...real,
    createWriteStream: (path: fs.PathLike, options?: Parameters<typeof real.createWriteStream>[1]) => {
      const stream = real.createWriteStream(path, options);
      if (!disk.full) return stream;
      let writes = 0;
      const write = stream._write.bind(stream);
      const noSpace = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      stream._write = (chunk, encoding, callback) =>
        writes++ === 0 ? write(chunk, encoding, callback) : callback(noSpace());
      stream._writev = (_chunks, callback) => callback(noSpace());
      return stream;
    },
  };
});

describe.each(engines)('an export on a full disk on %s', (engine) => {
  let inst: Awaited<ReturnType<typeof testInstance>>;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'livepulse-full-'));
    inst = await testInstance(engine, { env: { DATA_DIR: dataDir } });
    await seedEvent(
      inst.db,
      'ev',
      Array.from({ length: 10 }, (_, i) => ({ id: `s${i}` })),
    );
    await seedTicks(inst.db, 'ev', new Date('2024-05-01T00:00:00Z'), 10_000, 10);
  }, 60_000);
  afterAll(async () => {
    await inst?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('fails with storage_full, removes the partial file, and the next export works once space is back', async () => {
    const headers = await adminHeaders(inst.config);
    const runner = startExportRunner({
      config: inst.config,
      db: inst.db,
      instanceId: 'a',
      pollMs: 50,
      heartbeatMs: 20,
    });
    const queue = async () => {
      const res = await inst.app.request('http://localhost/api/events/ev/export', {
        method: 'POST',
        headers,
        body: JSON.stringify({ type: 'streams', from: '2024-05-01T00:00:00Z', to: '2024-05-02T04:00:00Z' }),
      });
      return ((await res.json()) as { jobId: string }).jobId;
    };
    const settled = async (jobId: string) => {
      for (;;) {
        const s = (await (
          await inst.app.request(`http://localhost/api/exports/${jobId}/status`, { headers })
        ).json()) as ExportStatus;
        if (s.state === 'done' || s.state === 'failed') return s;
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    try {
      disk.full = true;
      const failed = await settled(await queue());
      expect(failed).toMatchObject({ state: 'failed', error: 'storage_full' });
      expect(readdirSync(exportsDir(inst.config))).toEqual([]);

      disk.full = false;
      const done = await settled(await queue());
      expect(done).toMatchObject({ state: 'done', rowsWritten: 100_000 });
    } finally {
      await runner.stop();
    }
  });
});
