import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../testing/test-db.ts';
import { createAccess } from './access.ts';
import { signMagicLink } from './magic-link.ts';
import { authTestApp } from './testing/test-app.ts';
import { adminHeaders, testConfig, TEST_AUTH_SECRET } from './testing/test-session.ts';
import { signToken, tokenKey } from './tokens.ts';

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const sessionKey = tokenKey(TEST_AUTH_SECRET, 'session');
const nowS = () => Math.floor(Date.now() / 1000);

/** A session-shaped JWT with any header and claims, signed with any key and algorithm. */
async function craft({
  key = sessionKey,
  alg = 'HS256',
  typ = 'session+jwt',
  claims = {},
  drop = [] as string[],
}: {
  key?: Uint8Array;
  alg?: string;
  typ?: string;
  claims?: Record<string, unknown>;
  drop?: string[];
} = {}) {
  const base: Record<string, unknown> = {
    iss: 'livepulse',
    aud: 'livepulse-session',
    sub: 'admin',
    jti: crypto.randomUUID(),
    iat: nowS(),
    exp: nowS() + 3600,
    ...claims,
  };
  for (const k of drop) delete base[k];
  return new SignJWT(base).setProtectedHeader({ alg, typ }).sign(key);
}

describe.each(engines)('access on %s', (engine) => {
  let t: Awaited<ReturnType<typeof authTestApp>>;
  beforeAll(async () => {
    t = await authTestApp(engine);
    await t.addEvent('pub', true);
    await t.addEvent('priv', false);
    await t.addEvent('other', false);
  });
  afterAll(() => t.close());

  const get = (path: string, headers: Record<string, string> = {}) =>
    t.app.request(`http://localhost${path}`, { headers });
  const withCookie = (token: string) => ({ cookie: `lp_session=${token}` });

  describe('requireAdmin', () => {
    it('lets the session of adminHeaders() through and refuses a request without a cookie', async () => {
      const ok = await get('/test/admin', await adminHeaders(t.config));
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ admin: true });
      const none = await get('/test/admin');
      expect(none.status).toBe(401);
      expect((await none.json()).error.code).toBe('unauthorized');
      expect(none.headers.get('set-cookie')).toBeNull();
    });

    const forged: [string, () => Promise<string>][] = [
      [
        'alg none',
        async () =>
          `${b64({ alg: 'none', typ: 'session+jwt' })}.${b64({ iss: 'livepulse', aud: 'livepulse-session', sub: 'admin', jti: 'x', iat: nowS(), exp: nowS() + 3600 })}.`,
      ],
      [
        'HS256 with another secret',
        () => craft({ key: tokenKey('another-secret-another-secret-another-secret', 'session') }),
      ],
      ['HS512 with the right key', () => craft({ alg: 'HS512' })],
      [
        'payload edited after signing',
        async () => {
          const [h, , s] = (await craft()).split('.');
          return `${h}.${b64({ iss: 'livepulse', aud: 'livepulse-session', sub: 'root', jti: 'x', iat: nowS(), exp: nowS() + 99999 })}.${s}`;
        },
      ],
      ['empty signature segment', async () => (await craft()).split('.').slice(0, 2).join('.') + '.'],
      ['expired', () => craft({ claims: { iat: nowS() - 7200, exp: nowS() - 3600 } })],
      ['nbf in the future', () => craft({ claims: { nbf: nowS() + 3600 } })],
      ['iat far in the future', () => craft({ claims: { iat: nowS() + 86400 * 30, exp: nowS() + 86400 * 31 } })],
      ['no exp', () => craft({ drop: ['exp'] })],
      ['no jti', () => craft({ drop: ['jti'] })],
      ['wrong issuer', () => craft({ claims: { iss: 'someone-else' } })],
      ['wrong typ header', () => craft({ typ: 'JWT' })],
      ['a magic-link token', async () => (await signMagicLink(t.config)).token],
      [
        'a magic-shaped token under the session key',
        () => craft({ typ: 'magic+jwt', claims: { aud: 'livepulse-magic' } }),
      ],
      [
        'an embed token',
        async () =>
          (
            await signToken(tokenKey(TEST_AUTH_SECRET, 'embed', 'key-priv'), 'embed', {
              subject: 'priv',
              ttlSeconds: 3600,
            })
          ).token,
      ],
      [
        'a session token signed with the embed key',
        () => craft({ key: tokenKey(TEST_AUTH_SECRET, 'embed', 'key-priv') }),
      ],
      ['100 kB token', async () => await craft({ claims: { pad: 'x'.repeat(100_000) } })],
      ['non-base64url characters', async () => (await craft()).replace(/.$/, '*')],
      ['garbage', async () => 'not-a-jwt'],
    ];

    it.each(forged)('refuses %s with 401 and clears the cookie', async (_name, make) => {
      const res = await get('/test/admin', withCookie(await make()));
      expect(res.status).toBe(401);
      const body = await res.json();
      expect(body.error.code).toBe('unauthorized');
      expect(JSON.stringify(body)).not.toMatch(/at .*\.ts/);
      expect(res.headers.get('set-cookie')).toMatch(/^lp_session=; Max-Age=0; Path=\/; HttpOnly; SameSite=Lax/);
    });

    it('accepts a hand-made token when every claim is right (so the table above fails for its stated reason)', async () => {
      expect((await get('/test/admin', withCookie(await craft()))).status).toBe(200);
    });

    const csrf: [string, RequestInit['headers']][] = [
      ['a cross-origin JSON fetch', { origin: 'https://evil.example', 'content-type': 'application/json' }],
      ['a JSON request without Origin', { 'content-type': 'application/json' }],
      ['Origin: null', { origin: 'null', 'content-type': 'application/json' }],
      ['a same-origin form post', { origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' }],
      ['a same-origin text/plain post', { origin: 'http://localhost', 'content-type': 'text/plain' }],
      ['a same-origin post without a body type', { origin: 'http://localhost' }],
      [
        'a cross-site fetch claiming same-origin by Referer only',
        { referer: 'http://localhost/admin', 'content-type': 'application/json' },
      ],
      ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site', 'content-type': 'application/json' }],
      ['an origin differing only in port', { origin: 'http://localhost:8080', 'content-type': 'application/json' }],
    ];

    it.each(csrf)('refuses %s carrying the admin cookie with 403 csrf_rejected', async (_name, headers) => {
      const { cookie } = await adminHeaders(t.config);
      for (const method of ['POST', 'PATCH', 'DELETE', 'PUT']) {
        const res = await t.app.request('http://localhost/test/admin', {
          method,
          headers: { ...headers, cookie },
          body: method === 'DELETE' ? undefined : '{}',
        });
        expect(res.status, method).toBe(403);
        expect((await res.json()).error.code).toBe('csrf_rejected');
      }
    });

    it('accepts changes from the same origin, from PUBLIC_BASE_URL, or vouched for by Sec-Fetch-Site', async () => {
      const { cookie } = await adminHeaders(t.config);
      const json = { cookie, 'content-type': 'application/json; charset=utf-8' };
      const post = (app: typeof t.app, headers: Record<string, string>) =>
        app.request('http://localhost/test/admin', { method: 'POST', headers, body: '{}' });
      expect((await post(t.app, { ...json, origin: 'http://localhost' })).status).toBe(200);
      expect((await post(t.app, { ...json, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
      expect((await post(t.app, { ...json, origin: 'https://live.example.org' })).status).toBe(403);
      const behind = await authTestApp(engine, { PUBLIC_BASE_URL: 'https://live.example.org/' });
      try {
        const headers = { ...(await adminHeaders(behind.config)), origin: 'https://live.example.org' };
        expect((await post(behind.app, headers)).status).toBe(200);
      } finally {
        await behind.close();
      }
    });

    it('checks the session before the origin: no cookie is 401 even cross-site', async () => {
      const res = await t.app.request('http://localhost/test/admin', {
        method: 'POST',
        headers: { origin: 'https://evil.example' },
        body: 'x',
      });
      expect(res.status).toBe(401);
    });

    it('sends no CORS headers on admin routes, even to a cross-origin request', async () => {
      const res = await get('/test/admin', { ...(await adminHeaders(t.config)), origin: 'https://evil.example' });
      expect(res.status).toBe(200);
      expect([...res.headers.keys()].filter((k) => k.startsWith('access-control-'))).toEqual([]);
    });

    it('refuses to be built with a short AUTH_SECRET', () => {
      expect(() => createAccess({ ...testConfig(), AUTH_SECRET: 'short' }, t.db)).toThrow(/AUTH_SECRET/);
    });
  });

  describe('requireEventReader', () => {
    const embedToken = async (eventId: string, embedKey = `key-${eventId}`, ttlSeconds = 3600) =>
      (await signToken(tokenKey(TEST_AUTH_SECRET, 'embed', embedKey), 'embed', { subject: eventId, ttlSeconds })).token;

    it('answers anyone for a public event, with ACAO * and no credentials', async () => {
      const res = await get('/test/events/pub/read', { origin: 'https://blog.example' });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    });

    it('refuses a private event to strangers with a refusal any site may read (no data, no credentials)', async () => {
      const res = await get('/test/events/priv/read', { origin: 'https://blog.example' });
      expect(res.status).toBe(401);
      // A widget on another site must tell "not allowed" from network trouble.
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
      expect(await res.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    });

    it('lets the admin read a private event, without CORS headers', async () => {
      const res = await get('/test/events/priv/read', await adminHeaders(t.config));
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    });

    it('lets an embed token read its own private event (cross-origin) and nothing else', async () => {
      const token = await embedToken('priv');
      const own = await get(`/test/events/priv/read?token=${token}`);
      expect(own.status).toBe(200);
      expect(own.headers.get('access-control-allow-origin')).toBe('*');
      expect((await get(`/test/events/other/read?token=${token}`)).status).toBe(401);
      expect((await get('/test/admin', withCookie(token))).status).toBe(401);
    });

    const misused: [string, () => Promise<string>][] = [
      ['an embed token of another event', () => embedToken('other')],
      ['an embed token signed with another event key', () => embedToken('priv', 'key-other')],
      [
        'an expired embed token',
        async () =>
          (
            await signToken(tokenKey(TEST_AUTH_SECRET, 'embed', 'key-priv'), 'embed', {
              subject: 'priv',
              ttlSeconds: 3600,
              now: new Date(Date.now() - 7200_000),
            })
          ).token,
      ],
      ['a session token', async () => (await adminHeaders(t.config)).cookie.split('=')[1]],
      ['a magic-link token', async () => (await signMagicLink(t.config)).token],
      [
        'an embed token for the event signed without the embed key',
        async () =>
          (await signToken(tokenKey(TEST_AUTH_SECRET, 'embed'), 'embed', { subject: 'priv', ttlSeconds: 3600 })).token,
      ],
    ];
    it.each(misused)('refuses %s with 401', async (_name, make) => {
      expect((await get(`/test/events/priv/read?token=${encodeURIComponent(await make())}`)).status).toBe(401);
    });

    it('says 404 for an unknown event and for an id that cannot exist, before SQL', async () => {
      expect((await get('/test/events/nope/read')).status).toBe(404);
      expect((await get(`/test/events/${encodeURIComponent("' OR 1=1--")}/read`)).status).toBe(404);
      expect((await get(`/test/events/${'a'.repeat(200)}/read`)).status).toBe(404);
    });

    it('mints embed tokens from the admin, and rotating the embed key revokes all of them', async () => {
      await t.addEvent('mint', false);
      const admin = await adminHeaders(t.config);
      const mint = (body: string) =>
        t.app.request('http://localhost/api/events/mint/embed-tokens', { method: 'POST', headers: admin, body });
      const made = await mint('{"expiresInHours": 2}');
      expect(made.status).toBe(201);
      const { token, expiresAt } = await made.json();
      expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(7100_000);
      expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(7200_000);
      const forever = (await (await mint('')).json()).token;
      expect((await get(`/test/events/mint/read?token=${token}`)).status).toBe(200);
      expect((await get(`/test/events/mint/read?token=${forever}`)).status).toBe(200);

      for (const bad of [
        '{"expiresInHours": 0}',
        '{"expiresInHours": 1.5}',
        '{"expiresInHours": "2"}',
        '{"expiresInHours": 1e9}',
        '{bad',
      ]) {
        const res = await mint(bad);
        expect(res.status, bad).toBe(400);
        expect((await res.json()).error.message).toMatch(/expiresInHours|JSON/);
      }
      expect(
        (await t.app.request('http://localhost/api/events/mint/embed-tokens', { method: 'POST', body: '{}' })).status,
      ).toBe(401);
      expect(
        (
          await t.app.request('http://localhost/api/events/nope/embed-tokens', {
            method: 'POST',
            headers: admin,
            body: '{}',
          })
        ).status,
      ).toBe(404);

      const rotate = await t.app.request('http://localhost/api/events/mint/embed-key/rotate', {
        method: 'POST',
        headers: admin,
      });
      expect(rotate.status).toBe(204);
      expect((await get(`/test/events/mint/read?token=${token}`)).status).toBe(401);
      expect((await get(`/test/events/mint/read?token=${forever}`)).status).toBe(401);
      const fresh = (await (await mint('{}')).json()).token;
      expect((await get(`/test/events/mint/read?token=${fresh}`)).status).toBe(200);
    });

    it('puts ACAO * on the real public read routes only, never on private reads or admin routes', async () => {
      const origin = { origin: 'https://blog.example' };
      const pub = await get('/api/events/pub/history', origin);
      expect(pub.status).toBe(200);
      expect(pub.headers.get('access-control-allow-origin')).toBe('*');
      const priv = await get('/api/events/priv/history', origin);
      expect(priv.status).toBe(401); // a refusal, readable so widgets can say "not allowed"
      expect(await priv.json()).toMatchObject({ error: { code: 'unauthorized' } });
      const privAdmin = await get('/api/events/priv/history', { ...(await adminHeaders(t.config)), ...origin });
      expect(privAdmin.status).toBe(200);
      expect(privAdmin.headers.get('access-control-allow-origin')).toBeNull();
      const list = await get('/api/events', { ...(await adminHeaders(t.config)), ...origin });
      expect(list.status).toBe(200);
      expect(list.headers.get('access-control-allow-origin')).toBeNull();
      expect((await get('/api/events', origin)).status).toBe(401);
    });

    it('answers CORS preflights on the read routes for public events and valid embed tokens only', async () => {
      const preflight = (path: string) =>
        t.app.request(`http://localhost${path}`, {
          method: 'OPTIONS',
          headers: {
            origin: 'https://blog.example',
            'access-control-request-method': 'GET',
            'access-control-request-headers': 'last-event-id',
          },
        });
      for (const path of [
        '/api/events/pub/stream',
        '/api/events/pub/history',
        '/api/events/pub/streams/s1/history.csv',
      ]) {
        const res = await preflight(path);
        expect(res.status, path).toBe(204);
        expect(res.headers.get('access-control-allow-origin')).toBe('*');
        expect(res.headers.get('access-control-allow-headers')).toMatch(/Last-Event-ID/i);
      }
      const embed = await preflight(`/api/events/priv/stream?token=${await embedToken('priv')}`);
      expect(embed.headers.get('access-control-allow-origin')).toBe('*');
      const priv = await preflight('/api/events/priv/stream');
      expect(priv.headers.get('access-control-allow-origin')).toBeNull();
      const admin = await preflight('/api/events/pub');
      expect(admin.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});
