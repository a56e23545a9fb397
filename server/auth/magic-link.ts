// Magic links: signed sign-in tokens made by `npm run magic-link`, keyed by AUTH_SECRET and the admin
// password together so changing either kills every outstanding link. `once` links are spent atomically.
import type { Config } from '../config.ts';
import type { Db } from '../db/db.ts';
import { signToken, tokenKey, verifyToken, type Claims } from './tokens.ts';
import { isSpent, spend } from './queries.ts';

export const DEFAULT_MAGIC_TTL = 24 * 3600;
export const MAX_MAGIC_TTL = 365 * 86400;

type Secrets = Pick<Config, 'AUTH_SECRET' | 'ADMIN_PASSWORD'>;

const magicKey = (config: Secrets) => tokenKey(config.AUTH_SECRET, 'magic', config.ADMIN_PASSWORD);

export async function signMagicLink(
  config: Secrets,
  { ttlSeconds = DEFAULT_MAGIC_TTL, once = false, now = new Date() } = {},
) {
  if (!config.ADMIN_PASSWORD) throw new Error('ADMIN_PASSWORD is empty');
  return signToken(magicKey(config), 'magic', {
    subject: 'admin',
    ttlSeconds,
    now,
    claims: once ? { once: true } : {},
  });
}

export function magicUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/api/auth/magic?token=${encodeURIComponent(token)}`;
}

export type MagicCheck =
  | { ok: true; claims: Claims; once: boolean }
  | { ok: false; problem: 'expired' | 'used' | 'invalid' };

/** Checks a link without spending it. */
export async function checkMagicLink(config: Secrets, db: Db, token: string | undefined): Promise<MagicCheck> {
  const verified = await verifyToken(magicKey(config), 'magic', token);
  if (!verified.ok) return { ok: false, problem: verified.reason };
  const once = verified.payload.once === true;
  if (once && (await isSpent(db, verified.payload.jti))) {
    return { ok: false, problem: 'used' };
  }
  return { ok: true, claims: verified.payload, once };
}

/** Spends a single-use link: of any number of parallel calls for one jti, exactly one returns true. */
export function spendMagicLink(db: Db, claims: Claims): Promise<boolean> {
  return spend(db, claims.jti, claims.exp);
}
