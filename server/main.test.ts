import { mkdtempSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
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

    // Something to find again: log in and create an event.
    const password = /Password: (\S+)/.exec(first.output())![1];
    const login = await fetch(`${first.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: first.url },
      body: JSON.stringify({ password }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0];
    const admin = { cookie, origin: first.url, 'content-type': 'application/json' };
    const created = await fetch(`${first.url}/api/events`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ name: 'Kept across restarts' }),
    });
    expect(created.status).toBe(201);

    expect(await first.stop('SIGTERM')).toBe(0);

    const again = await runServer({ DATA_DIR: dataDir });
    expect(again.output()).not.toMatch(/First run/);
    const events = await (await fetch(`${again.url}/api/events`, { headers: { ...admin, origin: again.url } })).json();
    expect(events.map((e: { name: string }) => e.name)).toEqual(['Kept across restarts']);
    expect(await again.stop('SIGINT')).toBe(0);
  }, 120_000);

  it('shows the generated password on the next start when the first start failed after writing it, then says where it is', async () => {
    const dataDir = tempDir();
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = String((busy.address() as AddressInfo).port);
    const failed = await runServer({ DATA_DIR: dataDir, PORT: port }, { waitForReady: false });
    expect(await failed.exited).toBe(1);
    busy.close();
    const stored = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as { ADMIN_PASSWORD: string };

    const next = await runServer({ DATA_DIR: dataDir }, { timeoutMs: 90_000 });
    expect(next.output()).toContain(`Password: ${stored.ADMIN_PASSWORD}`);
    expect(next.output()).toMatch(/Log in: +http:\/\/\S+\/api\/auth\/magic\?token=/);
    expect(await next.stop()).toBe(0);

    // Shown in full once; from then on every start says exactly where to read it.
    const later = await runServer({ DATA_DIR: dataDir }, { timeoutMs: 90_000 });
    expect(later.output()).not.toContain(stored.ADMIN_PASSWORD);
    expect(later.output()).toContain(
      `Admin password: "ADMIN_PASSWORD" in ${join(realpathSync(dataDir), 'secrets.json')}`,
    );
    expect(await later.stop()).toBe(0);
  }, 240_000);

  it('on SIGTERM tells live clients to come back later, closes them and exits 0 within 5 s', async () => {
    const p = await runServer({ DATA_DIR: tempDir(), YT_SIMULATOR: '1', POLL_INTERVAL_SECONDS: '2' });
    const res = await fetch(`${p.url}/api/events/demo/stream`);
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('event: sample')) text += new TextDecoder().decode((await reader.read()).value);
    const started = Date.now();
    p.child.kill('SIGTERM');
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      text += new TextDecoder().decode(chunk.value);
    expect(text).toMatch(/retry: 2000\n\nevent: status\ndata: \{"state":"shutting_down"/);
    expect(await p.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('answers 431 to a 16 kB header or a 200 kB cookie, and keeps serving', async () => {
    const p = await runServer({ DATA_DIR: tempDir() });
    const { hostname, port } = new URL(p.url);
    // The head goes out in 4 kB pieces, and writing stops at the first byte of the answer: Node answers
    // 431 and closes once the head passes its limit, and bytes still arriving after that make the kernel
    // reset the connection, which can discard the 431 before it is read (a read ECONNRESET in CI).
    const statusLine = (header: string) =>
      new Promise<string>((resolve, reject) => {
        const head = Buffer.from(`GET /api/health HTTP/1.1\r\nHost: ${hostname}\r\n${header}\r\n\r\n`, 'latin1');
        let got = '';
        const socket = connect(Number(port), hostname, () => {
          let at = 0;
          const next = () => {
            if (got || at >= head.length || socket.destroyed) return;
            const piece = head.subarray(at, (at += 4096));
            if (socket.write(piece)) setTimeout(next, 1);
            else socket.once('drain', next);
          };
          next();
        });
        socket.on('data', (d) => (got += d.toString('latin1')));
        // A reset after the answer arrived is the server closing as it should; before it, a failure.
        socket.on('error', (err) => (got ? resolve(got.split('\r\n')[0]) : reject(err)));
        socket.on('close', () => resolve(got.split('\r\n')[0]));
      });
    try {
      expect(await statusLine(`X-Pad: ${'a'.repeat(16 * 1024)}`)).toBe('HTTP/1.1 431 Request Header Fields Too Large');
      expect(await statusLine(`Cookie: lp_session=${'b'.repeat(200 * 1024)}`)).toBe(
        'HTTP/1.1 431 Request Header Fields Too Large',
      );
      expect((await fetch(`${p.url}/api/health`)).status).toBe(200);
    } finally {
      expect(await p.stop()).toBe(0);
    }
  });

  it.runIf(process.env.TEST_DATABASE_URL)('runs on a PostgreSQL server when DATABASE_URL is set', async () => {
    const p = await runServer({ DATA_DIR: tempDir(), DATABASE_URL: process.env.TEST_DATABASE_URL! });
    expect(await (await fetch(`${p.url}/api/health`)).json()).toMatchObject({ db: 'postgres' });
    expect(await p.stop()).toBe(0);
  });
});
