// Signing in and out: the /login page, password login with its brute-force brake, logout, "who am I",
// magic links, and the /admin gate (a page request without a session goes to /login).
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import * as v from 'valibot';
import type { Config } from '../config.ts';
import type { Db } from '../db/db.ts';
import type { Bus } from '../realtime/bus.ts';
import { ApiError, badParam } from '../errors.ts';
import { limitBodies } from '../security/body-limit.ts';
import { assertSameOriginJson, csrfRejected } from './access.ts';
import { checkMagicLink, spendMagicLink } from './magic-link.ts';
import { confirmMagicPage, LOGIN_SCRIPT, loginPage, magicProblemPage } from './pages.ts';
import { throttledAttempt } from './login-throttle.ts';
import { adminShell } from '../pages/routes.ts';
import { pageLang } from '../pages/lang.ts';
import { clientAddress, isSameOrigin } from './request.ts';
import { createSessions, sessionEnd } from './session.ts';
import type { Me } from '../wire.ts';

export interface AuthRouteDeps {
  config: Config;
  db: Db;
  /** Ends the streams a logged-out session had open, on every instance. */
  bus: Pick<Bus, 'sessionEnded'>;
  /** The clock of the login brake; tests inject one. */
  now?: () => Date;
  /** The clock of sessions (lifetime, idle timeout); tests of sessions inject one. */
  sessionNow?: () => Date;
}

const LoginBody = v.object({
  password: v.pipe(
    v.string('password: expected a string'),
    v.minLength(1, 'password: expected 1 to 1024 characters'),
    v.maxLength(1024, 'password: expected 1 to 1024 characters'),
  ),
});

const sha256 = (s: string) => createHash('sha256').update(s).digest();

const noStore = (c: Context) => c.header('Cache-Control', 'no-store');

export function authRoutes({ config, db, bus, now = () => new Date(), sessionNow }: AuthRouteDeps) {
  const app = new Hono();
  const sessions = createSessions(config, db, sessionNow);
  // Digests have a fixed length, so timingSafeEqual neither throws on nor leaks the password's length.
  const passwordDigest = sha256(config.ADMIN_PASSWORD);

  const smallBody = limitBodies(4 * 1024);

  app.get('/login', async (c) => {
    if ((await sessions.read(c)).state === 'valid') return c.redirect('/admin', 302);
    return c.html(loginPage());
  });

  app.get('/login.js', (c) => {
    c.header('Cache-Control', 'no-cache');
    return c.body(LOGIN_SCRIPT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
  });

  app.post('/api/auth/login', smallBody, async (c) => {
    noStore(c);
    assertSameOriginJson(c, config);
    const body = v.safeParse(LoginBody, await c.req.json().catch(() => undefined));
    if (!body.success) throw badParam('password', 'Expected a JSON body {"password": "<1 to 1024 characters>"}');
    const attempt = await throttledAttempt(db, clientAddress(c, config), now(), () => ({
      ok: timingSafeEqual(sha256(body.output.password), passwordDigest),
    }));
    if (attempt.blocked) {
      const wait = waitWords(attempt.retryAfterSeconds);
      // The way back in that no brake holds: a link printed on the server (README, "Using it").
      const message =
        attempt.scope === 'global'
          ? `Too many failed logins on this server: try again in ${wait}, or sign in with a link from npm run magic-link on the server`
          : `Too many failed logins from your address: try again in ${wait}, or sign in with a link from npm run magic-link on the server`;
      throw new ApiError(429, 'rate_limited', message, undefined, {
        'Retry-After': String(attempt.retryAfterSeconds),
      });
    }
    if (!attempt.result.ok) throw new ApiError(401, 'invalid_credentials', 'Wrong password');
    const { expiresAt } = await sessions.start(c);
    return c.json({ user: 'admin', expiresAt: expiresAt.toISOString() } satisfies Me);
  });

  app.post('/api/auth/logout', smallBody, async (c) => {
    noStore(c);
    assertSameOriginJson(c, config);
    const session = await sessions.read(c);
    if (session.state === 'valid') {
      await sessions.end(c, session.claims);
      await bus.sessionEnded(session.claims.jti);
    } else if (session.state === 'none') sessions.clearCookie(c); // read() has cleared any other cookie
    return c.body(null, 204);
  });

  app.get('/api/auth/me', async (c) => {
    noStore(c);
    const session = await sessions.read(c);
    if (session.state !== 'valid') return c.json({ user: null, expiresAt: null } satisfies Me);
    return c.json({ user: 'admin', expiresAt: new Date(sessionEnd(session.claims) * 1000).toISOString() } satisfies Me);
  });

  // The token rides in the URL: keep it out of Referer headers and caches on every magic answer.
  app.use('/api/auth/magic', async (c, next) => {
    await next();
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cache-Control', 'no-store');
  });

  app.get('/api/auth/magic', async (c) => {
    const link = await checkMagicLink(config, db, c.req.query('token'));
    if (!link.ok) return c.html(magicProblemPage(link.problem), link.problem === 'invalid' ? 400 : 410);
    if (link.once) return c.html(confirmMagicPage());
    await sessions.start(c);
    return c.redirect('/admin', 302);
  });

  // The one-click confirmation of a single-use link (the form posts back to the link's own URL).
  app.post('/api/auth/magic', smallBody, async (c) => {
    if (!isSameOrigin(c, config)) throw csrfRejected();
    const link = await checkMagicLink(config, db, c.req.query('token'));
    if (!link.ok) return c.html(magicProblemPage(link.problem), link.problem === 'invalid' ? 400 : 410);
    if (link.once && !(await spendMagicLink(db, link.claims))) return c.html(magicProblemPage('used'), 410);
    await sessions.start(c);
    return c.redirect('/admin', 303);
  });

  app.get('/admin', async (c) => {
    if ((await sessions.read(c)).state !== 'valid') return c.redirect('/login', 302);
    noStore(c);
    return c.html(adminShell(pageLang(c.req.query('lang'), c.req.header('accept-language'))));
  });

  return app;
}

/** "15 minutes", "1 minute", "40 seconds": a wait a person reads at a glance. */
export function waitWords(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
