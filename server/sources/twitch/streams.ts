// Reads which Twitch channels are live, and their viewer counts, with Helix `GET /streams`: up to 100
// logins per call (and first=100, or Twitch returns only 20 of them), a login absent from `data` is offline,
// a 401 renews the app token once, and Twitch's rate-limit bucket is honoured: when Ratelimit-Remaining
// reaches 0 or a 429 arrives, no call is made until Ratelimit-Reset (those logins are a gap, not offline).
// https://dev.twitch.tv/docs/api/reference/#get-streams, https://dev.twitch.tv/docs/api/guide/#twitch-rate-limits
import * as v from 'valibot';
import { toStorable } from '../../storable-text.ts';
import type { UpstreamFault } from '../../youtube/classify-fault.ts';
import { appToken, TwitchAuthError, type TwitchCredentials } from './app-token.ts';

export interface TwitchConfig extends TwitchCredentials {
  /** e.g. https://api.twitch.tv/helix */
  apiBaseUrl: string;
}

export type TwitchOutcome =
  | { login: string; status: 'live'; viewers: number; title: string | null; startedAt: string | null }
  | { login: string; status: 'offline' }
  /**
   * No answer for this login this time: a gap, never a zero. `fault`: trouble of Twitch itself (a 5xx, a
   * timeout, a 429), which backs the Twitch source off; absent when only this channel's entry was unreadable.
   */
  | { login: string; status: 'failed'; reason: string; fault?: UpstreamFault };

export const MAX_LOGINS_PER_CALL = 100;

const Stream = v.object({
  user_login: v.string(),
  type: v.optional(v.string()),
  viewer_count: v.pipe(v.number(), v.integer(), v.minValue(0)),
  title: v.optional(v.string()),
  started_at: v.optional(v.string()),
});
const Answer = v.object({ data: v.array(v.unknown()) });

export interface TwitchClient {
  streams(logins: string[]): Promise<TwitchOutcome[]>;
  /** When calls resume after a rate limit (ms), or null. */
  blockedUntil(): number | null;
}

export function createTwitchClient(
  config: TwitchConfig,
  io: { fetch?: typeof fetch; now?: () => number; timeoutMs?: number } = {},
): TwitchClient {
  const fetchFn = io.fetch ?? fetch;
  const now = io.now ?? Date.now;
  const timeoutMs = io.timeoutMs ?? 10_000;
  const token = appToken(config, { fetch: fetchFn, now, timeoutMs });
  let blockedUntil = 0;

  async function call(logins: string[], retried = false): Promise<TwitchOutcome[]> {
    const bearer = await token.get();
    const query = new URLSearchParams([
      ['first', String(MAX_LOGINS_PER_CALL)],
      ...logins.map((l) => ['user_login', l]),
    ]);
    const res = await fetchFn(`${config.apiBaseUrl}/streams?${query}`, {
      headers: { 'Client-Id': config.clientId, Authorization: `Bearer ${bearer}` },
      signal: AbortSignal.timeout(timeoutMs),
    });
    noteBucket(res);
    if (res.status === 401 && !retried) {
      await res.body?.cancel();
      token.invalidate(bearer);
      return call(logins, true);
    }
    if (res.status === 429) {
      await res.body?.cancel();
      // Without a reset header, Twitch's bucket refills within a minute.
      if (blockedUntil <= now()) blockedUntil = now() + 60_000;
      return failed(logins, 'Twitch rate limit (429)', rateLimited(429));
    }
    if (!res.ok) {
      await res.body?.cancel();
      const reason = `Twitch answered HTTP ${res.status}`;
      return failed(logins, reason, {
        kind: res.status >= 500 ? 'unavailable' : 'bad_request',
        httpStatus: res.status,
        reason,
      });
    }
    const body = v.safeParse(Answer, await res.json().catch(() => undefined));
    if (!body.success) {
      const reason = 'Twitch answered something that is not a streams list';
      return failed(logins, reason, { kind: 'unavailable', httpStatus: res.status, reason });
    }
    const live = new Map<string, v.InferOutput<typeof Stream>>();
    const unreadable = new Set<string>();
    for (const item of body.output.data) {
      const stream = v.safeParse(Stream, item);
      // `type` is "live" for a live stream; Twitch documents "" on error: not a count.
      if (stream.success && stream.output.type === 'live')
        live.set(stream.output.user_login.toLowerCase(), stream.output);
      else if (!stream.success) {
        // A channel Twitch lists but whose entry we cannot read is a gap, never "offline".
        const login = (item as { user_login?: unknown } | null)?.user_login;
        if (typeof login === 'string') unreadable.add(login.toLowerCase());
      }
    }
    return logins.map((login): TwitchOutcome => {
      const s = live.get(login);
      if (!s && unreadable.has(login))
        return { login, status: 'failed', reason: 'Twitch sent an unreadable stream entry' };
      if (!s) return { login, status: 'offline' };
      const startedAt =
        s.started_at && !Number.isNaN(Date.parse(s.started_at)) ? new Date(s.started_at).toISOString() : null;
      return { login, status: 'live', viewers: s.viewer_count, title: s.title ? toStorable(s.title) : null, startedAt };
    });
  }

  /** Twitch's bucket is empty until Ratelimit-Reset: its Retry-After. */
  function rateLimited(httpStatus?: number): UpstreamFault {
    const retryAfterSeconds = Math.max(0, Math.ceil((blockedUntil - now()) / 1000));
    return { kind: 'rate_limited', httpStatus, reason: 'Twitch rate limit', retryAfterSeconds };
  }

  function noteBucket(res: Response) {
    const remaining = Number(res.headers.get('ratelimit-remaining'));
    const reset = Number(res.headers.get('ratelimit-reset')) * 1000;
    if ((res.status === 429 || (res.headers.has('ratelimit-remaining') && remaining === 0)) && reset > now()) {
      blockedUntil = Math.max(blockedUntil, reset);
    }
  }

  return {
    async streams(input) {
      const logins = [...new Set(input.map((l) => l.toLowerCase()))];
      const out: TwitchOutcome[] = [];
      for (let i = 0; i < logins.length; i += MAX_LOGINS_PER_CALL) {
        const batch = logins.slice(i, i + MAX_LOGINS_PER_CALL);
        if (now() < blockedUntil) {
          out.push(
            ...failed(batch, `Twitch rate limit: waiting until ${new Date(blockedUntil).toISOString()}`, rateLimited()),
          );
          continue;
        }
        try {
          out.push(...(await call(batch)));
        } catch (error) {
          // Refused credentials are not passing trouble: the streams say so at every tick, as before.
          if (error instanceof TwitchAuthError) {
            out.push(...failed(batch, error.message));
            continue;
          }
          const name = (error as Error).name;
          const reason = `Twitch unreachable: ${name}`;
          const kind = name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network';
          out.push(...failed(batch, reason, { kind, reason }));
        }
      }
      return out;
    },
    blockedUntil: () => (now() < blockedUntil ? blockedUntil : null),
  };
}

const failed = (logins: string[], reason: string, fault?: UpstreamFault): TwitchOutcome[] =>
  logins.map((login) => (fault ? { login, status: 'failed', reason, fault } : { login, status: 'failed', reason }));
