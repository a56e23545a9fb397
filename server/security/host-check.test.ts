import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../auth/testing/test-session.ts';
import { ConfigError, parseConfig } from '../config.ts';
import { engines } from '../testing/test-db.ts';
import { testInstance } from '../testing/test-instance.ts';
import { hostName, hostPolicy } from './host-check.ts';
import { seedEvent } from '../testing/queries.ts';

const policy = (env: Record<string, string> = {}) => hostPolicy(testConfig(env));
const allows = (env: Record<string, string>, host: string) => policy(env)(hostName(host));

describe('host policy', () => {
  it.each([
    ['localhost:3000', true],
    ['LOCALHOST', true],
    ['127.0.0.1', true],
    ['[::1]:3000', true],
    ['192.168.1.20:3000', true], // an IP literal cannot be a rebinding target
    ['[fd00::5]', true],
    ['evil.example', false],
    ['evil.example:3000', false],
    ['localhost.evil.example', false],
    ['127.0.0.1.nip.io', false],
    ['evil.example.', false],
    ['user@localhost', false],
    ['localhost/path', false],
    ['', false],
  ])('without PUBLIC_BASE_URL: %j → %s', (host, ok) => expect(allows({}, host)).toBe(ok));

  it.each([
    ['live.example.org', true],
    ['live.example.org:443', true],
    ['LIVE.example.org.', true],
    ['localhost:3000', true], // the container's health check, a shell on the host
    ['192.168.1.20', false],
    ['other.example.org', false],
    ['example.org', false],
  ])('with PUBLIC_BASE_URL=https://live.example.org: %j → %s', (host, ok) =>
    expect(allows({ PUBLIC_BASE_URL: 'https://live.example.org' }, host)).toBe(ok),
  );

  it('adds ALLOWED_HOSTS and the bound name; * accepts any host', () => {
    expect(allows({ ALLOWED_HOSTS: 'pulse.lan, Stage.Example.org:8080' }, 'pulse.lan:3000')).toBe(true);
    expect(allows({ ALLOWED_HOSTS: 'pulse.lan, Stage.Example.org:8080' }, 'stage.example.org')).toBe(true);
    expect(allows({ ALLOWED_HOSTS: 'pulse.lan' }, 'evil.example')).toBe(false);
    expect(allows({ HOST: 'box.lan' }, 'box.lan:3000')).toBe(true);
    expect(allows({ HOST: '0.0.0.0' }, 'evil.example')).toBe(false);
    expect(allows({ ALLOWED_HOSTS: '*' }, 'anything.example')).toBe(true);
    expect(
      allows({ PUBLIC_BASE_URL: 'https://live.example.org', ALLOWED_HOSTS: 'live2.example.org' }, 'live2.example.org'),
    ).toBe(true);
  });

  it.each(['http://x.example', 'a b', 'x/y', 'host:port', 'ok.example,bad host'])(
    'refuses ALLOWED_HOSTS=%j at start',
    (value) => {
      expect(() => parseConfig({ ALLOWED_HOSTS: value })).toThrow(ConfigError);
    },
  );
});

describe.each(engines)('host check in the app on %s', (engine) => {
  let inst: Awaited<ReturnType<typeof testInstance>>;
  let proxied: Awaited<ReturnType<typeof testInstance>>;
  beforeAll(async () => {
    inst = await testInstance(engine, { listen: true });
    await seedEvent(inst.db, 'E1', []);
    proxied = await testInstance(engine, { env: { TRUST_PROXY: '1', PUBLIC_BASE_URL: 'https://live.example.org' } });
  });
  afterAll(async () => {
    await inst.close();
    await proxied.close();
  });

  /** A raw HTTP/1.1 request with any Host header, as a browser on a rebinding page sends it. */
  const raw = (
    path: string,
    host: string,
    o: { method?: string; headers?: Record<string, string>; body?: string } = {},
  ) =>
    new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const { port } = new URL(inst.url);
      const req = request(
        { host: '127.0.0.1', port, path, method: o.method ?? 'GET', headers: { host, ...o.headers } },
        (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          // SSE never ends by itself: the first chunk is enough.
          if (res.headers['content-type']?.startsWith('text/event-stream')) {
            res.once(
              'data',
              () => (res.destroy(), resolve({ status: res.statusCode!, type: res.headers['content-type']!, body })),
            );
          }
          res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body }));
        },
      );
      req.on('error', reject);
      req.end(o.body);
    });

  it.each([
    '/api/health',
    '/api/events/E1/stream',
    '/api/events/E1/history',
    '/login',
    '/widget/livepulse.js',
    '/event/E1/dashboard',
  ])('a rebinding page (Host: evil.example) gets 421 JSON on %s; the loopback address is served', async (path) => {
    const evil = await raw(path, `evil.example:${new URL(inst.url).port}`);
    expect(evil.status).toBe(421);
    expect(evil.type).toMatch(/^application\/json/);
    expect(JSON.parse(evil.body).error.code).toBe('host_not_allowed');
    const local = await raw(path, new URL(inst.url).host);
    expect(local.status).not.toBe(421);
  });

  it('a rebinding page cannot reach the login, though its Origin matches its Host', async () => {
    const host = `evil.example:${new URL(inst.url).port}`;
    const res = await raw('/api/auth/login', host, {
      method: 'POST',
      headers: { origin: `http://${host}`, 'content-type': 'application/json' },
      body: JSON.stringify({ password: 'a-guess-from-the-page' }),
    });
    expect(res.status).toBe(421);
  });

  it('behind TRUST_PROXY the forwarded host is the one checked; tests on http://localhost keep working', async () => {
    const get = (headers: Record<string, string>) => proxied.app.request('http://localhost/api/health', { headers });
    expect((await get({})).status).toBe(200);
    expect((await get({ 'x-forwarded-host': 'live.example.org' })).status).toBe(200);
    expect((await get({ 'x-forwarded-host': 'evil.example' })).status).toBe(421);
    // Without TRUST_PROXY, a forwarded header is anyone's claim and not looked at.
    expect(
      (await inst.app.request('http://localhost/api/health', { headers: { 'x-forwarded-host': 'evil.example' } }))
        .status,
    ).toBe(200);
    expect((await inst.app.request('http://evil.example/api/health')).status).toBe(421);
  });
});
