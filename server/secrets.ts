// First-run secrets: outside production a missing ADMIN_PASSWORD or AUTH_SECRET is generated once,
// kept in DATA_DIR/secrets.json (owner-only), and reused on every later start.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.ts';

export interface Secrets {
  adminPassword: string;
  authSecret: string;
  /** Which of them were generated during this call (to be shown once). */
  generated: ('ADMIN_PASSWORD' | 'AUTH_SECRET')[];
}

export function resolveSecrets(config: Config): Secrets {
  const file = join(config.DATA_DIR, 'secrets.json');
  const stored: Partial<Record<'ADMIN_PASSWORD' | 'AUTH_SECRET', string>> = existsSync(file)
    ? JSON.parse(readFileSync(file, 'utf8'))
    : {};
  const generated: Secrets['generated'] = [];
  const pick = (name: 'ADMIN_PASSWORD' | 'AUTH_SECRET', make: () => string) => {
    if (config[name]) return config[name];
    if (stored[name]) return stored[name]!;
    generated.push(name);
    return (stored[name] = make());
  };
  const adminPassword = pick('ADMIN_PASSWORD', () => randomBytes(12).toString('base64url'));
  const authSecret = pick('AUTH_SECRET', () => randomBytes(48).toString('base64url'));
  if (generated.length) {
    mkdirSync(config.DATA_DIR, { recursive: true, mode: 0o700 });
    writeFileSync(file, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return { adminPassword, authSecret, generated };
}

/** The configuration with both secrets filled in (from the environment, or DATA_DIR/secrets.json). */
export function withSecrets(env: Config): { config: Config; secrets: Secrets } {
  const secrets = resolveSecrets(env);
  return { config: Object.freeze({ ...env, ADMIN_PASSWORD: secrets.adminPassword, AUTH_SECRET: secrets.authSecret }), secrets };
}
