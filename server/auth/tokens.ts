// Signs and checks LivePulse's three kinds of JWT (admin session, magic link, embed). Each kind has its
// own key, audience and typ, so no token can pass for another; every check pins HS256 and requires exp.
import { createHmac, randomUUID } from 'node:crypto';
import { errors, jwtVerify, SignJWT, type JWTPayload } from 'jose';

export type TokenKind = 'session' | 'magic' | 'embed';

const ISSUER = 'livepulse';
/** Longer strings are refused unread: a session JWT is about 300 characters. */
export const MAX_TOKEN_LENGTH = 2048;
/** An embed token "without expiry" still carries exp (every check requires it): this far out. */
export const EMBED_DEFAULT_HOURS = 10 * 365 * 24;

const KINDS: Record<TokenKind, { audience: string; typ: string; maxAgeSeconds: number }> = {
  session: { audience: 'livepulse-session', typ: 'session+jwt', maxAgeSeconds: 366 * 86400 },
  magic: { audience: 'livepulse-magic', typ: 'magic+jwt', maxAgeSeconds: 366 * 86400 },
  embed: { audience: 'livepulse-embed', typ: 'embed+jwt', maxAgeSeconds: (EMBED_DEFAULT_HOURS + 24) * 3600 },
};

/**
 * A key per kind, derived from AUTH_SECRET. `bound` ties the key to more state: the admin password for
 * magic links (a new password kills every link), an event's embed_key for embed tokens (rotating it
 * revokes that event's tokens).
 */
export function tokenKey(authSecret: string, kind: TokenKind, bound = ''): Uint8Array {
  if (authSecret.length < 32) throw new Error('AUTH_SECRET must be at least 32 characters');
  return createHmac('sha256', authSecret).update(`livepulse/${kind}/${bound}`).digest();
}

export interface Signed {
  token: string;
  jti: string;
  expiresAt: Date;
}

export async function signToken(
  key: Uint8Array,
  kind: TokenKind,
  {
    subject,
    ttlSeconds,
    now = new Date(),
    claims = {},
    jti = randomUUID(),
  }: { subject: string; ttlSeconds: number; now?: Date; claims?: JWTPayload; jti?: string },
): Promise<Signed> {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + ttlSeconds;
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: KINDS[kind].typ })
    .setIssuer(ISSUER)
    .setAudience(KINDS[kind].audience)
    .setSubject(subject)
    .setJti(jti)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(key);
  return { token, jti, expiresAt: new Date(exp * 1000) };
}

export type Claims = JWTPayload & { sub: string; jti: string; exp: number };
export type Verified = { ok: true; payload: Claims } | { ok: false; reason: 'expired' | 'invalid' };

/** Never throws: a bad token of any shape is `invalid`, a well-signed one past its exp is `expired`. */
export async function verifyToken(
  key: Uint8Array,
  kind: TokenKind,
  token: string | undefined,
  now = new Date(),
): Promise<Verified> {
  if (!token || token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'invalid' };
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: KINDS[kind].audience,
      typ: KINDS[kind].typ,
      requiredClaims: ['exp', 'iat', 'sub', 'jti'],
      maxTokenAge: KINDS[kind].maxAgeSeconds,
      clockTolerance: 5,
      currentDate: now,
    });
    return { ok: true, payload: payload as Claims };
  } catch (error) {
    // A too-old iat also raises JWTExpired; both mean "was valid once, is not now".
    return { ok: false, reason: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
  }
}
