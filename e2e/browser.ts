// Browser-test helpers: Debian's Chromium through playwright-core, every console error and page error
// collected, axe-core run inside a page, and screenshots saved to test-output/.
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const OUTPUT_DIR = 'test-output';

export function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium', args: FLAGS });
}

/** Everything a page said at error level, with the page's name in front. */
export function watchErrors(page: Page, name: string, into: string[]) {
  page.on('console', (m) => {
    if (m.type() === 'error') into.push(`${name}: ${m.text()} (${m.location().url})`);
  });
  page.on('pageerror', (e) => into.push(`${name}: uncaught ${e.message}`));
}

let axeSource: Promise<string> | undefined;

export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * axe-core's serious and critical violations on the page as it is now. Evaluated through the DevTools
 * protocol, which the page's CSP (script-src 'self') does not govern, so the page is tested as served.
 */
export async function seriousViolations(page: Page): Promise<AxeFinding[]> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(await axeSource);
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            ctx: Document,
            o: object,
          ): Promise<{
            violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[];
          }>;
        };
      }
    ).axe;
    const { violations } = await axe.run(document, { resultTypes: ['violations'] });
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((n) => JSON.stringify(n.target)),
      }));
  });
}

export async function screenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean; transparent?: boolean } = {},
): Promise<string> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const path = `${OUTPUT_DIR}/${name}.png`;
  await page.screenshot({ path, fullPage: options.fullPage, omitBackground: options.transparent });
  return path;
}
