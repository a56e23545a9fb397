// YouTube and Twitch in one event (issue 15), in Chromium against an in-process server polling the simulator
// (Data API, InnerTube for a followed channel, Twitch Helix): the dashboard, the admin's stream rows and the
// OBS dock at 300 px show each stream's platform mark and its name for screen readers, the admin says which
// source counts each stream and why, a followed channel with nothing live reads as offline in calm words,
// and the total is the sum of both platforms. Screenshots, dark and light, go to test-output/platforms/.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_PASSWORD } from '../server/auth/testing/test-session.ts';
import { insertEvent, insertStream, type NewStream } from '../server/events/queries.ts';
import { startSimulator, type Simulator } from '../server/simulator/simulator.ts';
import { sourceReasons, streamSources } from '../server/sources/testing/queries.ts';
import { chooseYoutubeSource } from '../server/sources/youtube-choice.ts';
import { testInstance } from '../server/testing/test-instance.ts';
import { launch, OUTPUT_DIR, screenshot, seriousViolations, watchErrors } from './browser.ts';

const KEY = 'platforms-simulator-key-00000';
const EVENT = 'mix';
const moving = (base: number) => ({
  kind: 'moving' as const,
  base,
  amplitude: base / 40,
  periodSeconds: 120,
  noise: 0,
});
const pending = {
  status: 'pending' as const,
  statusReason: null,
  scheduledStart: null,
  title: null,
  channelTitle: null,
};
const STREAMS: Omit<NewStream, 'eventId'>[] = [
  { id: 'mix0', videoId: 'mixLiveAA11', label: 'Main stage', ...pending },
  { id: 'mix1', videoId: 'mixLiveBB22', label: 'Salle B — traduction française', ...pending },
  {
    id: 'mix2',
    videoId: null,
    label: 'Twitch co-stream',
    platform: 'twitch',
    login: 'confco',
    target: 'twitch.tv/confco',
    ...pending,
  },
  {
    id: 'mix3',
    videoId: null,
    label: 'Closing night',
    follows: true,
    target: 'youtube.com/@closingnight',
    ...pending,
  },
];

describe('YouTube and Twitch in one event', () => {
  let sim: Simulator;
  let inst: Awaited<ReturnType<typeof testInstance>>;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ apiKey: KEY });
    sim.setVideo('mixLiveAA11', { state: 'live', title: 'Keynote', channelTitle: 'Conf', curve: moving(12_400) });
    sim.setVideo('mixLiveBB22', { state: 'live', title: 'Salle B', channelTitle: 'Conf FR', curve: moving(3_150) });
    sim.twitch.setChannel('confco', { live: true, title: 'Conf co-stream', curve: moving(4_800) });
    sim.innertube.setChannel('@closingnight', { channelId: 'UCclosingnight0000000000', liveVideoId: null });
    inst = await testInstance('embedded', {
      listen: true,
      start: true,
      youtube: { baseUrl: sim.baseUrl, apiKey: KEY },
      env: {
        POLL_INTERVAL_SECONDS: '2',
        YT_DAILY_QUOTA: '1000000',
        YT_SOURCE: 'auto',
        YT_INNERTUBE_BASE_URL: sim.origin,
        TWITCH_CLIENT_ID: 'simclientid0000000000000000000',
        TWITCH_CLIENT_SECRET: 'simclientsecret00000000000000',
        TWITCH_API_BASE_URL: sim.twitchApiBaseUrl,
        TWITCH_AUTH_BASE_URL: sim.twitchAuthBaseUrl,
      },
    });
    await insertEvent(inst.db, {
      id: EVENT,
      public: true,
      name: 'Spring Conference 2026',
      startsAt: null,
      endsAt: null,
      embedKey: 'mix-key',
    });
    for (const s of STREAMS) await insertStream(inst.db, { ...s, eventId: EVENT });
    inst.poller.wake();
    // The first tick: every stream has its status (the followed channel resolved to offline).
    const first = JSON.stringify([
      ['api', 'live'],
      ['api', 'live'],
      ['twitch', 'live'],
      [null, 'offline'],
    ]);
    let seen = '';
    for (const until = Date.now() + 30_000; seen !== first; await new Promise((r) => setTimeout(r, 200))) {
      if (Date.now() > until) throw new Error(`the first tick did not come: ${seen}`);
      seen = JSON.stringify((await streamSources(inst.db, EVENT)).map((s) => [s.source, s.status]));
    }
    // The poller wrote why it chose each source, in the words of chooseYoutubeSource for this configuration.
    const choice = chooseYoutubeSource({ setting: 'auto', hasKey: true, quotaSpentUntil: null, now: new Date() });
    expect(await sourceReasons(inst.db, 'api')).toEqual([choice.why]);
    browser = await launch();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await inst?.close();
    await sim?.close();
  });

  async function open(path: string, name: string, o: { width: number; height: number; dark: boolean }) {
    const page = await browser.newPage({
      viewport: { width: o.width, height: o.height },
      colorScheme: o.dark ? 'dark' : 'light',
      locale: 'en-US',
    });
    watchErrors(page, name, errors);
    await page.goto(`${inst.url}${path}`);
    return page;
  }

  /** Text, mark and count of each stream in `list` (a selector inside the page element's shadow root). */
  function streamsOf(page: Page, host: string, item: string, label: string) {
    return page.evaluate(
      ([host, item, label]) => {
        const root = document.querySelector(host)!.shadowRoot!;
        const value = (el: Element | null) => el?.shadowRoot?.querySelector('.value')?.textContent ?? '';
        return {
          total: value(root.querySelector('.total livepulse-counter')),
          items: [...root.querySelectorAll(item)].map((li) => ({
            label: li.querySelector(label)?.textContent?.trim(),
            mark: li.querySelector('svg.platform')?.getAttribute('aria-label'),
            role: li.querySelector('svg.platform')?.getAttribute('role'),
            value: value(li.querySelector('livepulse-counter')),
            status: li.querySelector('.status')?.textContent,
          })),
        };
      },
      [host, item, label],
    );
  }

  const number = (text: string) => Number(text.replace(/\D/g, '') || NaN);

  it('the dashboard marks each card and totals both platforms, dark and light', async () => {
    for (const dark of [true, false]) {
      const page = await open(`/event/${EVENT}/dashboard`, 'dashboard', { width: 1600, height: 900, dark });
      await page.waitForFunction(
        () =>
          (document.querySelector('livepulse-dashboard')?.shadowRoot?.querySelectorAll('.streams li').length ?? 0) ===
          4,
        null,
        { timeout: 30_000 },
      );
      // Every card and the total show numbers that belong to the same tick (the counters ease for 0.6 s).
      await expect
        .poll(
          async () => {
            const seen = await streamsOf(page, 'livepulse-dashboard', '.streams li', '.caption');
            const sum = seen.items.slice(0, 3).reduce((n, s) => n + number(s.value), 0);
            return number(seen.total) === sum && sum > 20_000;
          },
          { timeout: 20_000, interval: 150 },
        )
        .toBe(true);
      const seen = await streamsOf(page, 'livepulse-dashboard', '.streams li', '.caption');
      expect(seen.items.map((s) => [s.label, s.mark, s.role])).toEqual([
        ['Main stage', 'YouTube', 'img'],
        ['Salle B — traduction française', 'YouTube', 'img'],
        ['Twitch co-stream', 'Twitch', 'img'],
        ['Closing night', 'YouTube', 'img'],
      ]);
      await page.waitForTimeout(2500); // the chart's lines past a few ticks
      await screenshot(page, `platforms/dashboard-${dark ? 'dark' : 'light'}`, { fullPage: true });
      expect(await seriousViolations(page)).toEqual([]);
      await page.close();
    }
  }, 90_000);

  it('the report marks each stream in its table', async () => {
    const page = await open(
      `/event/${EVENT}/report?from=${encodeURIComponent(new Date(Date.now() - 10 * 60_000).toISOString())}`,
      'report',
      { width: 1100, height: 1400, dark: false },
    );
    const table = page.locator('livepulse-report table tbody tr');
    await expect.poll(() => table.count(), { timeout: 20_000 }).toBe(4);
    expect(await table.locator('td:first-child').allTextContents()).toEqual([
      'Main stage',
      'Salle B — traduction française',
      'Twitch co-stream',
      'Closing night',
    ]);
    expect(
      await table.locator('td:first-child svg.platform').evaluateAll((m) => m.map((e) => e.getAttribute('aria-label'))),
    ).toEqual(['YouTube', 'YouTube', 'Twitch', 'YouTube']);
    await screenshot(page, 'platforms/report-light', { fullPage: true });
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'platforms/report-print', { fullPage: true });
    await page.close();
  }, 60_000);

  it('the admin says which source counts each stream and why, and that the followed channel waits', async () => {
    for (const dark of [true, false]) {
      const page = await open('/login', 'admin', { width: 1280, height: 1100, dark });
      await page.getByLabel('Admin password').fill(TEST_ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.waitForURL('**/admin');
      await page.goto(`${inst.url}/admin#${EVENT}`);
      const rows = page.locator('livepulse-stream-row');
      await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(4);
      await expect
        .poll(() => rows.locator('.source').allTextContents(), { timeout: 15_000 })
        .toEqual([
          expect.stringMatching(/^\s*via Data API — key set · video mixLiveAA11 · Updated /),
          expect.stringMatching(/^\s*via Data API — key set · video mixLiveBB22 · Updated /),
          expect.stringMatching(/^\s*via Twitch · twitch\.tv\/confco · Updated /),
          // Untitled, the channel row is named by what it follows; its source line does not say it again.
          expect.stringMatching(/^\s*Updated /),
        ]);
      expect((await rows.nth(3).locator('.meta').textContent())?.trim()).toBe('follows @closingnight');
      expect(await rows.locator('.status').allTextContents()).toEqual([
        'Live',
        'Live',
        'Live',
        'Channel offline — will follow its next live',
      ]);
      expect(await rows.nth(3).locator('.status').getAttribute('data-tone')).toBe('quiet');
      expect(await rows.locator('svg.platform').evaluateAll((m) => m.map((e) => e.getAttribute('aria-label')))).toEqual(
        ['YouTube', 'YouTube', 'Twitch', 'YouTube'],
      );
      // The admin's own total once a sample has come: the same sum as the dashboard's.
      await expect
        .poll(async () => number((await page.locator('.total strong').textContent()) ?? ''), { timeout: 15_000 })
        .toBeGreaterThan(20_000);
      // The stream rows alone, at full size: the part this issue changed.
      const top = (await rows.first().boundingBox())!;
      const bottom = (await rows.nth(3).boundingBox())!;
      await page.screenshot({
        path: `${OUTPUT_DIR}/platforms/admin-rows-${dark ? 'dark' : 'light'}.png`,
        fullPage: true,
        clip: { x: top.x - 16, y: top.y - 60, width: top.width + 32, height: bottom.y + bottom.height - top.y + 76 },
      });
      expect(await seriousViolations(page)).toEqual([]);
      await page.close();
    }
  }, 90_000);

  it('the dock at 300 px marks each stream, dark by default and light on request', async () => {
    for (const theme of ['dark', 'light']) {
      const page = await open(`/event/${EVENT}/dock${theme === 'light' ? '?theme=light' : ''}`, 'dock', {
        width: 300,
        height: 560,
        dark: false,
      });
      await page.waitForFunction(
        () => (document.querySelector('livepulse-dock')?.shadowRoot?.querySelectorAll('li').length ?? 0) === 4,
        null,
        { timeout: 30_000 },
      );
      await expect
        .poll(async () => number((await streamsOf(page, 'livepulse-dock', 'li', '.label')).total) > 20_000, {
          timeout: 20_000,
        })
        .toBe(true);
      await page.waitForTimeout(800);
      const seen = await streamsOf(page, 'livepulse-dock', 'li', '.label');
      expect(seen.items.map((s) => [s.label, s.mark])).toEqual([
        ['Main stage', 'YouTube'],
        ['Salle B — traduction française', 'YouTube'],
        ['Twitch co-stream', 'Twitch'],
        ['Closing night', 'YouTube'],
      ]);
      expect(seen.items[3].status).toBe('Channel offline — will follow its next live');
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(300);
      await screenshot(page, `platforms/dock-300-${theme}`, { fullPage: true });
      expect(await seriousViolations(page)).toEqual([]);
      await page.close();
    }
    expect(errors).toEqual([]);
  }, 90_000);
});

describe('without a YouTube key', () => {
  let sim: Simulator;
  let inst: Awaited<ReturnType<typeof testInstance>>;
  let browser: Browser;

  beforeAll(async () => {
    sim = await startSimulator();
    sim.setVideo('mixLiveAA11', { state: 'live', title: 'Keynote', channelTitle: 'Conf', curve: moving(12_400) });
    sim.innertube.setChannel('@closingnight', { channelId: 'UCclosingnight0000000000', liveVideoId: 'mixLiveCC33' });
    sim.setVideo('mixLiveCC33', { state: 'live', title: 'Closing night', channelTitle: 'Conf', curve: moving(900) });
    inst = await testInstance('embedded', {
      listen: true,
      start: true,
      env: { POLL_INTERVAL_SECONDS: '2', YT_SOURCE: 'auto', YT_INNERTUBE_BASE_URL: sim.origin },
    });
    await insertEvent(inst.db, {
      id: EVENT,
      public: true,
      name: 'No key',
      startsAt: null,
      endsAt: null,
      embedKey: 'k',
    });
    for (const s of [STREAMS[0], STREAMS[3]]) await insertStream(inst.db, { ...s, eventId: EVENT });
    inst.poller.wake();
    const counted = JSON.stringify([
      ['innertube', 'live'],
      ['innertube', 'live'],
    ]);
    let seen = '';
    for (const until = Date.now() + 30_000; seen !== counted; await new Promise((r) => setTimeout(r, 200))) {
      if (Date.now() > until) throw new Error(`InnerTube did not count both streams: ${seen}`);
      seen = JSON.stringify((await streamSources(inst.db, EVENT)).map((s) => [s.source, s.status]));
    }
    const choice = chooseYoutubeSource({ setting: 'auto', hasKey: false, quotaSpentUntil: null, now: new Date() });
    expect(await sourceReasons(inst.db, 'innertube')).toEqual([choice.why]);
    browser = await launch();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await inst?.close();
    await sim?.close();
  });

  it('the admin says InnerTube counts, because there is no key, and what the channel link counts now', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, colorScheme: 'light' });
    const errors: string[] = [];
    watchErrors(page, 'admin-no-key', errors);
    await page.goto(`${inst.url}/login`);
    await page.getByLabel('Admin password').fill(TEST_ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL('**/admin');
    await page.goto(`${inst.url}/admin#${EVENT}`);
    const rows = page.locator('livepulse-stream-row');
    await expect
      .poll(() => rows.locator('.source').allTextContents(), { timeout: 15_000 })
      .toEqual([
        expect.stringMatching(/^\s*via InnerTube — no API key · video mixLiveAA11 · Updated /),
        expect.stringMatching(/^\s*via InnerTube — no API key · follows @closingnight · video mixLiveCC33 · Updated /),
      ]);
    // Where the numbers come from, said once at the top; no Data API quota gauge, since InnerTube spends none.
    await expect
      .poll(() => page.locator('.banner').allTextContents(), { timeout: 15_000 })
      .toEqual([
        expect.stringMatching(
          /^No YouTube API key is set: YouTube counts are read through InnerTube, YouTube’s unofficial internal API/,
        ),
      ]);
    expect(await page.locator('livepulse-quota-gauge').count()).toBe(0);
    const top = (await rows.first().boundingBox())!;
    const bottom = (await rows.nth(1).boundingBox())!;
    await page.screenshot({
      path: `${OUTPUT_DIR}/platforms/admin-rows-no-key-light.png`,
      clip: { x: top.x - 16, y: top.y - 60, width: top.width + 32, height: bottom.y + bottom.height - top.y + 76 },
    });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
