// The admin session: a session JWT in the `lp_session` cookie, issued on login or magic link and
// revoked server-side on logout (its jti joins the spent token ids in used_magic_links). Two limits:
// its lifetime (SESSION_TTL from sign-in, carried in the `sess_exp` claim) and an idle timeout
// (SESSION_IDLE_TIMEOUT): each token expires that long after it was issued, and a request made with
// a valid one gets a fresh token (same jti, same lifetime end) once a minute, so only use keeps it alive.
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Config } from '../config.ts';
import type { Db } from '../db/db.ts';
import { isHttps } from './request.ts';
import { signToken, tokenKey, verifyToken, type Claims } from './tokens.ts';
import { forgetExpired, isSpent, spend } from './queries.ts';

export const SESSION_COOKIE = 'lp_session';
/** Renew a token at most this often (seconds), so a burst of requests does not sign a burst of tokens. */
const RENEW_EVERY = 60;

export type SessionState = { state: 'valid'; claims: Claims } | { state: 'none' | 'invalid' | 'expired' | 'revoked' };

export interface Sessions {
  /** Signs a new session (a fresh jti, so no session fixation) and sets the cookie. */
  start(c: Context): Promise<{ expiresAt: Date }>;
  /** The session of the request (renewed when due); a cookie that is present but no longer valid is cleared. */
  read(c: Context): Promise<SessionState>;
  /** Ends the session server-side and clears the cookie. */
  end(c: Context, claims: Claims): Promise<void>;
  clearCookie(c: Context): void;
}

type SessionConfig = Pick<
  Config,
  'AUTH_SECRET' | 'SESSION_TTL' | 'SESSION_IDLE_TIMEOUT' | 'TRUST_PROXY' | 'PUBLIC_BASE_URL'
>;

/** When the session these claims belong to ends at the latest (s): its lifetime, whatever the idle timeout. */
export const sessionEnd = (claims: Claims) => (typeof claims.sess_exp === 'number' ? claims.sess_exp : claims.exp);

/** A session token: a new session, or (`renew`) the next token of an existing one, same jti and lifetime end. */
export function signSession(config: SessionConfig, now = new Date(), renew?: { jti: string; end: number }) {
  const nowS = Math.floor(now.getTime() / 1000);
  const end = renew?.end ?? nowS + config.SESSION_TTL;
  return signToken(tokenKey(config.AUTH_SECRET, 'session'), 'session', {
    subject: 'admin',
    ttlSeconds: Math.max(1, Math.min(end - nowS, config.SESSION_IDLE_TIMEOUT)),
    now,
    jti: renew?.jti,
    claims: { sess_exp: end },
  });
}

export function createSessions(config: SessionConfig, db: Db, now = () => new Date()): Sessions {
  const key = tokenKey(config.AUTH_SECRET, 'session');
  const renewEvery = Math.min(RENEW_EVERY, Math.ceil(config.SESSION_IDLE_TIMEOUT / 10));
  const cookieOptions = (c: Context) => ({
    path: '/',
    httpOnly: true,
    sameSite: 'Lax' as const,
    secure: isHttps(c, config),
  });
  const clearCookie = (c: Context) => deleteCookie(c, SESSION_COOKIE, cookieOptions(c));
  const setSession = (c: Context, token: string, end: number, at: Date) =>
    setCookie(c, SESSION_COOKIE, token, {
      ...cookieOptions(c),
      maxAge: Math.max(0, end - Math.floor(at.getTime() / 1000)),
    });

  return {
    async start(c) {
      const at = now();
      const { token } = await signSession(config, at);
      const end = Math.floor(at.getTime() / 1000) + config.SESSION_TTL;
      setSession(c, token, end, at);
      return { expiresAt: new Date(end * 1000) };
    },

    async read(c) {
      const token = getCookie(c, SESSION_COOKIE);
      if (token === undefined) return { state: 'none' };
      const at = now();
      const verified = await verifyToken(key, 'session', token, at);
      const session: SessionState = !verified.ok
        ? { state: verified.reason }
        : (await isSpent(db, verified.payload.jti))
          ? { state: 'revoked' }
          : { state: 'valid', claims: verified.payload };
      // A cookie that no longer works is removed, so the browser stops sending it.
      if (session.state !== 'valid') {
        clearCookie(c);
        return session;
      }
      const { claims } = session;
      const end = sessionEnd(claims);
      if (Math.floor(at.getTime() / 1000) - claims.iat! >= renewEvery && claims.exp < end) {
        const renewed = await signSession(config, at, { jti: claims.jti, end });
        setSession(c, renewed.token, end, at);
      }
      return session;
    },

    async end(c, claims) {
      // Renewed tokens share the jti and may outlive this one: keep the id spent until the session's end.
      await spend(db, claims.jti, sessionEnd(claims));
      await forgetExpired(db);
      clearCookie(c);
    },

    clearCookie,
  };
}
