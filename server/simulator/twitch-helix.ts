// The simulator's Twitch: the client-credentials token endpoint and Helix `GET /streams`, with Twitch's
// wire shapes, its rate-limit headers, tokens that can be revoked (→ 401), an injectable 429 and 5xx.
//
// Shapes from Twitch's reference, https://dev.twitch.tv/docs/api/reference/#get-streams (response fields,
// `first` default 20 / max 100, at most 100 `user_login`), https://dev.twitch.tv/docs/authentication/
// getting-tokens-oauth/#client-credentials-grant-flow (token answer), https://dev.twitch.tv/docs/api/guide/
// #twitch-rate-limits (Ratelimit-Limit/-Remaining/-Reset, 800 points a minute, 429) and
// https://dev.twitch.tv/docs/api/guide/#errors (`{error, status, message}` bodies).
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { countAt, type CountCurve } from './count-curve.ts';

export interface TwitchChannelSpec {
  /** Offline channels are simply absent from `data`, as on Twitch. */
  live: boolean;
  curve?: CountCurve;
  title?: string;
  startedAt?: string;
}

export interface TwitchCall {
  at: string;
  path: string;
  logins: string[];
  first: number | null;
  status: number;
}

export interface TwitchSim {
  setChannel(login: string, spec: TwitchChannelSpec): void;
  /** Every token issued so far stops working (what Twitch does when a token expires or is revoked). */
  revokeTokens(): void;
  /** The next `times` Helix calls answer 429 with the bucket empty until `resetInSeconds`. */
  rateLimit(opts?: { times?: number; resetInSeconds?: number }): void;
  /** The next `times` Helix calls answer `status` (default 503) with Twitch's error body: its passing trouble. */
  fail(opts?: { times?: number; status?: number }): void;
  calls(): TwitchCall[];
  tokensIssued(): number;
  reset(): void;
  /** true when the request was a Twitch one and has been answered. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean;
}

const BUCKET = 800;
const MAX_LOGINS = 100;

/** The simulator's made-up Twitch app (letters and digits, as Twitch's are): not a secret, only ever sent to it. */
export const SIMULATOR_TWITCH_APP = {
  clientId: 'simclientid0000000000000000000',
  clientSecret: 'simclientsecret00000000000000',
} as const;

export function twitchHelix(options: { clientId?: string; clientSecret?: string; seed: number; now: () => number }) {
  const {
    clientId = SIMULATOR_TWITCH_APP.clientId,
    clientSecret = SIMULATOR_TWITCH_APP.clientSecret,
    seed,
    now,
  } = options;
  const channels = new Map<string, TwitchChannelSpec & { setAt: number }>();
  let tokens = new Set<string>();
  let issued = 0;
  let log: TwitchCall[] = [];
  let limited: { left: number; resetInSeconds: number } | undefined;
  let failing: { left: number; status: number } | undefined;
  let points = BUCKET;

  const sim: TwitchSim = {
    setChannel(login, spec) {
      channels.set(login.toLowerCase(), { ...structuredClone(spec), setAt: now() });
    },
    revokeTokens() {
      tokens = new Set();
    },
    rateLimit({ times = 1, resetInSeconds = 2 } = {}) {
      limited = { left: times, resetInSeconds };
    },
    fail({ times = 1, status = 503 } = {}) {
      failing = { left: times, status };
    },
    calls: () => structuredClone(log),
    tokensIssued: () => issued,
    reset() {
      channels.clear();
      tokens = new Set();
      issued = 0;
      log = [];
      limited = undefined;
      failing = undefined;
      points = BUCKET;
    },
    handle(req, res, url) {
      if (url.pathname === '/oauth2/token' && req.method === 'POST') {
        void readBody(req).then((body) => token(res, new URLSearchParams(body)));
        return true;
      }
      if (url.pathname === '/helix/streams' && req.method === 'GET') {
        streams(req, res, url);
        return true;
      }
      return false;
    },
  };

  function token(res: ServerResponse, form: URLSearchParams) {
    if (form.get('grant_type') !== 'client_credentials')
      return json(res, 400, { status: 400, message: 'unsupported grant type' });
    if (form.get('client_id') !== clientId) return json(res, 400, { status: 400, message: 'invalid client' });
    if (form.get('client_secret') !== clientSecret)
      return json(res, 403, { status: 403, message: 'invalid client secret' });
    const accessToken = randomBytes(15).toString('hex').slice(0, 30);
    tokens.add(accessToken);
    issued++;
    json(res, 200, { access_token: accessToken, expires_in: 5_011_271, token_type: 'bearer' });
  }

  function streams(req: IncomingMessage, res: ServerResponse, url: URL) {
    const logins = url.searchParams.getAll('user_login').map((l) => l.toLowerCase());
    const firstParam = url.searchParams.get('first');
    const record: TwitchCall = {
      at: new Date(now()).toISOString(),
      path: url.pathname,
      logins,
      first: firstParam === null ? null : Number(firstParam),
      status: 200,
    };
    log.push(record);
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      json(res, status, body, headers);
    };
    const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (req.headers['client-id'] !== clientId)
      return answer(401, { error: 'Unauthorized', status: 401, message: 'Client ID and OAuth token do not match' });
    if (!auth || !tokens.has(auth))
      return answer(401, { error: 'Unauthorized', status: 401, message: 'Invalid OAuth token' });

    const resetAt = Math.ceil(now() / 1000) + (limited?.resetInSeconds ?? 60);
    if (limited && limited.left > 0) {
      limited.left--;
      return answer(
        429,
        { error: 'Too Many Requests', status: 429, message: 'Too Many Requests' },
        { 'Ratelimit-Limit': String(BUCKET), 'Ratelimit-Remaining': '0', 'Ratelimit-Reset': String(resetAt) },
      );
    }
    if (failing && failing.left > 0) {
      failing.left--;
      return answer(failing.status, { error: 'Service Unavailable', status: failing.status, message: '' });
    }
    const first = firstParam === null ? 20 : Number(firstParam);
    if (!Number.isInteger(first) || first < 1 || first > 100)
      return answer(400, { error: 'Bad Request', status: 400, message: 'Invalid value for first' });
    if (logins.length > MAX_LOGINS)
      return answer(400, {
        error: 'Bad Request',
        status: 400,
        message: 'The number of user_login exceeds maximum of 100',
      });
    points = Math.max(0, points - 1);
    const t = now();
    const data = [...new Set(logins)].flatMap((login) => {
      const channel = channels.get(login);
      if (!channel?.live) return [];
      const startedAt = channel.startedAt ? Date.parse(channel.startedAt) : channel.setAt - 20 * 60_000;
      return [
        {
          id: String(40_000_000_000 + hash(login)),
          user_id: String(100_000_000 + hash(login)),
          user_login: login,
          user_name: login,
          game_id: '509658',
          game_name: 'Just Chatting',
          type: 'live',
          title: channel.title ?? `Simulated Twitch stream of ${login}`,
          tags: ['English'],
          viewer_count: countAt(channel.curve ?? { kind: 'moving', base: 800 }, seed, login, startedAt, t),
          started_at: new Date(startedAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
          language: 'en',
          thumbnail_url: `https://static-cdn.jtvnw.net/previews-ttv/live_user_${login}-{width}x{height}.jpg`,
          tag_ids: [],
          is_mature: false,
        },
      ];
    });
    // Twitch returns at most `first` streams and a cursor for the rest: asking for 100 logins with the
    // default first=20 silently drops live channels, which a client must not mistake for "offline".
    const page = data.slice(0, first);
    answer(
      200,
      { data: page, pagination: data.length > first ? { cursor: 'eyJiIjpudWxsLCJhIjp7Ik9mZnNldCI6MjB9fQ' } : {} },
      { 'Ratelimit-Limit': String(BUCKET), 'Ratelimit-Remaining': String(points), 'Ratelimit-Reset': String(resetAt) },
    );
  }

  return sim;
}

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return (h >>> 0) % 1_000_000_000;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      if (body.length < 10_000) body += chunk;
    });
    req.on('end', () => resolve(body));
  });
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}
