import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runServer } from './testing/server-process.ts';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'lp-main-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the server process', () => {
  it('exits 2 naming each wrong variable, without a stack trace', async () => {
    const p = await runServer({ PORT: 'abc', AUTH_SECRET: 'short', DATA_DIR: tempDir() }, { waitForReady: false });
    expect(await p.exited).toBe(2);
    expect(p.output()).toMatch(/PORT="abc": expected a whole number/);
    expect(p.output()).toMatch(/AUTH_SECRET=\(hidden\): expected at least 32 characters/);
    expect(p.output()).not.toMatch(/at .*\.ts:\d+/);
  });

  it('starts on the embedded database, keeps generated secrets private, stops on SIGTERM with 0, and restarts on the same data', async () => {
    const dataDir = tempDir();
    const first = await runServer({ DATA_DIR: dataDir });
    const health = await (await fetch(`${first.url}/api/health`)).json();
    expect(health).toMatchObject({ status: 'ok', db: 'embedded' });
    expect(first.output()).toMatch(/First run: generated an admin password/);
    expect(statSync(join(dataDir, 'secrets.json')).mode & 0o077).toBe(0);

    // A second instance on the same directory is refused instead of corrupting it.
    const second = await runServer({ DATA_DIR: dataDir }, { waitForReady: false });
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/in use by process \d+.*one instance only/s);

    expect(await first.stop('SIGTERM')).toBe(0);

    const again = await runServer({ DATA_DIR: dataDir });
    expect(again.output()).not.toMatch(/First run/);
    expect(await again.stop('SIGINT')).toBe(0);
  });

  it.runIf(process.env.TEST_DATABASE_URL)('runs on a PostgreSQL server when DATABASE_URL is set', async () => {
    const p = await runServer({ DATA_DIR: tempDir(), DATABASE_URL: process.env.TEST_DATABASE_URL! });
    expect(await (await fetch(`${p.url}/api/health`)).json()).toMatchObject({ db: 'postgres' });
    expect(await p.stop()).toBe(0);
  });
});
