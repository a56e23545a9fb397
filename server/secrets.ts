// First-run secrets: outside production a missing ADMIN_PASSWORD or AUTH_SECRET is generated once,
// kept in DATA_DIR/secrets.json (owner-only), and reused on every later start.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from './config.ts';

type Name = 'ADMIN_PASSWORD' | 'AUTH_SECRET';

/** What secrets.json holds: the generated secrets, and whether the password has been shown on a start that got ready. */
type Stored = Partial<Record<Name, string>> & { passwordShown?: boolean };

export interface Secrets {
  adminPassword: string;
  authSecret: string;
  /** Which of them were generated during this call. */
  generated: Name[];
  /** The absolute path of secrets.json when the admin password comes from it (not from the environment). */
  passwordFile: string | null;
  /**
   * The generated password has never been shown on a start that reached "ready" (the first start can fail
   * after writing it: a database that does not exist yet, a busy port), so this start must show it.
   */
  showPassword: boolean;
}

export const secretsFile = (config: Config) => resolve(join(config.DATA_DIR, 'secrets.json'));

function readStored(file: string): Stored {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Stored) : {};
}

function writeStored(config: Config, stored: Stored) {
  mkdirSync(config.DATA_DIR, { recursive: true, mode: 0o700 });
  const file = secretsFile(config);
  writeFileSync(file, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
}

/**
 * The secrets from the environment, else from secrets.json, else generated and stored. With `create: false`
 * nothing is generated: the names that would have been are returned in `missing` instead.
 */
export function resolveSecrets(config: Config, { create = true } = {}): Secrets & { missing: Name[] } {
  const file = secretsFile(config);
  const stored = readStored(file);
  const generated: Name[] = [];
  const missing: Name[] = [];
  const pick = (name: Name, make: () => string) => {
    if (config[name]) return config[name];
    if (stored[name]) return stored[name];
    if (!create) {
      missing.push(name);
      return '';
    }
    generated.push(name);
    return (stored[name] = make());
  };
  const adminPassword = pick('ADMIN_PASSWORD', () => randomBytes(12).toString('base64url'));
  const authSecret = pick('AUTH_SECRET', () => randomBytes(48).toString('base64url'));
  if (generated.length) writeStored(config, stored);
  const fromFile = !config.ADMIN_PASSWORD && Boolean(stored.ADMIN_PASSWORD);
  return {
    adminPassword,
    authSecret,
    generated,
    missing,
    passwordFile: fromFile ? file : null,
    showPassword: fromFile && stored.passwordShown !== true,
  };
}

/** Records that a start reached "ready" and showed the generated password: later starts say where it is instead. */
export function markPasswordShown(config: Config) {
  const stored = readStored(secretsFile(config));
  if (stored.passwordShown) return;
  writeStored(config, { ...stored, passwordShown: true });
}

/** The configuration with both secrets filled in (from the environment, or DATA_DIR/secrets.json). */
export function withSecrets(env: Config): { config: Config; secrets: Secrets } {
  const secrets = resolveSecrets(env);
  return {
    config: Object.freeze({ ...env, ADMIN_PASSWORD: secrets.adminPassword, AUTH_SECRET: secrets.authSecret }),
    secrets,
  };
}
