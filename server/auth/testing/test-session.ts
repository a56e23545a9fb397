// For tests only: request headers that act as the logged-in admin in `app.request('http://localhost/…')`
// (session cookie, same Origin, JSON body), and a config with the secrets createAccess requires.
import { parseConfig, type Config } from '../../config.ts';
import { SESSION_COOKIE, signSession } from '../session.ts';

export const TEST_ADMIN_PASSWORD = 'test-admin-password-123';
export const TEST_AUTH_SECRET = 'test-auth-secret-0123456789abcdefghijklmnop';

/** parseConfig() with test secrets filled in; `env` overrides anything. */
export function testConfig(env: Record<string, string> = {}): Config {
  // YT_SOURCE=api: tests get the Data API path alone (no InnerTube against the real YouTube) unless they ask.
  return parseConfig({
    NODE_ENV: 'test',
    ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
    AUTH_SECRET: TEST_AUTH_SECRET,
    YT_SOURCE: 'api',
    ...env,
  });
}

export async function adminHeaders(config: Config, origin = 'http://localhost'): Promise<Record<string, string>> {
  const { token } = await signSession(config);
  return { cookie: `${SESSION_COOKIE}=${token}`, origin, 'content-type': 'application/json' };
}
