import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders } from '../auth/testing/test-session.ts';
import { engines } from '../testing/test-db.ts';
import { testInstance } from '../testing/test-instance.ts';
import { insertEvent } from '../events/queries.ts';

describe.each(engines)('page routes on %s', (engine) => {
  let t: Awaited<ReturnType<typeof testInstance>>;
  let admin: Record<string, string>;
  const get = (path: string, headers: Record<string, string> = {}) =>
    t.app.request(`http://localhost${path}`, { headers });

  beforeAll(async () => {
    t = await testInstance(engine);
    admin = await adminHeaders(t.config);
    const unplanned = { startsAt: null, endsAt: null };
    await insertEvent(t.db, { id: 'pub1', name: 'Open <Day>', public: true, embedKey: 'k1', ...unplanned });
    await insertEvent(t.db, { id: 'priv1', name: 'Secret board', public: false, embedKey: 'k2', ...unplanned });
  });
  afterAll(() => t.close());

  it('serves a public dashboard in the browser language, frameable, with no inline script', async () => {
    const res = await get('/event/pub1/dashboard', { 'accept-language': 'fr-CA,fr;q=0.9' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<html lang="fr-CA">');
    expect(html).toContain('<title>Open &lt;Day&gt; · LivePulse</title>');
    expect(html).toContain('<livepulse-dashboard event="pub1" name="Open &lt;Day&gt;"></livepulse-dashboard>');
    expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script type="module" src="/widget/pages/view.js">']);
    expect(res.headers.get('x-frame-options')).toBeNull();
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('names a private event only to the admin or with an embed token of that event', async () => {
    expect(await (await get('/event/priv1/dashboard')).text()).not.toContain('Secret board');
    expect(await (await get('/event/priv1/dashboard')).text()).toContain(
      '<livepulse-dashboard event="priv1" access="denied">',
    );
    expect(await (await get('/event/priv1/dashboard?token=forged')).text()).not.toContain('Secret board');
    expect(await (await get('/event/priv1/dashboard', admin)).text()).toContain('name="Secret board"');
    const minted = await t.app.request('http://localhost/api/events/priv1/embed-tokens', {
      method: 'POST',
      headers: admin,
      body: '{}',
    });
    const { token } = (await minted.json()) as { token: string };
    const shared = await (await get(`/event/priv1/dashboard?token=${encodeURIComponent(token)}`)).text();
    expect(shared).toContain('name="Secret board"');
    expect(shared).toContain(`token="${token}"`);
  });

  it('answers 404 for an unknown event, still with a page that says so', async () => {
    const res = await get('/event/nope/dashboard');
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('<livepulse-dashboard event="nope" access="not-found">');
  });

  it('copies the overlay options onto the element, escaped, and makes the page transparent', async () => {
    const res = await get(
      '/event/pub1/overlay?view=counter&color=%22%3E%3Cscript%3Ealert(1)%3C/script%3E&size=120&lang=fr&unknown=1&offline=hide&zero=1',
    );
    const html = await res.text();
    expect(html).toContain('<html lang="fr">');
    expect(html).toContain(
      '<livepulse-overlay event="pub1" view="counter" color="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" size="120" offline="hide" zero="1"></livepulse-overlay>',
    );
    expect(html).not.toContain('unknown');
    expect(html).toContain('html, body { background: transparent;');
    expect(res.headers.get('x-frame-options')).toBeNull();
  });

  it('serves the demo pages as a third-party site would write them', async () => {
    const demo = await (await get('/demo')).text();
    expect(demo).toContain('<script type="module" src="/widget/livepulse.js"></script>');
    expect(demo).toContain('<livepulse-counter event="demo">');
    expect(demo).toContain('<livepulse-chart event="demo" streams>');
    expect(await (await get('/demo/overlay')).text()).toContain('src="/event/demo/overlay?view=both');
  });

  it('sends / to the admin instead of a JSON 404 (the start line points there)', async () => {
    const res = await get('/');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/admin');
  });

  it('tells where view counts come from in /api/health', async () => {
    expect(((await (await get('/api/health')).json()) as { youtube: string }).youtube).toBe('none');
  });
});
