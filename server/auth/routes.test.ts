import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findSecrets, responseHaystack, type Haystack } from '../security/testing/secret-scan.ts';
import { engines } from '../testing/test-db.ts';
import { signMagicLink } from './magic-link.ts';
import { authTestApp } from './testing/test-app.ts';
import { TEST_ADMIN_PASSWORD, TEST_AUTH_SECRET } from './testing/test-session.ts';
import { GLOBAL_FREE_FAILURES, globalDelayMs, WINDOW_MS } from './login-throttle.ts';
import { testInstance } from '../testing/test-instance.ts';
import { clearLoginFailures, spentIdCount } from '../testing/queries.ts';

const ORIGIN = 'http://localhost';
const json = { origin: ORIGIN, 'content-type': 'application/json' };

describe.each(engines)('sign-in routes on %s', (engine) => {
  let t: Awaited<ReturnType<typeof authTestApp>>;
  beforeAll(async () => {
    t = await authTestApp(engine);
  });
  afterAll(() => t.close());
  beforeEach(() => clearLoginFailures(t.db));

  const login = async (password: unknown, headers: Record<string, string> = json, app = t.app) =>
    await app.request('http://localhost/api/auth/login', {
      method: 'POST',
      headers,
      body: JSON.stringify({ password }),
    });
  const cookieOf = (res: Response) => /lp_session=([^;]*)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  const me = async (cookie?: string) =>
    (
      await t.app.request('http://localhost/api/auth/me', { headers: cookie ? { cookie: `lp_session=${cookie}` } : {} })
    ).json();

  describe('password login', () => {
    it('sets an HttpOnly, SameSite=Lax, Path=/ session cookie for SESSION_TTL, without Secure over plain HTTP', async () => {
      const res = await login(TEST_ADMIN_PASSWORD);
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.user).toBe('admin');
      expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(7 * 86400_000 - 10_000);
      const cookie = res.headers.get('set-cookie')!;
      expect(cookie).toMatch(/^lp_session=[\w-]+\.[\w-]+\.[\w-]+; Max-Age=604800; Path=\/; HttpOnly; SameSite=Lax$/);
      expect(await me(cookieOf(res))).toEqual({ user: 'admin', expiresAt: body.expiresAt });
      expect(await me()).toEqual({ user: null, expiresAt: null });
    });

    it('adds Secure on HTTPS, and trusts X-Forwarded-Proto only with TRUST_PROXY=1', async () => {
      const direct = await t.app.request('https://localhost/api/auth/login', {
        method: 'POST',
        headers: { ...json, origin: 'https://localhost' },
        body: JSON.stringify({ password: TEST_ADMIN_PASSWORD }),
      });
      expect(direct.headers.get('set-cookie')).toMatch(/; Secure;/);

      const forged = await login(TEST_ADMIN_PASSWORD, { ...json, 'x-forwarded-proto': 'https' });
      expect(forged.status).toBe(200);
      expect(forged.headers.get('set-cookie')).not.toMatch(/Secure/);

      const proxied = await authTestApp(engine, { TRUST_PROXY: '1', SESSION_TTL: '8h' });
      try {
        const behind = await login(
          TEST_ADMIN_PASSWORD,
          { ...json, origin: 'https://localhost', 'x-forwarded-proto': 'https' },
          proxied.app,
        );
        expect(behind.status).toBe(200);
        expect(behind.headers.get('set-cookie')).toMatch(
          /^lp_session=[^;]+; Max-Age=28800; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
        );
        const plain = await login(TEST_ADMIN_PASSWORD, { ...json, 'x-forwarded-proto': 'http' }, proxied.app);
        expect(plain.headers.get('set-cookie')).not.toMatch(/Secure/);
      } finally {
        await proxied.close();
      }
    });

    it('refuses a wrong password with a generic 401 and no cookie', async () => {
      const res = await login('wrong-password-1234');
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ error: { code: 'invalid_credentials', message: 'Wrong password' } });
      expect(res.headers.get('set-cookie')).toBeNull();
      expect((await login(TEST_ADMIN_PASSWORD.slice(0, -1))).status).toBe(401);
      expect((await login(TEST_ADMIN_PASSWORD + 'x')).status).toBe(401);
    });

    it.each([
      ['no password', {}],
      ['a number', { password: 12 }],
      ['an empty password', { password: '' }],
      ['a 2 kB password', { password: 'x'.repeat(2000) }],
    ])('answers 400 for %s', async (_name, body) => {
      const res = await t.app.request('http://localhost/api/auth/login', {
        method: 'POST',
        headers: json,
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({ code: 'validation_error', field: 'password' });
    });

    it('answers 413 with a JSON error for a 1 MB body, and for a chunked one without Content-Length', async () => {
      const big = JSON.stringify({ password: 'x'.repeat(1 << 20) });
      const res = await t.app.request('http://localhost/api/auth/login', { method: 'POST', headers: json, body: big });
      expect(res.status).toBe(413);
      expect((await res.json()).error.code).toBe('payload_too_large');
      const stream = new ReadableStream({
        start(controller) {
          for (let i = 0; i < 64; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(1024)));
          controller.close();
        },
      });
      const chunked = await t.app.request('http://localhost/api/auth/login', {
        method: 'POST',
        headers: json,
        body: stream,
        duplex: 'half',
      } as RequestInit);
      expect(chunked.status).toBe(413);
    });

    it.each([
      ['cross-origin', { origin: 'https://evil.example', 'content-type': 'application/json' }],
      ['without Origin', { 'content-type': 'application/json' }],
      ['as a form post', { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }],
    ])('refuses a login sent %s with 403 csrf_rejected, even with the right password', async (_name, headers) => {
      const res = await login(TEST_ADMIN_PASSWORD, headers);
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe('csrf_rejected');
      expect(res.headers.get('set-cookie')).toBeNull();
    });
  });

  describe('brute-force brake', () => {
    it('answers 429 with Retry-After after 5 failures in 15 minutes, even to the right password, until the window passes', async () => {
      t.clock.now = new Date('2030-01-01T00:00:00Z');
      for (let i = 0; i < 5; i++) {
        expect((await login(`wrong-${i}`)).status).toBe(401);
        t.clock.now = new Date(t.clock.now.getTime() + 60_000);
      }
      // Now 00:05; the first failure (00:00) leaves the window at 00:15.
      const blocked = await login(TEST_ADMIN_PASSWORD);
      expect(blocked.status).toBe(429);
      expect(blocked.headers.get('retry-after')).toBe(String(10 * 60));
      expect((await blocked.json()).error).toEqual({
        code: 'rate_limited',
        message:
          'Too many failed logins from your address: try again in 10 minutes, or sign in with a link from npm run magic-link on the server',
      });

      t.clock.now = new Date('2030-01-01T00:14:59Z');
      const stillBlocked = await login('wrong-again');
      expect(stillBlocked.status).toBe(429);
      expect(stillBlocked.headers.get('retry-after')).toBe('1');

      t.clock.now = new Date('2030-01-01T00:15:01Z');
      const after = await login(TEST_ADMIN_PASSWORD);
      expect(after.status).toBe(200);
    });

    it('clears the count on success', async () => {
      t.clock.now = new Date('2030-02-01T00:00:00Z');
      for (let i = 0; i < 4; i++) expect((await login(`wrong-${i}`)).status).toBe(401);
      expect((await login(TEST_ADMIN_PASSWORD)).status).toBe(200);
      for (let i = 0; i < 4; i++) expect((await login(`wrong-${i}`)).status).toBe(401);
      expect((await login(TEST_ADMIN_PASSWORD)).status).toBe(200);
    });

    it('lets no more than 5 of 20 parallel guesses be checked', async () => {
      t.clock.now = new Date('2030-03-01T00:00:00Z');
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => login(`parallel-${i}`)));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses.filter((s) => s === 401)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    });

    it('counts per address: behind TRUST_PROXY the hop the proxy appended, not what the client claimed', async () => {
      const proxied = await authTestApp(engine, { TRUST_PROXY: '1' });
      try {
        proxied.clock.now = new Date('2030-04-01T00:00:00Z');
        const from = (xff: string, password = 'wrong-pass') =>
          login(password, { ...json, 'x-forwarded-for': xff }, proxied.app);
        // The attacker varies the first hop; the proxy's appended hop stays 203.0.113.7.
        for (let i = 0; i < 5; i++) expect((await from(`10.0.0.${i}, 203.0.113.7`)).status).toBe(401);
        expect((await from('10.9.9.9, 203.0.113.7')).status).toBe(429);
        expect((await from('198.51.100.2', TEST_ADMIN_PASSWORD)).status).toBe(200);
      } finally {
        await proxied.close();
      }
    });
  });

  describe('global brake', () => {
    it('brakes 300 logins from 50 addresses (20 checked, not 250), grows with failures, and a magic link still signs in', async () => {
      const proxied = await authTestApp(engine, { TRUST_PROXY: '1' });
      try {
        proxied.clock.now = new Date('2030-05-01T00:00:00Z');
        const from = (address: number, password = 'a-guess') =>
          login(password, { ...json, 'x-forwarded-for': `198.51.100.${address}` }, proxied.app);
        const results = await Promise.all(Array.from({ length: 300 }, (_, i) => from(i % 50, `guess-${i}`)));
        const statuses = results.map((r) => r.status);
        expect(statuses.filter((s) => s === 401)).toHaveLength(GLOBAL_FREE_FAILURES);
        expect(statuses.filter((s) => s === 429)).toHaveLength(300 - GLOBAL_FREE_FAILURES);

        // The right password from an address never seen is braked too: a braked attempt checks nothing.
        const admin = await from(250, TEST_ADMIN_PASSWORD);
        expect(admin.status).toBe(429);
        expect(admin.headers.get('retry-after')).toBe('1');
        expect((await admin.json()).error.message).toContain('npm run magic-link');
        expect(admin.headers.get('set-cookie')).toBeNull();

        // What `npm run magic-link` prints still signs the admin in while the brake holds.
        const { token } = await signMagicLink(proxied.config);
        const magic = await proxied.app.request(`http://localhost/api/auth/magic?token=${encodeURIComponent(token)}`);
        expect(magic.status).toBe(302);
        expect(magic.headers.get('location')).toBe('/admin');
        const session = /lp_session=([^;]+)/.exec(magic.headers.get('set-cookie') ?? '')![1];
        expect(
          (await proxied.app.request('http://localhost/test/admin', { headers: { cookie: `lp_session=${session}` } }))
            .status,
        ).toBe(200);

        // Each wait lets one more guess through, and the wait doubles every 5 failures.
        const waits: number[] = [];
        for (let k = 0; k < 15; k++) {
          const braked = await from(100 + k);
          expect(braked.status).toBe(429);
          const wait = Number(braked.headers.get('retry-after'));
          waits.push(wait);
          proxied.clock.now = new Date(proxied.clock.now.getTime() + wait * 1000);
          expect((await from(100 + k)).status).toBe(401);
        }
        expect(waits).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 4, 4, 4, 4, 4]);

        // Once the failures leave the 15-minute window the password works again.
        proxied.clock.now = new Date(proxied.clock.now.getTime() + WINDOW_MS);
        expect((await from(251, TEST_ADMIN_PASSWORD)).status).toBe(200);
      } finally {
        await proxied.close();
      }
    });

    it('caps the wait at 5 minutes', () => {
      expect([0, 19, 20, 24, 25, 30, 60, 1000].map(globalDelayMs)).toEqual([
        0, 0, 1000, 1000, 2000, 4000, 256_000, 300_000,
      ]);
    });

    it.runIf(engine === 'postgres')('holds across instances: failures on one brake logins on another', async () => {
      const now = () => new Date('2030-06-01T00:00:00Z');
      const a = await testInstance(engine, { env: { TRUST_PROXY: '1' }, now });
      const b = await testInstance(engine, { env: { TRUST_PROXY: '1' }, now, sharedDbUrl: a.dbUrl });
      try {
        const on = (inst: typeof a, address: number) =>
          login('a-guess', { ...json, 'x-forwarded-for': `192.0.2.${address}` }, inst.app);
        for (let i = 0; i < GLOBAL_FREE_FAILURES; i++) expect((await on(a, i)).status).toBe(401);
        const braked = await on(b, 99);
        expect(braked.status).toBe(429);
        expect(braked.headers.get('retry-after')).toBe('1');
      } finally {
        await b.close();
        await a.close();
      }
    });
  });

  describe('logout', () => {
    it('ends the session server-side: the old cookie no longer works anywhere', async () => {
      const session = cookieOf(await login(TEST_ADMIN_PASSWORD))!;
      const cookie = `lp_session=${session}`;
      expect((await t.app.request('http://localhost/test/admin', { headers: { cookie } })).status).toBe(200);
      const out = await t.app.request('http://localhost/api/auth/logout', {
        method: 'POST',
        headers: { ...json, cookie },
      });
      expect(out.status).toBe(204);
      expect(out.headers.get('set-cookie')).toMatch(/^lp_session=; Max-Age=0; Path=\//);
      expect((await t.app.request('http://localhost/test/admin', { headers: { cookie } })).status).toBe(401);
      expect(await me(session)).toEqual({ user: null, expiresAt: null });
      expect(await spentIdCount(t.db)).toBeGreaterThanOrEqual(1);
    });

    it('refuses a cross-site logout', async () => {
      const session = cookieOf(await login(TEST_ADMIN_PASSWORD))!;
      const res = await t.app.request('http://localhost/api/auth/logout', {
        method: 'POST',
        headers: { origin: 'https://evil.example', 'content-type': 'text/plain', cookie: `lp_session=${session}` },
      });
      expect(res.status).toBe(403);
      expect((await me(session)).user).toBe('admin');
    });
  });

  describe('pages', () => {
    it('serves /login as HTML whose only script is same-origin, and the script itself', async () => {
      const res = await t.app.request('http://localhost/login');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      const html = await res.text();
      expect(html).toMatch(/<script type="module" src="\/login.js"><\/script>/);
      expect(html.match(/<script/g)).toHaveLength(1);
      expect(html).not.toMatch(/https?:\/\//);
      const js = await t.app.request('http://localhost/login.js');
      expect(js.headers.get('content-type')).toMatch(/text\/javascript/);
      expect(await js.text()).toMatch(/fetch\('\/api\/auth\/login'/);
    });

    it('sends /admin without a session to /login', async () => {
      const res = await t.app.request('http://localhost/admin');
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('/login');
    });
  });

  it('never sends the password or the auth secret back, whatever the outcome', async () => {
    t.clock.now = new Date('2030-05-01T00:00:00Z');
    const seen: Haystack[] = [];
    const keep = async (where: string, res: Response | Promise<Response>) =>
      seen.push(await responseHaystack(where, await res));
    await keep('login page', t.app.request('http://localhost/login'));
    await keep('login script', t.app.request('http://localhost/login.js'));
    for (let i = 0; i < 6; i++) await keep(`wrong login ${i}`, login(TEST_ADMIN_PASSWORD + i));
    await clearLoginFailures(t.db);
    const ok = await login(TEST_ADMIN_PASSWORD);
    const cookie = ok.headers.get('set-cookie')!.split(';')[0];
    await keep('login', ok);
    await keep('me', t.app.request('http://localhost/api/auth/me', { headers: { cookie } }));
    await keep('admin', t.app.request('http://localhost/admin', { headers: { cookie } }));
    await keep(
      'bad json',
      t.app.request('http://localhost/api/auth/login', {
        method: 'POST',
        headers: json,
        body: `{"password": "${TEST_ADMIN_PASSWORD}`,
      }),
    );
    await keep(
      'magic',
      t.app.request(`http://localhost/api/auth/magic?token=${(await signMagicLink(t.config)).token}`),
    );
    await keep(
      'logout',
      t.app.request('http://localhost/api/auth/logout', { method: 'POST', headers: { ...json, cookie } }),
    );
    expect(seen.length).toBe(14);
    expect(findSecrets(seen, { ADMIN_PASSWORD: TEST_ADMIN_PASSWORD, AUTH_SECRET: TEST_AUTH_SECRET })).toEqual([]);
  });

  describe('magic links', () => {
    const open = (token: string, init: RequestInit = {}) =>
      t.app.request(`http://localhost/api/auth/magic?token=${encodeURIComponent(token)}`, init);
    const confirm = (
      token: string,
      headers: Record<string, string> = {
        'sec-fetch-site': 'same-origin',
        'content-type': 'application/x-www-form-urlencoded',
      },
    ) => Promise.resolve(open(token, { method: 'POST', headers }));

    it('signs in with a reusable link: 302 to /admin with the session cookie, and /admin is then really logged in', async () => {
      const { token } = await signMagicLink(t.config);
      for (let use = 0; use < 2; use++) {
        const res = await open(token);
        expect(res.status).toBe(302);
        expect(res.headers.get('location')).toBe('/admin');
        expect(res.headers.get('referrer-policy')).toBe('no-referrer');
        expect(res.headers.get('set-cookie')).toMatch(
          /^lp_session=[^;]+; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/,
        );
        const admin = await t.app.request('http://localhost/admin', {
          headers: { cookie: `lp_session=${cookieOf(res)}` },
        });
        expect(admin.status).toBe(200);
        expect(await admin.text()).toMatch(/<livepulse-admin>/);
        expect(
          (await t.app.request('http://localhost/test/admin', { headers: { cookie: `lp_session=${cookieOf(res)}` } }))
            .status,
        ).toBe(200);
      }
    });

    it('asks for one click before spending a single-use link, and 20 parallel clicks yield exactly one session', async () => {
      const { token } = await signMagicLink(t.config, { once: true });
      const page = await open(token);
      expect(page.status).toBe(200);
      expect(page.headers.get('set-cookie')).toBeNull();
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      const html = await page.text();
      expect(html).toMatch(/<form method="post">/);
      expect(html).not.toContain(token);
      expect((await open(token)).status).toBe(200); // a mail scanner's GET does not spend it

      const results = await Promise.all(Array.from({ length: 20 }, () => confirm(token)));
      const winners = results.filter((r) => r.status === 303);
      expect(winners).toHaveLength(1);
      expect(winners[0].headers.get('location')).toBe('/admin');
      expect(winners[0].headers.get('set-cookie')).toMatch(/^lp_session=/);
      const losers = results.filter((r) => r.status === 410);
      expect(losers).toHaveLength(19);
      expect(await losers[0].text()).toMatch(/already used/);
      expect(losers.every((r) => r.headers.get('set-cookie') === null)).toBe(true);

      const again = await open(token);
      expect(again.status).toBe(410);
      expect(await again.text()).toMatch(/already used[\s\S]*href="\/login"/);
    });

    it('refuses a cross-site confirmation of a single-use link', async () => {
      const { token } = await signMagicLink(t.config, { once: true });
      const res = await confirm(token, {
        origin: 'https://evil.example',
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(res.status).toBe(403);
      expect((await confirm(token)).status).toBe(303);
    });

    it.each([
      [
        'expired',
        async () => (await signMagicLink(t.config, { ttlSeconds: 60, now: new Date(Date.now() - 3600_000) })).token,
        410,
        /expired/,
      ],
      [
        'forged (other password)',
        async () => (await signMagicLink({ ...t.config, ADMIN_PASSWORD: 'another-password-123' })).token,
        400,
        /not valid/,
      ],
      [
        'forged (other secret)',
        async () => (await signMagicLink({ ...t.config, AUTH_SECRET: 'z'.repeat(40) })).token,
        400,
        /not valid/,
      ],
      ['truncated', async () => (await signMagicLink(t.config)).token.slice(0, -3), 400, /not valid/],
      [
        'a session token',
        async () => (await login(TEST_ADMIN_PASSWORD)).headers.get('set-cookie')!.split(/[=;]/)[1],
        400,
        /not valid/,
      ],
      ['missing', async () => '', 400, /not valid/],
    ])('answers a %s link with a small HTML page saying so, linking to /login', async (_name, make, status, text) => {
      const res = await open(await make());
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('set-cookie')).toBeNull();
      const html = await res.text();
      expect(html).toMatch(text);
      expect(html).toMatch(/href="\/login"/);
    });
  });
});
