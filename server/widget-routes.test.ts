import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { ApiError, errorResponse } from './errors.ts';
import { resolveInside, widgetRoutes } from './widget-routes.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'widget-routes-'));
mkdirSync(path.join(dir, 'chunks'));
const entry = 'customElements.define("x-y", class extends HTMLElement {});\n'.repeat(50);
writeFileSync(path.join(dir, 'livepulse.js'), entry);
writeFileSync(path.join(dir, 'chunks', 'chart-Ab3dE5fG.js'), 'export const chart = 1;');
writeFileSync(path.join(dir, 'notes.txt'), 'not a bundle file');
writeFileSync(path.join(path.dirname(dir), 'secret.js'), 'outside');

// The app's error renderer, as createApp uses it, so 404s are checked as users get them.
const app = new Hono().route('/', widgetRoutes({ dir }));
app.onError((error, c) => {
  if (!(error instanceof ApiError)) throw error;
  return errorResponse(c, error);
});

describe('widget routes', () => {
  it('serves an entry as CORS-readable JavaScript that is revalidated by ETag', async () => {
    const res = await app.request('/widget/livepulse.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(await res.text()).toBe(entry);
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{22}"$/);

    const again = await app.request('/widget/livepulse.js', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('gives hashed chunks a year of immutable caching', async () => {
    const res = await app.request('/widget/chunks/chart-Ab3dE5fG.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('compresses when the client accepts it', async () => {
    const res = await app.request('/widget/livepulse.js', { headers: { 'accept-encoding': 'gzip, deflate' } });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('vary')).toBe('Accept-Encoding');
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.length).toBeLessThan(entry.length / 5);
    expect(gunzipSync(body).toString()).toBe(entry);
    const br = await app.request('/widget/livepulse.js', { headers: { 'accept-encoding': 'gzip, br' } });
    expect(br.headers.get('content-encoding')).toBe('br');
  });

  it.each([
    ['/widget/missing.js'],
    ['/widget/notes.txt'],
    ['/widget/'],
    ['/widget/chunks'],
    ['/widget/..%2fsecret.js'],
    ['/widget/chunks/..%2f..%2fsecret.js'],
    ['/widget/%5c..%5csecret.js'],
    ['/widget/%E0%A4%A'],
  ])('answers 404 JSON for %s', async (url) => {
    const res = await app.request(url);
    expect(res.status).toBe(404);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect((await res.json()).error.code).toBe('not_found');
  });

  it('never reaches outside through dot segments the URL parser folds', async () => {
    // %2e%2e is ".." to the URL parser: the path leaves /widget/ before routing, so no widget route answers.
    const res = await app.request('/widget/%2e%2e/secret.js');
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('outside');
  });

  it('resolves only names inside the folder', () => {
    expect(resolveInside('/srv/w', 'a/b.js')).toBe('/srv/w/a/b.js');
    for (const bad of ['../x.js', 'a/../../x.js', '/etc/passwd', 'a//b.js', './a.js', 'a\\..\\b.js', 'a\0.js', '']) {
      expect(resolveInside('/srv/w', bad), bad).toBeNull();
    }
  });
});
