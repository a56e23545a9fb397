// The OBS dock (issue 17) in Chromium at 300 px, against an in-process server polling the YouTube
// simulator: the total, every stream's count and status, no horizontal scrolling, nothing axe calls
// serious, and the refusals in one line. Screenshots go to test-output/dock/.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEvent, insertStream } from '../server/events/queries.ts';
import { startSimulator, type Simulator } from '../server/simulator/simulator.ts';
import { testInstance } from '../server/testing/test-instance.ts';
import { launch, screenshot, seriousViolations, watchErrors } from './browser.ts';

const KEY = 'dock-simulator-key-000000';
const STREAMS = [
  {
    video: 'dockLiveAA1',
    label: 'Main hall',
    spec: {
      state: 'live' as const,
      curve: { kind: 'moving' as const, base: 12_400, amplitude: 300, periodSeconds: 120, noise: 0 },
    },
  },
  {
    video: 'dockLiveBB2',
    label: 'Salle B — traduction française en direct',
    spec: {
      state: 'live' as const,
      curve: { kind: 'moving' as const, base: 3_150, amplitude: 100, periodSeconds: 90, noise: 0 },
    },
  },
  { video: 'dockHideCC3', label: 'Backstage', spec: { state: 'live_hidden' as const } },
  {
    video: 'dockSoonDD4',
    label: 'Closing keynote',
    spec: { state: 'upcoming' as const, scheduledStart: new Date(Date.now() + 3 * 3600_000).toISOString() },
  },
];

describe('OBS dock at 300 px', () => {
  let sim: Simulator;
  let inst: Awaited<ReturnType<typeof testInstance>>;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    sim = await startSimulator();
    for (const s of STREAMS) sim.setVideo(s.video, s.spec);
    inst = await testInstance('embedded', {
      listen: true,
      start: true,
      youtube: { baseUrl: sim.baseUrl, apiKey: KEY },
      env: { POLL_INTERVAL_SECONDS: '2', YT_DAILY_QUOTA: '1000000' },
    });
    const event = { name: 'Spring Conference 2026 · Main stage', startsAt: null, endsAt: null, embedKey: 'dock-key' };
    await insertEvent(inst.db, { id: 'dockpub', public: true, ...event });
    await insertEvent(inst.db, { id: 'dockpriv', public: false, ...event });
    for (const [i, s] of STREAMS.entries())
      await insertStream(inst.db, {
        id: `dock${i}`,
        eventId: 'dockpub',
        videoId: s.video,
        label: s.label,
        status: 'pending',
        statusReason: null,
        scheduledStart: null,
        title: null,
        channelTitle: null,
      });
    inst.poller.wake();
    browser = await launch();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await inst?.close();
    await sim?.close();
  });

  async function open(path: string, name: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 300, height: 520 }, colorScheme: 'light' });
    watchErrors(page, name, errors);
    await page.goto(`${inst.url}${path}`);
    return page;
  }

  it('shows the total, each stream with its count and status, dark, without horizontal scrolling', async () => {
    // colorScheme light on purpose: the dock is dark by default, whatever the system says.
    const page = await open('/event/dockpub/dock', 'dock');
    await page.waitForFunction(() => document.querySelector('livepulse-dock')?.getAttribute('state') === 'live', null, {
      timeout: 30_000,
    });
    await page.waitForFunction(
      () => (document.querySelector('livepulse-dock')?.shadowRoot?.querySelectorAll('li').length ?? 0) === 4,
    );
    // The counters ease to their numbers: wait until the total is on screen.
    await page.waitForFunction(() => {
      const total = document.querySelector('livepulse-dock')?.shadowRoot?.querySelector('.total livepulse-counter');
      return /\d{2},\d{3}/.test(total?.shadowRoot?.querySelector('.value')?.textContent ?? '');
    });
    await page.waitForTimeout(1200);
    const seen = await page.evaluate(() => {
      const dock = document.querySelector('livepulse-dock')!;
      const root = dock.shadowRoot!;
      const value = (el: Element | null) => el?.shadowRoot?.querySelector('.value')?.textContent ?? '';
      return {
        scrollWidth: document.documentElement.scrollWidth,
        background: getComputedStyle(document.documentElement).backgroundColor,
        title: root.querySelector('h1')?.textContent,
        badge: root.querySelector('.badge')?.textContent,
        total: value(root.querySelector('.total livepulse-counter')),
        rows: [...root.querySelectorAll('li')].map((li) => ({
          label: li.querySelector('.label')?.textContent,
          value: value(li.querySelector('livepulse-counter')),
          status: li.querySelector('.status')?.textContent,
        })),
        milestone: root.querySelector('.milestone')?.textContent ?? null,
      };
    });
    await screenshot(page, 'dock/dock-300-live', { fullPage: true });
    expect(seen.scrollWidth).toBeLessThanOrEqual(300);
    expect(seen.background).toBe('rgb(15, 18, 23)'); // the dark palette's --lp-bg
    expect(seen.title).toBe('Spring Conference 2026 · Main stage');
    expect(seen.badge).toBe('Live');
    expect(seen.total).toMatch(/^1[45],\d{3}$/);
    expect(seen.rows.map((r) => r.label)).toEqual(STREAMS.map((s) => s.label));
    expect(seen.rows[0]).toMatchObject({ value: expect.stringMatching(/^12,\d{3}$/), status: 'Live' });
    expect(seen.rows[1]).toMatchObject({ value: expect.stringMatching(/^3,\d{3}$/), status: 'Live' });
    expect(seen.rows[2].status).toBe('Live, count hidden by the channel');
    expect(seen.rows[2].value).toBe('');
    expect(seen.rows[3].status).toMatch(/^Upcoming at /);
    // The slot shows nothing until a milestone arrives on this connection (they are not replayed); one that
    // arrived while the page was open (the poller's ticks cross 1k, 5k, 10k, or set a new peak) reads as such.
    if (seen.milestone !== null)
      expect(seen.milestone).toMatch(/^(\d{1,3}(,\d{3})* viewers reached|New peak: .* viewers)$/);
    expect(await seriousViolations(page)).toEqual([]);
    // The light theme on request.
    await page.goto(`${inst.url}/event/dockpub/dock?theme=light&lang=fr`);
    await page.waitForFunction(() => document.querySelector('livepulse-dock')?.getAttribute('state') === 'live', null, {
      timeout: 30_000,
    });
    await page.waitForTimeout(1200);
    await screenshot(page, 'dock/dock-300-light-fr', { fullPage: true });
    expect(
      await page.evaluate(
        () => document.querySelector('livepulse-dock')!.shadowRoot!.querySelector('.badge')?.textContent,
      ),
    ).toBe('En direct');
    await page.close();
  }, 90_000);

  it('says a refusal in one line: private without a token, unknown event', async () => {
    const denied = await open('/event/dockpriv/dock', 'dock-denied');
    await denied.waitForFunction(() => document.querySelector('livepulse-dock')?.getAttribute('state') === 'denied');
    await screenshot(denied, 'dock/dock-300-denied');
    expect(
      await denied.evaluate(
        () => document.querySelector('livepulse-dock')!.shadowRoot!.querySelector('[role=alert]')?.textContent,
      ),
    ).toMatch(/private/i);
    await denied.close();
    const missing = await open('/event/nope/dock', 'dock-missing');
    await missing.waitForFunction(
      () => document.querySelector('livepulse-dock')?.getAttribute('state') === 'not-found',
    );
    await missing.close();
    // A 404 page load logs one console error in Chromium; nothing else may.
    expect(errors.filter((e) => !/status of 404/.test(e))).toEqual([]);
  }, 60_000);

  it('shows an old number as old when YouTube stops answering: Late, dimmed, with its time', async () => {
    const page = await open('/event/dockpub/dock', 'dock-stale');
    await page.waitForFunction(() => document.querySelector('livepulse-dock')?.getAttribute('state') === 'live', null, {
      timeout: 30_000,
    });
    sim.injectFault('backend_error_500', { times: 1000 });
    await page.waitForFunction(
      () => document.querySelector('livepulse-dock')?.getAttribute('state') === 'stale',
      null,
      { timeout: 30_000 },
    );
    await page.waitForTimeout(500);
    await screenshot(page, 'dock/dock-300-stale', { fullPage: true });
    const seen = await page.evaluate(() => {
      const root = document.querySelector('livepulse-dock')!.shadowRoot!;
      const total = root.querySelector('.total livepulse-counter')!.shadowRoot!;
      return {
        badge: root.querySelector('.badge')?.textContent,
        value: total.querySelector('.value')?.textContent,
        state: total.querySelector('.state')?.textContent,
        rows: [...root.querySelectorAll('li .status')].map((s) => s.textContent),
      };
    });
    expect(seen.badge).toBe('Late');
    // No row claims Live while the header says Late.
    expect(seen.rows.length).toBeGreaterThan(0);
    expect(seen.rows).not.toContain('Live');
    expect(seen.value).toMatch(/^1[45],\d{3}$/);
    expect(seen.state).toMatch(/^As of /);
    await page.close();
  }, 60_000);
});
