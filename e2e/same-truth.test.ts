// Every screen tells the same truth at the same moment: one situation (a private event, every YouTube
// stream failing, its Twitch channel offline, the newest total 12 minutes old) fed to the counter embed,
// the dock, the dashboard, the overlay and now.json/xml/csv, which must all say `stale` with that total,
// dated. The stranger saw the counter and the dock say "No count" while the others said "As of 13:17":
// the counter asks for one minute of history, which held no count.
import { mkdirSync } from 'node:fs';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken, tokenKey } from '../server/auth/tokens.ts';
import { makeTwitchStream, setStreamStatus } from '../server/integrations/testing/queries.ts';
import { seedEvent, seedRows } from '../server/testing/queries.ts';
import { testInstance } from '../server/testing/test-instance.ts';
import type { NowResponse } from '../server/wire.ts';
import { launch, OUTPUT_DIR } from './browser.ts';
import { seenText, stateOf } from './states-setup.ts';

const DIR = `${OUTPUT_DIR}/same-truth`;
const WAIT = { timeout: 25_000, interval: 250 };
const TOTAL = '10,136';

describe('one situation, one state on every screen', () => {
  let inst: Awaited<ReturnType<typeof testInstance>>;
  let browser: Browser;
  let token = '';
  /** "As of 2:00 PM": when the newest total was taken, as the screens write it (en-US, UTC). */
  let clock = '';
  const pages: Page[] = [];

  beforeAll(async () => {
    inst = await testInstance('embedded', { listen: true });
    await seedEvent(inst.db, 'same', [{ id: 'yt1' }, { id: 'yt2' }, { id: 'tw' }], false);
    await makeTwitchStream(inst.db, 'tw', 'sideroom');
    const at = new Date(Date.now() - 12 * 60_000);
    const ts = at.toISOString();
    clock = at.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' });
    await seedRows(inst.db, 'same', [
      { streamId: 'yt1', ts, viewers: 7_000 },
      { streamId: 'yt2', ts, viewers: 2_500 },
      { streamId: 'tw', ts, viewers: 636 },
    ]);
    await setStreamStatus(inst.db, ['yt1', 'yt2'], 'error');
    await setStreamStatus(inst.db, ['tw'], 'offline');
    const key = tokenKey(inst.config.AUTH_SECRET, 'embed', 'key-same');
    token = (await signToken(key, 'embed', { subject: 'same', ttlSeconds: 3600 })).token;
    browser = await launch();
  });
  afterAll(async () => {
    await Promise.all(pages.map((p) => p.close()));
    await browser?.close();
    await inst?.close();
  });

  async function page(path: string, width: number, height: number, html?: string): Promise<Page> {
    const p = await browser.newPage({ viewport: { width, height }, locale: 'en-US', timezoneId: 'UTC' });
    pages.push(p);
    if (html) await p.route(`${inst.url}${path}`, (route) => route.fulfill({ contentType: 'text/html', body: html }));
    await p.goto(`${inst.url}${path}`);
    return p;
  }

  it('says stale, with the 12-minute-old total dated, on the counter, dock, dashboard, overlay and now.*', async () => {
    const embed = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>embed</title>
<script type="module" src="/widget/livepulse.js"></script></head>
<body><livepulse-counter event="same" token="${token}" style="--livepulse-font-size:64px"></livepulse-counter></body></html>`;
    const q = `?token=${encodeURIComponent(token)}`;
    const [counter, dock, dashboard, overlay] = await Promise.all([
      page('/__same/embed', 480, 200, embed),
      page(`/event/same/dock${q}`, 300, 600),
      page(`/event/same/dashboard${q}`, 1280, 900),
      page(`/event/same/overlay${q}&size=72`, 1280, 720),
    ]);
    const screens: [string, Page | Frame, string][] = [
      ['counter', counter, 'livepulse-counter'],
      ['dock', dock, 'livepulse-dock'],
      ['dashboard', dashboard, 'livepulse-dashboard'],
      ['overlay', overlay, 'livepulse-overlay'],
    ];
    await Promise.all(
      screens.map(async ([name, where, selector]) => {
        await expect.poll(() => stateOf(where, selector), { ...WAIT, message: `${name} state` }).toBe('stale');
        await expect
          .poll(() => seenText(where, selector), { ...WAIT, message: `${name} words` })
          .toSatisfy((seen: string) => seen.includes(TOTAL) && seen.includes(`As of ${clock}`));
        expect(await seenText(where, selector), name).not.toMatch(/no count|not answering/i);
      }),
    );
    mkdirSync(DIR, { recursive: true });
    await Promise.all(
      screens.map(([name, where]) => (where as Page).screenshot({ path: `${DIR}/${name}.png`, fullPage: true })),
    );

    const now = (format: string) => fetch(`${inst.url}/api/events/same/now.${format}${q}&locale=en-US`);
    const json = (await (await now('json')).json()) as NowResponse;
    expect([json.state, json.totalFormatted]).toEqual(['stale', TOTAL]);
    expect(await (await now('xml')).text()).toMatch(/<state>stale<\/state>/);
    expect(await (await now('csv')).text()).toMatch(/stale/);
  }, 90_000);
});
