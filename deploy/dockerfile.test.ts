// The Dockerfile's runtime stage, imitated without a Docker engine: the files its COPY lines take
// (minus what .dockerignore leaves out) are copied to an empty directory, with production dependencies
// standing in through a link, and the server started there as the image's CMD would. Every page and
// bundle must answer: a file the server reads at run time but the image forgets fails here.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The sources of the last stage's COPY lines that come from the build context. */
function runtimeCopies(dockerfile: string): string[] {
  const lastStage = dockerfile.split(/^FROM /m).at(-1)!;
  return [...lastStage.matchAll(/^COPY (?!--from)(.+)$/gm)].flatMap((m) => m[1].trim().split(/\s+/).slice(0, -1));
}

/** .dockerignore as predicates on repository-relative paths (the forms this file uses: names, dirs, **\/*.ext). */
function ignored(dockerignore: string): (path: string) => boolean {
  const rules = dockerignore
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  return (path) =>
    rules.some((rule) => {
      if (rule.startsWith('**/*')) return path.endsWith(rule.slice(4));
      if (rule.endsWith('.*')) return path.split('/').at(-1)!.startsWith(rule.slice(0, -1));
      if (rule.startsWith('*')) return path.endsWith(rule.slice(1));
      return path === rule || path.startsWith(`${rule}/`);
    });
}

describe('the Docker image, imitated', () => {
  it('takes every runtime file from the build context', () => {
    const copies = runtimeCopies(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
    for (const needed of ['package.json', 'sql', 'server', 'demo', 'tools']) expect(copies, needed).toContain(needed);
  });

  it('serves the pages, the bundle and health from the files the image holds', async () => {
    expect(existsSync(join(ROOT, 'dist/widget/livepulse.js')), 'npm test builds dist/ first').toBe(true);
    const image = mkdtempSync(join(tmpdir(), 'lp-image-'));
    dirs.push(image);
    const skip = ignored(readFileSync(join(ROOT, '.dockerignore'), 'utf8'));
    for (const source of runtimeCopies(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'))) {
      cpSync(join(ROOT, source), join(image, source), {
        recursive: true,
        filter: (from) => !skip(relative(ROOT, from)),
      });
    }
    cpSync(join(ROOT, 'dist'), join(image, 'dist'), { recursive: true }); // COPY --from=build /app/dist
    symlinkSync(join(ROOT, 'node_modules'), join(image, 'node_modules')); // COPY --from=deps
    expect(existsSync(join(image, 'server/testing'))).toBe(false);

    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: image,
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        HOST: '127.0.0.1',
        PORT: '0',
        DATA_DIR: join(image, 'data'),
        ADMIN_PASSWORD: 'image-admin-password',
        AUTH_SECRET: 'image-auth-secret-0123456789abcdefghij',
      },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    try {
      const port = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`not ready:\n${out}`)), 30_000);
        child.stdout.on('data', () => {
          const m = /ready at http:\/\/[^:]+:(\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
      });
      const base = `http://127.0.0.1:${port}`;
      for (const [path, status] of [
        ['/api/health', 200],
        ['/login', 200],
        ['/demo', 200],
        ['/demo/overlay', 200],
        ['/widget/livepulse.js', 200],
        ['/widget/livepulse-counter.js', 200],
        ['/widget/pages/admin.js', 200],
      ] as const) {
        expect((await fetch(`${base}${path}`)).status, path).toBe(status);
      }
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);
});
