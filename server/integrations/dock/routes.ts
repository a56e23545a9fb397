// GET /event/:id/dock: the page for an OBS custom browser dock (<livepulse-dock>), dark unless
// ?theme=light. Like the dashboard: public events, ?token= for private ones, or the admin's session.
import { Hono } from 'hono';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/db.ts';
import { pageLang } from '../../pages/lang.ts';
import { pageShell } from '../../pages/shell.ts';
import { attr, readableEvent } from '../../pages/readable-event.ts';

/** The page shell's dark palette, for every colour scheme: a dock sits in OBS's dark chrome. */
const DARK = `
  :root {
    color-scheme: dark;
    --lp-bg: #0f1217; --lp-surface: #181c23; --lp-text: #e7e9ec; --lp-muted: #a3acb8;
    --lp-border: #343b46; --lp-accent: #8ab0ff; --lp-on-accent: #0b1020; --lp-focus: #8ab0ff;
    --lp-danger: #ff8a80; --lp-ok: #6fdc8c; --lp-warn: #ffd27a; --lp-warn-bg: #3a2e12;
  }`;

export function dockRoutes({ config, db, sessionNow }: { config: Config; db: Db; sessionNow?: () => Date }) {
  const app = new Hono();
  const readableName = readableEvent(config, db, sessionNow);

  app.get('/event/:id/dock', async (c) => {
    const id = c.req.param('id');
    const { exists, name } = await readableName(c, id);
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer'); // the token must not leak to other sites
    const light = c.req.query('theme') === 'light';
    const access = !exists ? 'not-found' : name === null ? 'denied' : undefined;
    const html = pageShell({
      lang: pageLang(c.req.query('lang'), c.req.header('accept-language')),
      title: `${name ?? 'LivePulse'} · dock`,
      script: '/widget/pages/dock.js',
      body: `<livepulse-dock${attr('event', id)}${attr('name', name ?? undefined)}${attr('token', c.req.query('token'))}${attr('access', access)}></livepulse-dock>`,
      style: light ? '' : DARK,
    });
    return c.html(html, exists ? 200 : 404);
  });

  return app;
}
