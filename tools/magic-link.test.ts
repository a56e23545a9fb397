import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runServer, type ServerProcess } from '../server/testing/server-process.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const run = promisify(execFile);

function magicLink(env: Record<string, string>, ...args: string[]) {
  return run('npm', ['run', '-s', 'magic-link', '--', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const printedLink = (stdout: string) => /^\s+(http:\/\/\S+\/api\/auth\/magic\?token=\S+)$/m.exec(stdout)?.[1];

describe('npm run magic-link on a fresh clone', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lp-magic-'));
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses, creating nothing, to sign with secrets the server does not have', async () => {
    const error = await magicLink({ DATA_DIR: dataDir }).catch((e) => e);
    expect(error.code).toBe(1);
    expect(error.stderr).toContain(
      `No ADMIN_PASSWORD and no AUTH_SECRET: neither in the environment nor in ${join(dataDir, 'secrets.json')}`,
    );
    expect(error.stdout).not.toMatch(/http/);
    expect(existsSync(join(dataDir, 'secrets.json'))).toBe(false);
  });

  it('prints links that sign in to the server of the same DATA_DIR', async () => {
    const port = String(await freePort());
    const base = `http://127.0.0.1:${port}`;
    server = await runServer({ DATA_DIR: dataDir, PORT: port }, { timeoutMs: 90_000 });
    expect(server.output()).toMatch(/First run/);
    const reusable = await magicLink({ DATA_DIR: dataDir }, '--base-url', base);
    expect(reusable.stderr).toBe('');
    const link = printedLink(reusable.stdout)!;
    expect(link).toMatch(new RegExp(`^${base}/api/auth/magic\\?token=`));
    const token = new URL(link).searchParams.get('token')!;
    expect(reusable.stdout).toContain(`Token: ${token}`);
    const once = printedLink(
      (await magicLink({ DATA_DIR: dataDir }, '--base-url', base, '--once', '--ttl', '15m')).stdout,
    )!;

    for (let use = 0; use < 2; use++) {
      const res = await fetch(link, { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/admin');
      const cookie = res.headers.get('set-cookie')!.split(';')[0];
      const admin = await fetch(`${base}/admin`, { headers: { cookie }, redirect: 'manual' });
      expect(admin.status).toBe(200);
      expect(await (await fetch(`${base}/api/auth/me`, { headers: { cookie } })).json()).toMatchObject({
        user: 'admin',
      });
    }

    expect((await fetch(once)).status).toBe(200);
    const click = () =>
      fetch(once, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded' },
      });
    expect((await click()).status).toBe(303);
    expect((await click()).status).toBe(410);

    // The server logged those requests, but never the token.
    expect(server.output()).toMatch(/GET \/api\/auth\/magic 302/);
    expect(server.output()).not.toContain(token);
    expect(server.output()).not.toContain(new URL(once).searchParams.get('token')!);
  }, 150_000);

  it('refuses a bad --ttl with exit code 2 and the usage', async () => {
    const error = await magicLink({ DATA_DIR: dataDir }, '--ttl', 'soon').catch((e) => e);
    expect(error.code).toBe(2);
    expect(error.stderr).toMatch(/--ttl: expected a duration/);
    expect(error.stderr).toMatch(/Usage: npm run magic-link/);
  });
});

describe('npm run magic-link while the global login brake holds', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lp-magic-brake-'));
  const env = {
    DATA_DIR: dataDir,
    ADMIN_PASSWORD: 'brake-admin-password',
    AUTH_SECRET: 'brake-auth-secret-0123456789abcdefghijkl',
    TRUST_PROXY: '1',
  };
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('gets the admin in when password logins from everywhere are braked', async () => {
    const port = String(await freePort());
    const base = `http://127.0.0.1:${port}`;
    server = await runServer({ ...env, PORT: port }, { timeoutMs: 60_000 }); // a loaded machine starts slowly
    const login = (address: string, password: string) =>
      fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { origin: base, 'content-type': 'application/json', 'x-forwarded-for': address },
        body: JSON.stringify({ password }),
      });
    // 60 guesses at once from 60 addresses: no address reaches its own limit, the server as a whole is braked.
    const statuses = (
      await Promise.all(Array.from({ length: 60 }, (_, i) => login(`198.51.100.${i}`, `guess-${i}`)))
    ).map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(20);
    expect(statuses.filter((s) => s === 401).length).toBeLessThan(30); // the rest waited: 1 s, doubling every 5 failures
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(30);
    expect((await login('203.0.113.9', env.ADMIN_PASSWORD)).status).toBe(429);

    const link = printedLink((await magicLink(env, '--base-url', base, '--once', '--ttl', '15m')).stdout)!;
    const click = await fetch(link, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'sec-fetch-site': 'same-origin', 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(click.status).toBe(303);
    const cookie = click.headers.get('set-cookie')!.split(';')[0];
    expect(await (await fetch(`${base}/api/auth/me`, { headers: { cookie } })).json()).toMatchObject({ user: 'admin' });
  }, 120_000);
});
