// The admin session: a session JWT in the `lp_session` cookie, issued on login or magic link and
// revoked server-side on logout (its jti joins the spent token ids in used_magic_links).
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Config } from '../config.ts';
import type { Db } from '../db/db.ts';
import { isHttps } from './request.ts';
import { signToken, tokenKey, verifyToken, type Claims } from './tokens.ts';
import { forgetExpired, isSpent, spend } from './spent-ids.ts';

export const SESSION_COOKIE = 'lp_session';

export type SessionState = { state: 'valid'; claims: Claims } | { state: 'none' | 'invalid' | 'expired' | 'revoked' };

export interface Sessions {
  /** Signs a new session (a fresh jti, so no session fixation) and sets the cookie. */
  start(c: Context): Promise<{ expiresAt: Date }>;
  /** The session of the request; a cookie that is present but no longer valid is cleared. */
  read(c: Context): Promise<SessionState>;
  /** Ends the session server-side and clears the cookie. */
  end(c: Context, claims: Claims): Promise<void>;
  clearCookie(c: Context): void;
}

type SessionConfig = Pick<Config, 'AUTH_SECRET' | 'SESSION_TTL' | 'TRUST_PROXY' | 'PUBLIC_BASE_URL'>;

export function signSession(config: SessionConfig, now = new Date()) {
  return signToken(tokenKey(config.AUTH_SECRET, 'session'), 'session', { subject: 'admin', ttlSeconds: config.SESSION_TTL, now });
}

export function createSessions(config: SessionConfig, db: Db): Sessions {
  const key = tokenKey(config.AUTH_SECRET, 'session');
  const cookieOptions = (c: Context) => ({ path: '/', httpOnly: true, sameSite: 'Lax' as const, secure: isHttps(c, config) });
  const clearCookie = (c: Context) => deleteCookie(c, SESSION_COOKIE, cookieOptions(c));

  return {
    async start(c) {
      const { token, expiresAt } = await signSession(config);
      setCookie(c, SESSION_COOKIE, token, { ...cookieOptions(c), maxAge: config.SESSION_TTL });
      return { expiresAt };
    },

    async read(c) {
      const token = getCookie(c, SESSION_COOKIE);
      if (token === undefined) return { state: 'none' };
      const verified = await verifyToken(key, 'session', token);
      const session: SessionState = !verified.ok
        ? { state: verified.reason }
        : (await isSpent(db, verified.payload.jti))
          ? { state: 'revoked' }
          : { state: 'valid', claims: verified.payload };
      // A cookie that no longer works is removed, so the browser stops sending it.
      if (session.state !== 'valid') clearCookie(c);
      return session;
    },

    async end(c, claims) {
      await spend(db, claims.jti, claims.exp);
      await forgetExpired(db);
      clearCookie(c);
    },

    clearCookie,
  };
}
