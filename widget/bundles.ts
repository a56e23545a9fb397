// Build-time, Node only: every bundle Vite builds into dist/widget/ with its gzip budget. The one list that
// vite.config.ts builds from, that server/widget-bundles.test.ts (part of npm test) fails the build on, and that
// bench:widget reports against. A new entry is one line here, budget included: a bundle without one fails the test.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface Bundle {
  /** Output name under dist/widget/, without `.js` (a `pages/` prefix puts it in dist/widget/pages/). */
  name: string;
  /** The entry module, from the project root. */
  input: string;
  /** Most bytes the file may weigh gzipped (level 9, what the server sends). */
  gzipBudget: number;
}

export const BUNDLES: readonly Bundle[] = [
  // What a third-party page embeds: every element, lightweight-charts inside (50.7 KB of it, gzip). 66 KB since
  // issue 16 (60,821 → 65,469 B): milestone markers (lightweight-charts' createSeriesMarkers plugin, ~3.3 KB),
  // colours again on a scheme change or print (~0.3 KB), chat activity bars (its histogram series, ~1 KB).
  { name: 'livepulse', input: 'widget/index.ts', gzipBudget: 66 * 1024 },
  // The counter alone, for pages that show just the number.
  { name: 'livepulse-counter', input: 'widget/counter-entry.ts', gzipBudget: 9 * 1024 },
  // LivePulse's own pages: not embedded, but a stage screen loads them too.
  // 22 KB since issues 15-17 added the webhooks panel, the integration URLs and each stream's platform and
  // source (20,633 B when they came together); the admin is the organiser's page, never embedded.
  // 23 KB since issue 16's chart in the event editor (the chart itself is livepulse.js, loaded on demand), its
  // "Chat activity" toggle and each stream's chat state and switch (21,900 → 22,720 B).
  // 25 KB since session 14: the admin dims its numbers and says "Last known" while offline or late (the widgets'
  // own live-state rule), reads milestones with thousands separators and says their errors in words, and
  // refuses an empty label before sending it (22,720 → 25,225 B).
  { name: 'pages/admin', input: 'widget/pages/admin-entry.ts', gzipBudget: 25 * 1024 },
  // Lit for the pages' elements and the embeds' small base (widget/base-element.ts) for the counter and chart;
  // since issue 16 also the post-event report (76,361 B when it came); 77 KB since issue 15's platform marks on
  // the dashboard and the report (77,638 → 78,303 B: the two glyphs and their styles ~550 B, words ~110 B); 83 KB
  // since issue 16's milestone markers (the same createSeriesMarkers plugin as in livepulse.js), chart colours
  // on print, chat activity with its toggles and one duration format (78,579 → 83,843 B).
  // 86 KB since session 14's stage-screen fixes: the dashboard's list of streams with "+N more", a counter that
  // fits its box, the chart's value range never under 0 with at most 5 named lines and cut labels, the report
  // frozen at its "as of" time, and the newest total however old (83,843 → 87,035 B).
  { name: 'pages/view', input: 'widget/pages/view-entry.ts', gzipBudget: 86 * 1024 },
  // The OBS dock (issue 17): Lit, the page words and the counter; no chart library.
  { name: 'pages/dock', input: 'widget/pages/dock-entry.ts', gzipBudget: 24 * 1024 },
];

export interface BundleSize {
  /** Path under the output directory, e.g. `pages/view.js`. */
  file: string;
  raw: number;
  gzip: number;
  /** Null for a file no entry of `bundles` names. */
  budget: number | null;
}

/** Bytes of `body` gzipped at level 9. */
export const gzipBytes = (body: Buffer) => gzipSync(body, { level: 9 }).length;

/** Every .js file under `dir` (a build's output directory), measured, with its budget from `bundles`. */
export function measureBundles(dir: string, bundles: readonly Bundle[] = BUNDLES): BundleSize[] {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => f.endsWith('.js'))
    .sort();
  return files.map((file) => {
    const body = readFileSync(path.join(dir, file));
    const budget = bundles.find((b) => `${b.name}.js` === file)?.gzipBudget ?? null;
    return { file, raw: body.length, gzip: gzipBytes(body), budget };
  });
}

const bytes = (n: number) => `${n.toLocaleString('en-US')} B`;

/** What is wrong with a build's sizes, one line per bundle: over its budget, or without one. Empty when all is well. */
export function budgetFailures(sizes: readonly BundleSize[]): string[] {
  return sizes.flatMap(({ file, gzip, budget }) =>
    budget === null
      ? [`${file}: ${bytes(gzip)} gzip and no budget (add its entry to widget/bundles.ts)`]
      : gzip > budget
        ? [`${file}: ${bytes(gzip)} gzip, over its budget of ${bytes(budget)} by ${bytes(gzip - budget)}`]
        : [],
  );
}
