// The admin session: a session JWT in the `lp_session` cookie, issued on login or magic link and
// revoked server-side on logout (its jti joins the spent token ids in used_magic_links).
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Config } from '../config.ts';
import type { Db } from '../db/db.ts';
import { isHttps } from './request.ts';
import { signToken, tokenKey, verifyToken, type Claims } from './tokens.ts';

export const SESSION_COOKIE = 'lp_session';

export type SessionState = { state: 'valid'; claims: Claims } | { state: 'none' | 'invalid' | 'expired' | 'revoked' };

export interface Sessions {
  /** Signs a new session (a fresh jti, so no session fixation) and sets the cookie. */
  start(c: Context): Promise<{ expiresAt: Date }>;
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
      if (!verified.ok) return { state: verified.reason };
      const revoked = await db.query('select 1 from used_magic_links where jti = $1', [verified.payload.jti]);
      return revoked.length ? { state: 'revoked' } : { state: 'valid', claims: verified.payload };
    },

    async end(c, claims) {
      await db.query(
        `insert into used_magic_links (jti, expires_at) values ($1, to_timestamp($2)) on conflict (jti) do nothing`,
        [claims.jti, claims.exp],
      );
      // Spent ids are only needed until their token would have expired anyway.
      await db.query('delete from used_magic_links where expires_at < now()');
      clearCookie(c);
    },

    clearCookie,
  };
}
