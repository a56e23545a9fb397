// PostgreSQL unreachable (issue 13, defect 6): a real server process answers 503 with Retry-After and
// {error:{code,message}} within 2 s while the database black-holes or refuses connections, and the same
// process answers 200 again once the database is back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEvent } from './events/queries.ts';
import { openTestDb, type TestDb } from './testing/test-db.ts';
import { runServer, type ServerProcess } from './testing/server-process.ts';
import { startTcpProxy, type TcpProxy } from './testing/tcp-proxy.ts';

describe.runIf(process.env.TEST_DATABASE_URL)('PostgreSQL unreachable', () => {
  let t: TestDb;
  let proxy: TcpProxy;
  let server: ServerProcess;
  const dataDir = mkdtempSync(join(tmpdir(), 'lp-unreachable-'));

  beforeAll(async () => {
    t = await openTestDb('postgres');
    await insertEvent(t.db, { id: 'E', name: 'E', public: true, startsAt: null, endsAt: null, embedKey: 'k' });
    const target = new URL(t.url!);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const viaProxy = new URL(t.url!);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    server = await runServer({
      DATABASE_URL: viaProxy.toString(),
      DATA_DIR: dataDir,
      ADMIN_PASSWORD: 'unreachable-test-password',
      AUTH_SECRET: 'unreachable-test-secret-0123456789abcdefgh',
    });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await proxy?.close();
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const timed = async (path: string) => {
    const started = performance.now();
    const res = await fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(20_000) });
    return { res, ms: performance.now() - started, body: await res.json() };
  };

  it('answers 503 within 2 s while the database is gone, and 200 from the same process once it is back', async () => {
    expect((await timed('/api/events/E/history')).res.status).toBe(200);

    for (const cut of ['blackhole', 'stop'] as const) {
      if (cut === 'blackhole') proxy.blackhole();
      else await proxy.stop();
      for (const path of ['/api/events/E/history', '/api/events/E/history', '/api/health', '/api/events/E/history.csv']) {
        const { res, ms, body } = await timed(path);
        expect({ cut, path, status: res.status, code: body.error?.code ?? body.status }).toEqual({
          cut,
          path,
          status: 503,
          code: path === '/api/health' ? 'degraded' : 'db_unavailable',
        });
        if (path !== '/api/health') {
          expect(res.headers.get('retry-after')).toBe('5');
          expect(body.error.message).toMatch(/database/);
        }
        expect(ms).toBeLessThan(2000);
      }
    }

    await proxy.pass();
    let back = 0;
    for (let i = 0; i < 20 && back !== 200; i++) {
      const { res, ms } = await timed('/api/events/E/history');
      expect(ms).toBeLessThan(2000);
      back = res.status;
      if (back !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    expect(back).toBe(200);
    expect(server.child.exitCode).toBeNull();
    expect((await timed('/api/health')).res.status).toBe(200);
  }, 120_000);
});
