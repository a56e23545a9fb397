// The widget bundles npm test builds (dist/widget/) against their gzip budgets in widget/bundles.ts, and the
// build itself: production bundles whatever NODE_ENV says.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLES, budgetFailures, measureBundles } from '../widget/bundles.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = path.join(ROOT, 'dist/widget');
const temp = mkdtempSync(path.join(tmpdir(), 'widget-bundles-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

describe('widget bundle budgets', () => {
  it('names the bundle, its size and its budget when one is over, and a bundle that has no budget', () => {
    const dir = path.join(temp, 'fake');
    mkdirSync(path.join(dir, 'pages'), { recursive: true });
    writeFileSync(path.join(dir, 'small.js'), 'x');
    writeFileSync(path.join(dir, 'big.js'), Array.from({ length: 500 }, (_, i) => `f(${i * 7919});`).join(''));
    writeFileSync(path.join(dir, 'pages', 'new.js'), 'y');
    const bundles = [
      { name: 'small', input: 'small.ts', gzipBudget: 100 },
      { name: 'big', input: 'big.ts', gzipBudget: 100 },
    ];
    const failures = budgetFailures(measureBundles(dir, bundles));
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatch(/^big\.js: [\d,]+ B gzip, over its budget of 100 B by [\d,]+ B$/);
    expect(failures[1]).toMatch(/^pages\/new\.js: \d+ B gzip and no budget/);
  });

  it('every bundle npm run build made is within its gzip budget', () => {
    expect(existsSync(path.join(DIST, 'livepulse.js')), 'dist/widget/ is not built: run npm run build').toBe(true);
    const sizes = measureBundles(DIST);
    expect(sizes.map((s) => s.file)).toEqual(expect.arrayContaining(BUNDLES.map((b) => `${b.name}.js`)));
    const failures = budgetFailures(sizes);
    expect(failures, failures.join('\n')).toEqual([]);
  });

  it('builds production bundles when NODE_ENV says development (no Lit dev mode, within budget)', () => {
    const out = path.join(temp, 'dev');
    // The CLI's --outDir: the test must not rebuild dist/ under the feet of the tests that serve it.
    execFileSync(
      process.execPath,
      [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', '--outDir', out],
      {
        cwd: ROOT,
        env: { ...process.env, NODE_ENV: 'development' },
        stdio: 'pipe',
      },
    );
    const sizes = measureBundles(out);
    expect(sizes.map((s) => s.file).sort()).toEqual(BUNDLES.map((b) => `${b.name}.js`).sort());
    for (const { file } of sizes)
      expect(readFileSync(path.join(out, file), 'utf8'), file).not.toContain('Lit is in dev mode');
    const failures = budgetFailures(sizes);
    expect(failures, failures.join('\n')).toEqual([]);
  }, 180_000);
});
