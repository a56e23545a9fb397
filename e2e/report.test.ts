// The post-event report in Chromium, as a sponsor gets it: a private event of three streams over two
// hours (a gap and a hidden stretch in it), opened with an embed token, in English and French, on
// screen, in print emulation and as PDFs on A4 and Letter; the chart downloaded as a PNG; refused
// without the token. Screenshots and PDFs go to test-output/report/.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_AUTH_SECRET } from '../server/auth/testing/test-session.ts';
import { signToken, tokenKey } from '../server/auth/tokens.ts';
import { seedEvent } from '../server/testing/queries.ts';
import { seedPolled, type PolledRow } from '../server/stats/testing/queries.ts';
import { testInstance } from '../server/testing/test-instance.ts';
import type { StatsResponse } from '../server/wire.ts';
import { launch, OUTPUT_DIR, screenshot, seriousViolations, watchErrors } from './browser.ts';
import { seenText } from './states-setup.ts';

const DIR = `${OUTPUT_DIR}/report`;
let inst: Awaited<ReturnType<typeof testInstance>>;
let browser: Browser;
let context: BrowserContext;
let token = '';
const errors: string[] = [];

/** A believable evening: a main hall that grows to a peak, a side room, a backstage feed that hides its count for a while. */
function evening(start: number): PolledRow[] {
  const rows: PolledRow[] = [];
  for (let i = 0; i < 360; i++) {
    const ts = start + i * 20_000;
    if (i >= 150 && i < 160) continue; // ten ticks lost: a gap
    const x = i / 360;
    const at = new Date(ts).toISOString();
    rows.push({
      streamId: 'main',
      ts: at,
      viewers: Math.round(4200 + 6800 * Math.sin(Math.PI * x) + 300 * Math.sin(i / 7)),
    });
    rows.push({
      streamId: 'side',
      ts: at,
      viewers: Math.round(1500 + 900 * Math.sin(Math.PI * x * 2) + 80 * Math.cos(i / 5)),
    });
    rows.push({
      streamId: 'back',
      ts: at,
      viewers: i >= 200 && i < 240 ? null : Math.round(250 + 60 * Math.sin(i / 11)),
    });
  }
  return rows;
}

/** Intl's narrow duration of whole minutes (seconds under a minute), in the page: what the report must show. */
function narrowDuration({ seconds, locale }: { seconds: number; locale: string }): string {
  const minutes = Math.round(seconds / 60);
  const parts =
    seconds < 60 ? { seconds: Math.round(seconds) } : { hours: Math.floor(minutes / 60), minutes: minutes % 60 };
  const DurationFormat = (
    Intl as unknown as { DurationFormat: new (l: string, o: object) => { format(d: object): string } }
  ).DurationFormat;
  return new DurationFormat(locale, { style: 'narrow' }).format(parts);
}

async function openReport(query: string, name: string, viewport = { width: 1000, height: 1400 }): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  watchErrors(page, name, errors);
  await page.goto(`${inst.url}/event/rep/report?${query}`);
  return page;
}

async function ready(page: Page) {
  await page.locator('livepulse-report[state=ready]').waitFor({ timeout: 20_000 });
  // The chart has drawn the curve once its accessible summary names a peak.
  await page.waitForFunction(
    () =>
      document
        .querySelector('livepulse-report')
        ?.shadowRoot?.querySelector('livepulse-report-chart')
        ?.shadowRoot?.querySelector('.base')
        ?.getAttribute('aria-label')
        ?.match(/peak|pic/i),
    undefined,
    { timeout: 20_000 },
  );
}

beforeAll(async () => {
  if (!existsSync('dist/widget/pages/view.js'))
    throw new Error('The page bundles are missing: run `npm run build` first (npm test does)');
  mkdirSync(DIR, { recursive: true });
  inst = await testInstance('embedded', { listen: true });
  await seedEvent(
    inst.db,
    'rep',
    [
      { id: 'main', label: 'Main hall' },
      { id: 'side', label: 'Side room' },
      { id: 'back', label: 'Backstage' },
      // Added, never counted (a channel that never went live): a row of "–", never a 0.
      { id: 'never', label: 'Closing night' },
    ],
    false,
  );
  // Two hours that ended an hour ago, on whole minutes.
  const start = Math.floor((Date.now() - 3 * 3_600_000) / 60_000) * 60_000;
  const rows = evening(start);
  await seedPolled(inst.db, 'rep', rows);
  // The milestones as the publish path records them, tick by tick.
  const ticks = new Map<string, Record<string, number | null>>();
  for (const r of rows) ticks.set(r.ts, { ...ticks.get(r.ts), [r.streamId]: r.viewers });
  for (const [ts, streams] of ticks) {
    const total = Object.values(streams).reduce<number>((sum, v) => sum + (v ?? 0), 0);
    await inst.milestones.tick(new Date(ts), new Map([['rep', { ts, total, streams }]]));
  }
  token = (
    await signToken(tokenKey(TEST_AUTH_SECRET, 'embed', 'key-rep'), 'embed', { subject: 'rep', ttlSeconds: 3600 })
  ).token;
  browser = await launch();
  context = await browser.newContext({ locale: 'en-US', acceptDownloads: true, timezoneId: 'Europe/Paris' });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await inst?.close();
});

describe('the post-event report', () => {
  it('shows the totals, the curve and a row per stream with the stats route’s figures (English)', async () => {
    const page = await openReport(`token=${token}`, 'report-en');
    await ready(page);
    const report = page.locator('livepulse-report');
    const text = await seenText(page, 'livepulse-report');
    expect(text).toContain('Event report');
    for (const label of ['Main hall', 'Side room', 'Backstage', 'Total']) expect(text).toContain(label);
    // The same window and figures as the API gives.
    const from = await report.getAttribute('from');
    const to = await report.getAttribute('to');
    const api = (await (
      await fetch(`${inst.url}/api/events/rep/stats?from=${from}&to=${to}&token=${token}`)
    ).json()) as StatsResponse;
    expect(api.total.samples).toBe(350);
    const peak = new Intl.NumberFormat('en-US').format(api.total.peak.viewers!);
    expect(text).toContain(peak);
    expect(text).toContain(new Intl.NumberFormat('en-US').format(Math.round(api.total.viewerMinutes)));
    // The milestones of the evening: thresholds passed, and new peaks (at most one a minute).
    expect(text).toContain('Milestones');
    expect(text).toContain('10,000 viewers reached');
    expect(text).toContain(`New peak: ${peak} viewers`);
    // Live time in one format, the card's and the table's alike: Intl's narrow duration ("1h 57m").
    const live = await page.evaluate(narrowDuration, { seconds: api.total.liveSeconds, locale: 'en-US' });
    expect(live).toMatch(/^\dh \d+m$/);
    expect(text.split(live).length - 1, `"${live}" on the card and in the total row`).toBeGreaterThanOrEqual(2);
    expect(text).not.toMatch(/\d (hr|min)\b/);
    // The chart marks the thresholds on the timeline and names the peak on the curve.
    const markers = await page.evaluate(
      () =>
        (
          document
            .querySelector('livepulse-report')
            ?.shadowRoot?.querySelector('livepulse-report-chart') as unknown as {
            markers: { markers(): { text: string }[] } | null;
          }
        ).markers
          ?.markers()
          .map((m) => m.text) ?? [],
    );
    expect(markers).toContain('10K');
    expect(markers).toContain(`Peak ${peak}`);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'report/report-en', { fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('is in French for a French reader, with French numbers and dates', async () => {
    const page = await openReport(`token=${token}&lang=fr`, 'report-fr');
    await ready(page);
    const text = await seenText(page, 'livepulse-report');
    expect(text).toContain('Bilan de l’événement');
    expect(text).toContain('Minutes vues');
    expect(text).toContain('Spectateurs en moyenne');
    expect(text).toMatch(/\d+,\d %/); // a French percentage: decimal comma, space before %
    const report = page.locator('livepulse-report');
    const api = (await (
      await fetch(
        `${inst.url}/api/events/rep/stats?from=${await report.getAttribute('from')}&to=${await report.getAttribute('to')}&token=${token}`,
      )
    ).json()) as StatsResponse;
    const live = await page.evaluate(narrowDuration, { seconds: api.total.liveSeconds, locale: 'fr-FR' });
    expect(live).toMatch(/^\dh \d+min$/);
    expect(text.split(live).length - 1).toBeGreaterThanOrEqual(2);
    await screenshot(page, 'report/report-fr', { fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('prints cleanly: no buttons on paper, one A4 page and one Letter page, light even in a dark scheme', async () => {
    const page = await openReport(`token=${token}`, 'report-print');
    await page.emulateMedia({ colorScheme: 'dark' });
    await ready(page);
    await page.emulateMedia({ media: 'print', colorScheme: 'dark' });
    const actions = page.locator('livepulse-report .actions');
    expect(await actions.isVisible()).toBe(false);
    const ink = await page.evaluate(() =>
      getComputedStyle(document.documentElement).getPropertyValue('--lp-text').trim(),
    );
    expect(ink).toBe('#000000');
    await screenshot(page, 'report/report-print', { fullPage: true });
    // The sheet as it prints: A4's width at 96 dpi (210 mm), paper margins from the print style.
    await page.setViewportSize({ width: 794, height: 1123 });
    await screenshot(page, 'report/report-print-a4', { fullPage: true });
    for (const format of ['A4', 'Letter'] as const) {
      const pdf = await page.pdf({ format, printBackground: false });
      writeFileSync(`${DIR}/report-${format.toLowerCase()}.pdf`, pdf);
      const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? [];
      expect(pages.length, format).toBe(1);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('downloads the chart as a PNG for slides', async () => {
    const page = await openReport(`token=${token}`, 'report-png');
    await ready(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('livepulse-report').getByRole('button', { name: 'Download the chart (PNG)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('livepulse-rep-chart.png');
    const file = `${DIR}/chart.png`;
    await download.saveAs(file);
    const { readFileSync } = await import('node:fs');
    const png = readFileSync(file);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.readUInt32BE(16)).toBeGreaterThan(300); // width
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a stream never counted as unknown ("–"), not as 0 viewer-minutes, 0 % and 0 s', async () => {
    const page = await openReport(`token=${token}`, 'report-never');
    await ready(page);
    const cells = await page.evaluate(() =>
      [...(document.querySelector('livepulse-report')?.shadowRoot?.querySelectorAll('tbody tr') ?? [])]
        .map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? ''))
        .find((row) => row[0].includes('Closing night')),
    );
    expect(cells?.slice(1)).toEqual(['–', '–', '–', '–', '–', '–']);
    await page.close();
  });

  it('refuses a private event without the token in one line, and says what is unknown', async () => {
    const page = await openReport('', 'report-denied');
    await page.locator('livepulse-report[state=denied]').waitFor();
    const text = await seenText(page, 'livepulse-report');
    expect(text).toContain('Access denied');
    expect(text).not.toContain('Main hall');
    await page.goto(`${inst.url}/event/nope/report`);
    await page.locator('livepulse-report[state=not-found]').waitFor();
    await page.close();
  });

  it('is linked from the dashboard', async () => {
    const page = await context.newPage();
    await page.goto(`${inst.url}/event/rep/dashboard?token=${token}`);
    const link = page.locator('livepulse-dashboard').getByRole('link', { name: 'Event report' });
    expect(await link.getAttribute('href')).toBe(`/event/rep/report?token=${token}`);
    await page.close();
  });
});
