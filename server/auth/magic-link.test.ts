import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, openTestDb, type TestDb } from '../testing/test-db.ts';
import { checkMagicLink, magicUrl, signMagicLink, spendMagicLink } from './magic-link.ts';
import { testConfig } from './testing/test-session.ts';

const config = testConfig();

describe.each(engines)('magic links on %s', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(engine);
  });
  afterAll(() => t.close());

  it('spends a single-use link exactly once among 20 parallel attempts, and then reports it used', async () => {
    const { token } = await signMagicLink(config, { once: true });
    const link = await checkMagicLink(config, t.db, token);
    if (!link.ok) throw new Error(`expected a valid link, got ${link.problem}`);
    expect(link.once).toBe(true);
    const spent = await Promise.all(Array.from({ length: 20 }, () => spendMagicLink(t.db, link.claims)));
    expect(spent.filter(Boolean)).toHaveLength(1);
    expect(await checkMagicLink(config, t.db, token)).toEqual({ ok: false, problem: 'used' });
  });

  it('keeps a reusable link valid after use, until its expiry', async () => {
    const { token, expiresAt } = await signMagicLink(config, { ttlSeconds: 3600 });
    expect(expiresAt.getTime() - Date.now()).toBeGreaterThan(3590_000);
    for (let i = 0; i < 3; i++) expect((await checkMagicLink(config, t.db, token)).ok).toBe(true);
  });

  it('dies when the admin password or the auth secret changes', async () => {
    const { token } = await signMagicLink(config);
    expect((await checkMagicLink({ ...config, ADMIN_PASSWORD: 'a-new-admin-password' }, t.db, token)).ok).toBe(false);
    expect((await checkMagicLink({ ...config, AUTH_SECRET: 'n'.repeat(48) }, t.db, token)).ok).toBe(false);
  });
});

describe('magicUrl', () => {
  it('joins the base URL and the encoded token without a double slash', () => {
    expect(magicUrl('https://live.example.org/', 'a.b-c_d')).toBe(
      'https://live.example.org/api/auth/magic?token=a.b-c_d',
    );
  });
});
