import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig, parseDuration } from './config.ts';

function problems(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('config', () => {
  it('has working defaults for a fresh clone', () => {
    const c = parseConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.DATABASE_URL).toBe('');
    expect(c.DATA_DIR).toBe('./data');
    expect(c.YT_API_BASE_URL).toBe('https://www.googleapis.com/youtube/v3');
    expect(c.YT_DAILY_QUOTA).toBe(10_000);
    expect(c.MAX_HISTORY_MINUTES).toBe(10_080);
    expect(c.SESSION_TTL).toBe(7 * 86400);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('treats empty values as unset, as a copied .env.example has them', () => {
    expect(parseConfig({ PORT: '', AUTH_SECRET: '', DATABASE_URL: '' }).PORT).toBe(3000);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['POLL_INTERVAL_SECONDS', '0'],
    ['YT_DAILY_QUOTA', '1.5'],
    ['AUTH_SECRET', 'short'],
    ['AUTH_SECRET', 'changeme'],
    ['ADMIN_PASSWORD', 'tiny'],
    ['DATABASE_URL', 'mysql://x'],
    ['YT_API_BASE_URL', 'ftp://x'],
    ['SESSION_TTL', 'forever'],
    ['TRUST_PROXY', 'yes'],
    ['MAX_HISTORY_MINUTES', '0'],
  ])('refuses %s=%s with a line naming it', (name, value) => {
    const lines = problems({ [name]: value });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^${name}=`));
    expect(lines[0]).toMatch(/expected/);
  });

  it('never echoes a secret value in its message', () => {
    const [line] = problems({ AUTH_SECRET: 'short-but-secret' });
    expect(line).not.toContain('short-but-secret');
  });

  it('lists every wrong variable at once', () => {
    expect(problems({ PORT: 'abc', AUTH_SECRET: 'short', YT_DAILY_QUOTA: 'x' })).toHaveLength(3);
  });

  it('requires both secrets in production', () => {
    expect(problems({ NODE_ENV: 'production' }).join('\n')).toMatch(/ADMIN_PASSWORD.*\n.*AUTH_SECRET/);
  });

  it('reads the source settings of issue 15 with their defaults', () => {
    const c = parseConfig({});
    expect(c.YT_SOURCE).toBe('auto');
    expect(c.YT_INNERTUBE_BASE_URL).toBe('');
    expect(c.TWITCH_API_BASE_URL).toBe('https://api.twitch.tv/helix');
    expect(c.TWITCH_AUTH_BASE_URL).toBe('https://id.twitch.tv/oauth2');
    expect(problems({ YT_SOURCE: 'scrape' })[0]).toMatch(/^YT_SOURCE=.*expected auto, api or innertube/);
  });

  it('wants both Twitch credentials or neither, and never shows the secret', () => {
    const lines = problems({ TWITCH_CLIENT_SECRET: 'abcdefghij0123456789abcdefghij' });
    expect(lines.join('\n')).toMatch(/set both/);
    const bad = problems({ TWITCH_CLIENT_ID: 'abcdefghij0123456789', TWITCH_CLIENT_SECRET: 'not a valid secret!' });
    expect(bad.join('\n')).toMatch(/^TWITCH_CLIENT_SECRET=\(hidden\)/);
    expect(bad.join('\n')).not.toContain('not a valid secret');
  });

  it('parses durations', () => {
    expect(parseDuration('24h')).toBe(86400);
    expect(parseDuration('90')).toBe(90);
    expect(parseDuration('0')).toBeUndefined();
    expect(parseDuration('1w')).toBeUndefined();
  });
});
