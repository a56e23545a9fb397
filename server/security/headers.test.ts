import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authTestApp } from '../auth/testing/test-app.ts';
import { adminHeaders } from '../auth/testing/test-session.ts';
import { isFrameable } from './headers.ts';

describe('isFrameable', () => {
  it.each([
    ['/event/abc/overlay', true],
    ['/event/abc/dashboard', true],
    ['/demo', true],
    ['/demo/', true],
    ['/widget/livepulse.js', true],
    ['/admin', false],
    ['/login', false],
    ['/event/abc/overlay/../../admin', false],
    ['/demonstration', false],
    ['/api/events/abc/stream', false],
  ])('%s → %s', (path, expected) => expect(isFrameable(path)).toBe(expected));
});

describe('security headers', () => {
  let t: Awaited<ReturnType<typeof authTestApp>>;
  beforeAll(async () => {
    t = await authTestApp('embedded');
  });
  afterAll(() => t.close());

  it('forbids framing the login and admin pages, with a CSP that allows only same-origin scripts', async () => {
    for (const path of ['/login', '/admin']) {
      const res = await t.app.request(`http://localhost${path}`, { headers: await adminHeaders(t.config) });
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toMatch(/(^|; )script-src 'self'(;|$)/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    }
  });

  it('lets embed and overlay pages be framed anywhere', async () => {
    for (const path of ['/event/e1/overlay', '/event/e1/dashboard', '/demo', '/widget/livepulse.js']) {
      const res = await t.app.request(`http://localhost${path}`);
      expect(res.headers.get('content-security-policy'), path).toMatch(/frame-ancestors \*/);
      expect(res.headers.get('x-frame-options')).toBeNull();
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  it('keeps a stricter Referrer-Policy a route set itself', async () => {
    const res = await t.app.request('http://localhost/api/auth/magic?token=x');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('caps every API body at 64 KB with a JSON 413', async () => {
    const res = await t.app.request('http://localhost/api/events', {
      method: 'POST',
      headers: await adminHeaders(t.config),
      body: JSON.stringify({ name: 'x'.repeat(70_000) }),
    });
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('payload_too_large');
  });
});
