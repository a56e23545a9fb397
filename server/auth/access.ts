// Who may do what: the one place that decides admin access and event read access.
import type { Context, MiddlewareHandler } from 'hono';
import type { Config } from '../config.ts';
import type { Db } from '../db/db.ts';
import { ApiError, notFound } from '../errors.ts';
import { isId } from '../ids.ts';
import type { RevokedReason } from '../wire.ts';
import { eventAccessRows } from './queries.ts';
import { isJsonRequest, isSameOrigin } from './request.ts';
import { createSessions, sessionEnd } from './session.ts';
import { tokenKey, verifyToken } from './tokens.ts';

export interface Access {
  /** Admin session required (401 otherwise); unsafe methods also need a same-origin JSON request (403 otherwise). */
  requireAdmin: MiddlewareHandler;
  /**
   * For routes with an `:id` event parameter: lets through the admin, anyone for a public event
   * (with `Access-Control-Allow-Origin: *`), or an embed token of that event; 401 otherwise, 404 for an unknown event.
   */
  requireEventReader: MiddlewareHandler;
}

const MAX_SESSION_TTL = 366 * 86400;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const unauthorized = (message = 'Log in as the admin first') => new ApiError(401, 'unauthorized', message);
export const csrfRejected = () =>
  new ApiError(
    403,
    'csrf_rejected',
    'Changes must come from this site as a JSON request (same Origin, Content-Type: application/json)',
  );

/** An unsafe request that did not come from one of our pages as JSON (the CSRF rule). */
export function assertSameOriginJson(c: Context, config: Pick<Config, 'TRUST_PROXY' | 'PUBLIC_BASE_URL'>) {
  if (SAFE_METHODS.has(c.req.method)) return;
  if (!isSameOrigin(c, config) || !isJsonRequest(c)) throw csrfRejected();
}

/** The `:id` of the route; an id that cannot exist is a 404 before any SQL, as in the other routes. */
export function eventIdParam(c: Context): string {
  const id = c.req.param('id');
  if (!isId(id)) throw notFound('Event');
  return id;
}

export type EventReader = 'public' | 'embed' | null;

/** An event's access settings, as a reader check needs them. */
export interface EventAccess {
  public: boolean;
  embedKey: string;
}

/**
 * What let a reader in, kept with an open stream so a later access change can be weighed against it:
 * the embed token (the embed_key it was signed under, its expiry) and the admin session (its id, its
 * expiry), each only when valid at connect time.
 */
export interface ReaderGrant {
  token?: { embedKey: string; exp: number };
  session?: { jti: string; exp: number; revoked?: boolean };
}

/**
 * Whether `grant` still admits its holder to an event in state `event` (null: deleted) at `nowMs`.
 * Expired credentials count as absent. Used for open streams; new requests go through requireEventReader.
 */
export function readerVerdict(
  grant: ReaderGrant,
  event: EventAccess | null,
  nowMs: number,
): { ok: true } | { ok: false; state: 'denied' | 'not_found'; reason: RevokedReason } {
  if (!event) return { ok: false, state: 'not_found', reason: 'deleted' };
  if (event.public) return { ok: true };
  const { token, session } = grant;
  if (token && token.embedKey === event.embedKey && token.exp * 1000 > nowMs) return { ok: true };
  if (session && !session.revoked && session.exp * 1000 > nowMs) return { ok: true };
  const reason: RevokedReason = session
    ? 'session_ended'
    : token
      ? token.embedKey !== event.embedKey
        ? 'key_rotated'
        : 'token_expired'
      : 'private';
  return { ok: false, state: 'denied', reason };
}

/** When the earliest credential of `grant` still valid at `nowMs` expires (ms), or null. */
export function nextExpiry(grant: ReaderGrant, nowMs: number): number | null {
  const times = [grant.token?.exp, grant.session?.revoked ? undefined : grant.session?.exp]
    .filter((s): s is number => s !== undefined && s * 1000 > nowMs)
    .map((s) => s * 1000);
  return times.length ? Math.min(...times) : null;
}

/** The access settings of several events at once (deleted ones are absent). */
export async function eventAccess(db: Db, ids: string[]): Promise<Map<string, EventAccess>> {
  const rows = await eventAccessRows(db, ids);
  return new Map(rows.map((r) => [r.id, { public: r.public, embedKey: r.embed_key }]));
}

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by requireEventReader: what admitted this reader (for streams that outlive the check). */
    readerGrant: ReaderGrant;
  }
}

/**
 * Whether anyone may read this event without the admin session: it is public, or `token` is an
 * embed token of exactly this event. Throws 404 for an unknown event.
 */
export async function publicReader(
  config: Config,
  db: Db,
  id: string,
  token: string | undefined,
): Promise<EventReader> {
  const [event] = await eventAccessRows(db, [id]);
  if (!event) throw notFound('Event');
  if (event.public) return 'public';
  if (token === undefined) return null;
  const verified = await verifyToken(tokenKey(config.AUTH_SECRET, 'embed', event.embed_key), 'embed', token);
  return verified.ok && verified.payload.sub === id ? 'embed' : null;
}

export function createAccess(config: Config, db: Db, sessionNow?: () => Date): Access {
  // Refused at construction, not per request: tokens need a real key and a cookie lifetime browsers accept.
  tokenKey(config.AUTH_SECRET, 'session');
  if (config.SESSION_TTL > MAX_SESSION_TTL) throw new Error('SESSION_TTL must be at most 366d');
  const sessions = createSessions(config, db, sessionNow);

  const adminSession = async (c: Context) => (await sessions.read(c)).state === 'valid';

  return {
    requireAdmin: async (c, next) => {
      if (!(await adminSession(c))) throw unauthorized();
      assertSameOriginJson(c, config);
      await next();
    },

    requireEventReader: async (c, next) => {
      let reader: EventReader;
      try {
        const id = eventIdParam(c);
        const event = (await eventAccess(db, [id])).get(id);
        if (!event) throw notFound('Event');
        // Every credential the request carries is weighed, even for a public event: an open stream
        // keeps them, so the admin's own dashboard survives the event going private.
        const grant: ReaderGrant = {};
        const token = c.req.query('token');
        if (token !== undefined) {
          const verified = await verifyToken(tokenKey(config.AUTH_SECRET, 'embed', event.embedKey), 'embed', token);
          if (verified.ok && verified.payload.sub === id)
            grant.token = { embedKey: event.embedKey, exp: verified.payload.exp };
        }
        const session = await sessions.read(c);
        // An open stream is cut at the session's lifetime end or logout, not at its idle timeout: the
        // stream is the use that keeps it alive.
        if (session.state === 'valid') grant.session = { jti: session.claims.jti, exp: sessionEnd(session.claims) };
        reader = event.public ? 'public' : grant.token ? 'embed' : null;
        if (!reader && !grant.session) {
          throw unauthorized('This event is private: log in as the admin or use an embed token of this event');
        }
        c.set('readerGrant', grant);
      } catch (error) {
        // Refusals are readable from any site, so an embedded widget can tell "not allowed" and
        // "not found" from network trouble (they carry no data, and `*` never sends cookies).
        if (error instanceof ApiError) error.headers['Access-Control-Allow-Origin'] = '*';
        throw error;
      }
      // Set before the handler for routes that write to the socket themselves (SSE), and again after it
      // so raw Responses (streams, files) and error answers carry it too.
      if (reader) c.header('Access-Control-Allow-Origin', '*');
      await next();
      // Readable by any page, but never with the visitor's cookies: `*` forbids credentials.
      if (reader) c.header('Access-Control-Allow-Origin', '*');
    },
  };
}
