// Twitch app access token by the client-credentials flow: fetched once, cached until shortly before it
// expires, dropped when Helix answers 401 (revoked or expired early), and never logged or returned.
// https://dev.twitch.tv/docs/authentication/getting-tokens-oauth/#client-credentials-grant-flow
import * as v from 'valibot';

export interface TwitchCredentials {
  clientId: string;
  clientSecret: string;
  /** e.g. https://id.twitch.tv/oauth2 */
  authBaseUrl: string;
}

export class TwitchAuthError extends Error {
  override name = 'TwitchAuthError';
}

const TokenAnswer = v.object({
  access_token: v.pipe(v.string(), v.minLength(1)),
  expires_in: v.pipe(v.number(), v.minValue(1)),
});

// Renew a minute early so a token never expires between being read and being used.
const MARGIN_MS = 60_000;

export function appToken(
  credentials: TwitchCredentials,
  io: { fetch: typeof fetch; now: () => number; timeoutMs: number },
) {
  let cached: { token: string; expiresAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function request(): Promise<string> {
    const body = new URLSearchParams({
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      grant_type: 'client_credentials',
    });
    const res = await io.fetch(`${credentials.authBaseUrl}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
      signal: AbortSignal.timeout(io.timeoutMs),
    });
    const answer: unknown = await res.json().catch(() => undefined);
    if (!res.ok) {
      // Twitch's own message ("invalid client secret") is safe to show; the secret itself never is.
      const said =
        typeof (answer as { message?: unknown })?.message === 'string' ? (answer as { message: string }).message : '';
      throw new TwitchAuthError(
        `Twitch refused the app credentials (HTTP ${res.status}${said ? `: ${said.slice(0, 100)}` : ''}); ` +
          'check TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET.',
      );
    }
    const parsed = v.safeParse(TokenAnswer, answer);
    if (!parsed.success) throw new TwitchAuthError('Twitch answered the token request without a usable token.');
    cached = { token: parsed.output.access_token, expiresAt: io.now() + parsed.output.expires_in * 1000 - MARGIN_MS };
    return cached.token;
  }

  return {
    /** A valid token; concurrent callers share one request. */
    get(): Promise<string> {
      if (cached && io.now() < cached.expiresAt) return Promise.resolve(cached.token);
      pending ??= request().finally(() => (pending = undefined));
      return pending;
    },
    /** Forget `token` (Helix said 401 with it); a newer token obtained meanwhile is kept. */
    invalidate(token: string) {
      if (cached?.token === token) cached = undefined;
    },
  };
}
