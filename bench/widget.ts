// `npm run bench:widget`: the widget bundles' gzip and brotli sizes, and the time from page load to the
// first number on screen in headless Chromium, against a local server on loopback; checks the budgets.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync } from 'node:zlib';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { launch } from '../e2e/browser.ts';
import type { HistoryResponse, StatusMessage } from '../server/wire.ts';
import { widgetRoutes } from '../server/widget-routes.ts';
import { budgetFailures, measureBundles } from '../widget/bundles.ts';

const DIST = new URL('../dist/widget/', import.meta.url);
const FIRST_NUMBER_BUDGET_MS = 300;
const RUNS = 15;

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
let failed = false;

/** Sizes against the budgets of widget/bundles.ts (the same check as server/widget-bundles.test.ts). */
function sizes() {
  const measured = measureBundles(fileURLToPath(DIST));
  if (!measured.length) throw new Error('dist/widget/ is empty: run npm run build first');
  console.log('bundle                     raw        gzip      brotli   budget (gzip)');
  for (const { file, raw, gzip, budget } of measured) {
    const br = brotliCompressSync(readFileSync(new URL(file, DIST))).length;
    const verdict = budget === null ? 'none' : `${kb(budget)} ${gzip <= budget ? 'ok' : 'OVER'}`;
    console.log(
      `${file.padEnd(24)} ${kb(raw).padStart(9)} ${kb(gzip).padStart(10)} ${kb(br).padStart(10)}   ${verdict}`,
    );
  }
  const failures = budgetFailures(measured);
  for (const line of failures) console.error(line);
  failed ||= failures.length > 0;
}

/** The real widget routes, plus the smallest stream a counter needs: history and status, then silence. */
function benchServer() {
  const app = new Hono();
  app.route('/', widgetRoutes());
  const now = new Date();
  const history: HistoryResponse = {
    eventId: 'bench',
    from: now.toISOString(),
    to: now.toISOString(),
    bucketSeconds: 0,
    total: [{ ts: now.toISOString(), viewers: 12_345, max: 12_345 }],
    streams: {},
  };
  // One live stream: an event without any is 'no-data', and its counter shows no number.
  const stream = {
    id: 's1',
    platform: 'youtube' as const,
    target: null,
    follows: false,
    login: null,
    source: null,
    sourceReason: null,
    videoId: 'benchVideo1',
    label: 'Bench',
    status: 'live' as const,
    statusReason: null,
    scheduledStart: null,
    title: null,
    channelTitle: null,
    viewers: 12_345,
    updatedAt: now.toISOString(),
    chat: 'off' as const,
    chatReason: null,
  };
  const status: StatusMessage = { state: 'ok', intervalSeconds: 10, streams: [stream] };
  app.get('/api/events/bench/stream', () => {
    const body = `retry: 3000\n\nevent: history\ndata: ${JSON.stringify(history)}\n\nevent: status\ndata: ${JSON.stringify(status)}\n\n`;
    // Kept open like a real stream: the page must not see an end and reconnect mid-measure.
    const stream = new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode(body)) });
    return new Response(stream, { headers: { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' } });
  });
  app.get('/page/:bundle', (c) =>
    c.html(`<!doctype html><html lang="en"><body><livepulse-counter event="bench"></livepulse-counter>
      <script type="module" src="/widget/${c.req.param('bundle')}"></script></body></html>`),
  );
  return app;
}

async function firstNumber() {
  const server = serve({ fetch: benchServer().fetch, hostname: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server.once('listening', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await launch();
  try {
    console.log(`\nfirst number on screen (${RUNS} cold loads each, fresh browser context, ${origin})`);
    for (const bundle of ['livepulse-counter.js', 'livepulse.js']) {
      const times: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.goto(`${origin}/page/${bundle}`, { waitUntil: 'commit' });
        // performance.now() counts from the navigation's start, in the page's own clock.
        const at = await page.waitForFunction(
          () => {
            const text =
              document.querySelector('livepulse-counter')?.shadowRoot?.querySelector('[part="value"]')?.textContent ??
              '';
            return /\d/.test(text) ? performance.now() : 0;
          },
          undefined,
          { polling: 'raf', timeout: 10_000 },
        );
        times.push(Number(await at.jsonValue()));
        await context.close();
      }
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)];
      const ok = median < FIRST_NUMBER_BUDGET_MS;
      failed ||= !ok;
      console.log(
        `${bundle.padEnd(24)} median ${median.toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms   budget ${FIRST_NUMBER_BUDGET_MS} ms ${ok ? 'ok' : 'OVER'}`,
      );
    }
  } finally {
    await browser.close();
    server.close();
    (server as import('node:http').Server).closeAllConnections();
  }
}

sizes();
await firstNumber();
if (failed) {
  console.error('\nover budget');
  process.exitCode = 1;
}
