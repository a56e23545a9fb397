import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../config.ts';
import { engines } from '../testing/test-db.ts';
import { authTestApp } from './testing/test-app.ts';
import { TEST_ADMIN_PASSWORD } from './testing/test-session.ts';

const json = { origin: 'http://localhost', 'content-type': 'application/json' };
const MIN = 60_000;

describe.each(engines)('session idle timeout and lifetime on %s', (engine) => {
  let t: Awaited<ReturnType<typeof authTestApp>>;
  let t0: number;
  beforeAll(async () => {
    t = await authTestApp(engine, { SESSION_IDLE_TIMEOUT: '30m', SESSION_TTL: '8h' }, { clockedSessions: true });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    t0 = Date.parse('2030-01-01T00:00:00Z') + Math.floor(Math.random() * 1e6) * 1000;
    t.clock.now = new Date(t0);
  });

  const at = (minutes: number) => (t.clock.now = new Date(t0 + minutes * MIN));
  const cookieOf = (res: Response) => /lp_session=([^;]*)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
  const maxAgeOf = (res: Response) => Number(/Max-Age=(\d+)/.exec(res.headers.get('set-cookie') ?? '')?.[1]);
  const admin = (cookie: string) =>
    t.app.request('http://localhost/test/admin', { headers: { cookie: `lp_session=${cookie}` } });
  const login = async () => {
    const res = await t.app.request('http://localhost/api/auth/login', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ password: TEST_ADMIN_PASSWORD }),
    });
    expect(res.status).toBe(200);
    return { cookie: cookieOf(res)!, body: await res.json() };
  };

  it('ends a session not used for SESSION_IDLE_TIMEOUT; each use renews it', async () => {
    const { cookie: c0 } = await login();
    at(20);
    const used = await admin(c0);
    expect(used.status).toBe(200);
    const c1 = cookieOf(used)!;
    expect(c1).toBeDefined();
    expect(c1).not.toBe(c0);
    expect(maxAgeOf(used)).toBe(8 * 3600 - 20 * 60); // the cookie lasts until the lifetime's end

    at(35); // c0 idle since 0:00, c1 since 0:20
    const stale = await admin(c0);
    expect(stale.status).toBe(401);
    expect(stale.headers.get('set-cookie')).toMatch(/^lp_session=; Max-Age=0/);
    const fresh = await admin(c1);
    expect(fresh.status).toBe(200);
    const c2 = cookieOf(fresh)!;

    at(35 + 31); // nothing for 31 minutes
    expect((await admin(c2)).status).toBe(401);
  });

  it('does not renew on every request: at most once a minute', async () => {
    const { cookie } = await login();
    at(0.5);
    const res = await admin(cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
  });

  it('ends at SESSION_TTL after sign-in however active, and /api/auth/me says when', async () => {
    const { cookie, body } = await login();
    expect(body.expiresAt).toBe(new Date(t0 + 8 * 60 * MIN).toISOString());
    let current = cookie;
    for (let m = 20; m < 8 * 60; m += 20) {
      at(m);
      const res = await admin(current);
      expect(res.status, `at ${m} min`).toBe(200);
      current = cookieOf(res) ?? current;
    }
    const me = await (
      await t.app.request('http://localhost/api/auth/me', { headers: { cookie: `lp_session=${current}` } })
    ).json();
    expect(me).toEqual({ user: 'admin', expiresAt: body.expiresAt });
    at(8 * 60 + 1);
    expect((await admin(current)).status).toBe(401);
  });

  it('logout ends the renewed tokens of the session too (they share its id)', async () => {
    const { cookie: c0 } = await login();
    at(10);
    const c1 = cookieOf(await admin(c0))!;
    const out = await t.app.request('http://localhost/api/auth/logout', {
      method: 'POST',
      headers: { ...json, cookie: `lp_session=${c0}` },
    });
    expect(out.status).toBe(204);
    expect((await admin(c1)).status).toBe(401);
  });
});

describe('SESSION_IDLE_TIMEOUT', () => {
  it('defaults to 2 h, takes durations, refuses nonsense', () => {
    expect(parseConfig({}).SESSION_IDLE_TIMEOUT).toBe(7200);
    expect(parseConfig({ SESSION_IDLE_TIMEOUT: '15m' }).SESSION_IDLE_TIMEOUT).toBe(900);
    expect(() => parseConfig({ SESSION_IDLE_TIMEOUT: 'soon' })).toThrow(ConfigError);
    expect(() => parseConfig({ SESSION_IDLE_TIMEOUT: '0' })).toThrow(ConfigError);
  });
});
