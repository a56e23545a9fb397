// The pages people open: the event dashboard (also a read-only share link with ?token=), the OBS overlay,
// and the demo (demo/*.html as a third-party site would write them). /admin is served by the auth gate.
import { readFile } from 'node:fs/promises';
import { Hono, type Context } from 'hono';
import type { Config } from '../config.ts';
import type { Db } from '../db/db.ts';
import { pageLang } from './lang.ts';
import { escapeHtml, pageShell } from './shell.ts';
import { eventSpan, eventStreams } from '../stats/queries.ts';
import { reportWindow } from './report-window.ts';
import { attr, readableEvent } from './readable-event.ts';
import { REPORT_PRINT_STYLE } from './report-style.ts';

const DEMO_DIR = new URL('../../demo/', import.meta.url);

/** Overlay options copied from the URL onto the element, which validates them (colours need the browser's CSS parser). */
const OVERLAY_OPTIONS = [
  'view',
  'color',
  'background',
  'accent',
  'size',
  'stream',
  'minutes',
  'token',
  'offline',
  'zero',
] as const;

const langOf = (c: Context) => pageLang(c.req.query('lang') ?? c.req.query('locale'), c.req.header('accept-language'));

export function adminShell(lang: string): string {
  return pageShell({
    lang,
    title: 'LivePulse admin',
    script: '/widget/pages/admin.js',
    body: '<livepulse-admin></livepulse-admin>',
  });
}

export function pageRoutes({ config, db, sessionNow }: { config: Config; db: Db; sessionNow?: () => Date }) {
  const app = new Hono();
  const readableName = readableEvent(config, db, sessionNow);

  app.get('/event/:id/dashboard', async (c) => {
    const id = c.req.param('id');
    const { exists, name } = await readableName(c, id);
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer'); // the share link's token must not leak to other sites
    const html = pageShell({
      lang: langOf(c),
      title: `${name ?? 'Live viewers'} · LivePulse`,
      script: '/widget/pages/view.js',
      // What the page can already tell: the dashboard then says it in one line instead of opening a stream.
      body: `<livepulse-dashboard${attr('event', id)}${attr('name', name ?? undefined)}${attr('token', c.req.query('token'))}${attr('access', !exists ? 'not-found' : name === null ? 'denied' : undefined)}></livepulse-dashboard>`,
    });
    return c.html(html, exists ? 200 : 404);
  });

  // The post-event report: who may read the event (admin, a valid embed token, anyone for a public one)
  // gets it; the element fetches the stats itself, so a refusal reads like the dashboard's.
  app.get('/event/:id/report', async (c) => {
    const id = c.req.param('id');
    const { exists, name } = await readableName(c, id);
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    const now = new Date();
    const span = name !== null ? await eventSpan(db, id) : null;
    const window = span ? reportWindow(span, now, config.MAX_HISTORY_MINUTES) : null;
    // A window in the link is the stats route's to check: the element shows its refusal.
    const from = c.req.query('from') ?? window?.from.toISOString();
    const to = c.req.query('to') ?? window?.to.toISOString();
    const fromMs = from ? Date.parse(from) : NaN;
    // The chart draws the last `minutes` before now: back to the report's start, within what history serves.
    const minutes = Number.isFinite(fromMs)
      ? Math.min(config.MAX_HISTORY_MINUTES, Math.max(1, Math.ceil((now.getTime() - fromMs) / 60_000) + 1))
      : undefined;
    const labels =
      name !== null ? JSON.stringify((await eventStreams(db, id)).map((s) => [s.id, s.label, s.platform])) : undefined;
    const html = pageShell({
      lang: langOf(c),
      title: `${name ?? 'Report'} · LivePulse`,
      script: '/widget/pages/view.js',
      body: `<livepulse-report${attr('event', id)}${attr('name', name ?? undefined)}${attr('token', c.req.query('token'))}${attr('from', from)}${attr('to', to)}${attr('minutes', minutes?.toString())}${labels ? ` labels="${escapeHtml(labels)}"` : ''}${attr('access', !exists ? 'not-found' : name === null ? 'denied' : undefined)}></livepulse-report>`,
      style: REPORT_PRINT_STYLE,
    });
    return c.html(html, exists ? (name === null ? 401 : 200) : 404);
  });

  app.get('/event/:id/overlay', (c) => {
    const options = OVERLAY_OPTIONS.map((key) => attr(key, c.req.query(key))).join('');
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    return c.html(
      pageShell({
        lang: langOf(c),
        title: 'LivePulse overlay',
        script: '/widget/pages/view.js',
        body: `<livepulse-overlay${attr('event', c.req.param('id'))}${options}></livepulse-overlay>`,
        // OBS composites the page over the scene: nothing of the page itself may cover it.
        style: 'html, body { background: transparent; overflow: hidden; height: 100%; }',
      }),
    );
  });

  // The start line says "ready at http://localhost:3000": that address must lead somewhere a person can use.
  app.get('/', (c) => c.redirect('/admin', 302));

  // Browsers ask for it on every page (the login page too); an empty answer keeps their consoles clean.
  app.get('/favicon.ico', (c) => c.body(null, 204, { 'Cache-Control': 'public, max-age=86400' }));

  const demoPage = (file: string) => async (c: Context) => c.html(await readFile(new URL(file, DEMO_DIR), 'utf8'));
  app.get('/demo', demoPage('index.html'));
  app.get('/demo/overlay', demoPage('overlay.html'));

  return app;
}
