// The only reader of process.env: turns the environment (and ./.env) into one frozen, typed object,
// or refuses to start with one readable line per wrong variable.
import { existsSync } from 'node:fs';
import * as v from 'valibot';

const intIn = (min: number, max: number, fallback: number) =>
  v.pipe(
    v.optional(v.string(), String(fallback)),
    v.regex(/^\d+$/, `expected a whole number from ${min} to ${max}`),
    v.transform(Number),
    v.minValue(min, `expected a whole number from ${min} to ${max}`),
    v.maxValue(max, `expected a whole number from ${min} to ${max}`),
  );

const flag = v.pipe(
  v.optional(v.picklist(['', '0', '1', 'true', 'false'], 'expected 1 or 0'), ''),
  v.transform((s) => s === '1' || s === 'true'),
);

const optionalText = v.pipe(v.optional(v.string(), ''), v.trim());

const httpUrl = (fallback: string) =>
  v.pipe(
    v.optional(v.string(), fallback),
    v.trim(),
    v.check((s) => s === '' || /^https?:\/\/[^\s]+$/.test(s), 'expected an http(s) URL'),
    v.transform((s) => s.replace(/\/+$/, '')),
  );

const PLACEHOLDERS = /^(changeme|change-me|secret|password|xxx+|todo)$/i;

/** Durations like `7d`, `12h`, `30m`, `45s` (or plain seconds). */
export function parseDuration(s: string): number | undefined {
  const m = /^(\d+)\s*([smhd]?)$/.exec(s.trim());
  if (!m) return undefined;
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  const seconds = Number(m[1]) * unit;
  return seconds > 0 ? seconds : undefined;
}

const duration = (fallback: string) =>
  v.pipe(
    v.optional(v.string(), fallback),
    v.check((s) => parseDuration(s) !== undefined, 'expected a duration such as 7d, 12h, 30m or 3600'),
    v.transform((s) => parseDuration(s)!),
  );

const EnvSchema = v.object({
  NODE_ENV: v.optional(
    v.picklist(['development', 'production', 'test'], 'expected development, production or test'),
    'development',
  ),
  PORT: intIn(0, 65535, 3000),
  HOST: v.pipe(v.optional(v.string(), '127.0.0.1'), v.trim(), v.minLength(1, 'expected a host name or address')),
  DATABASE_URL: v.pipe(
    optionalText,
    v.check(
      (s) => s === '' || /^postgres(ql)?:\/\/\S+$/.test(s),
      'expected postgres://user@host:port/database, or empty for the embedded database',
    ),
  ),
  // Database trouble must answer fast (issue 13): a server that accepts but never answers is given up on
  // after DB_CONNECT_TIMEOUT_MS, a statement after DB_STATEMENT_TIMEOUT_MS (both then a 503 with Retry-After).
  DB_CONNECT_TIMEOUT_MS: intIn(100, 60_000, 1000),
  DB_STATEMENT_TIMEOUT_MS: intIn(100, 3_600_000, 15_000),
  DB_IDLE_TIMEOUT_SECONDS: intIn(0, 86_400, 60),
  DATA_DIR: v.pipe(v.optional(v.string(), './data'), v.trim(), v.minLength(1, 'expected a directory path')),
  YT_API_KEY: v.pipe(
    optionalText,
    v.check(
      (s) => s === '' || /^[\w-]{20,100}$/.test(s),
      'expected a Google API key (letters, digits, - and _), or empty',
    ),
  ),
  YT_API_BASE_URL: httpUrl('https://www.googleapis.com/youtube/v3'),
  YT_SIMULATOR: flag,
  // Which YouTube source polls (issue 15): auto = the Data API while a key is set and its quota lasts,
  // InnerTube otherwise; api / innertube force one.
  YT_SOURCE: v.optional(v.picklist(['auto', 'api', 'innertube'], 'expected auto, api or innertube'), 'auto'),
  /** Empty = YouTube itself (youtubei.js's own endpoints); the simulator's origin in tests and the demo. */
  YT_INNERTUBE_BASE_URL: httpUrl(''),
  // InnerTube is one request per video: a global pace and a concurrency cap keep us a polite client.
  YT_INNERTUBE_PER_SECOND: intIn(1, 100, 5),
  YT_INNERTUBE_CONCURRENCY: intIn(1, 16, 2),
  TWITCH_CLIENT_ID: v.pipe(
    optionalText,
    v.check((s) => s === '' || /^[a-z0-9]{10,64}$/i.test(s), 'expected a Twitch client id (letters and digits)'),
  ),
  TWITCH_CLIENT_SECRET: v.pipe(
    optionalText,
    v.check((s) => s === '' || /^[a-z0-9]{10,64}$/i.test(s), 'expected a Twitch client secret (letters and digits)'),
  ),
  TWITCH_API_BASE_URL: httpUrl('https://api.twitch.tv/helix'),
  TWITCH_AUTH_BASE_URL: httpUrl('https://id.twitch.tv/oauth2'),
  POLL_INTERVAL_SECONDS: intIn(2, 3600, 10),
  YT_DAILY_QUOTA: intIn(1, 100_000_000, 10_000),
  ADMIN_PASSWORD: v.pipe(
    optionalText,
    v.check((s) => s === '' || s.length >= 12, 'expected at least 12 characters'),
  ),
  AUTH_SECRET: v.pipe(
    optionalText,
    v.check((s) => s === '' || s.length >= 32, 'expected at least 32 characters (e.g. openssl rand -base64 48)'),
    v.check((s) => !PLACEHOLDERS.test(s), 'expected a random value, not a placeholder'),
  ),
  MAX_HISTORY_MINUTES: intIn(1, 525_600, 10_080),
  PUBLIC_BASE_URL: httpUrl(''),
  SSE_MAX_CLIENTS: intIn(1, 1_000_000, 20_000),
  SSE_MAX_PER_ADDRESS: intIn(1, 1_000_000, 5_000),
  HISTORY_READS_PER_MINUTE: intIn(1, 10_000_000, 6_000),
  EXPORT_CONCURRENCY: intIn(1, 16, 2),
  CSV_MAX_CONCURRENT: intIn(1, 64, 4),
  CSV_STALL_SECONDS: intIn(1, 3600, 30),
  HISTORY_POINTS_IN_FLIGHT: intIn(10_000, 100_000_000, 100_000),
  EXPORT_TTL_HOURS: intIn(1, 24 * 90, 24),
  SESSION_TTL: duration('7d'),
  SESSION_IDLE_TIMEOUT: duration('2h'),
  TRUST_PROXY: flag,
  /** Bearer token that lets a scraper off this machine read /metrics; empty: /metrics answers loopback clients only. */
  METRICS_TOKEN: v.pipe(
    optionalText,
    v.check((s) => s === '' || s.length >= 16, 'expected at least 16 characters (e.g. openssl rand -hex 24), or empty'),
    v.check((s) => !PLACEHOLDERS.test(s), 'expected a random value, not a placeholder'),
  ),
  /** Extra host names the server answers for, comma-separated (`*`: any, which turns the DNS-rebinding guard off). */
  ALLOWED_HOSTS: v.pipe(
    optionalText,
    v.transform((s) =>
      s
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean),
    ),
    v.check(
      (hosts) =>
        hosts.every((h) => h === '*' || /^([a-z0-9_-]+(\.[a-z0-9_-]+)*\.?|\[[0-9a-f:.]+\])(:\d{1,5})?$/.test(h)),
      'expected host names separated by commas (e.g. live.example.org,192.168.1.20), or *',
    ),
  ),
  /** 1: webhooks may point at private, loopback and link-local addresses (a LAN receiver); off: refused. */
  WEBHOOK_ALLOW_PRIVATE: flag,
  LOG_FORMAT: v.optional(v.picklist(['pretty', 'json'], 'expected pretty or json'), 'pretty'),
});

export type Config = Readonly<v.InferOutput<typeof EnvSchema>>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

function shown(value: unknown, name: string): string {
  if (/PASSWORD|SECRET|KEY|TOKEN/.test(name)) return '(hidden)';
  return JSON.stringify(value);
}

/** Parses an environment; throws ConfigError listing every wrong variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  // Empty strings mean "not set", as in .env files written from .env.example.
  const input = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = v.safeParse(EnvSchema, input, { abortPipeEarly: true });
  if (!result.success) {
    const problems = result.issues.map((issue) => {
      const name = v.getDotPath(issue) ?? '?';
      return `${name}=${shown(input[name], name)}: ${issue.message}`;
    });
    throw new ConfigError(problems);
  }
  const config = result.output;
  if ((config.TWITCH_CLIENT_ID === '') !== (config.TWITCH_CLIENT_SECRET === '')) {
    throw new ConfigError(['TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET: set both (a Twitch app), or neither']);
  }
  if (config.NODE_ENV === 'production') {
    const missing = (['ADMIN_PASSWORD', 'AUTH_SECRET'] as const).filter((k) => config[k] === '');
    if (missing.length) throw new ConfigError(missing.map((k) => `${k}: required when NODE_ENV=production`));
  }
  return Object.freeze(config);
}

/** Reads ./.env (if present) under the real environment, which wins. */
export function loadConfig(): Config {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return parseConfig(process.env);
}
