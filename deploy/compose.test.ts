// docker-compose.yml checked by Debian's docker-compose (no Docker engine needed): the file is valid with
// and without the cluster profile, refuses to start without the shared secrets, and wires nginx to
// deploy/nginx.conf. Building and running the image needs an engine and is not done here.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const BINARY = spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0;
// CI installs docker-compose (.ci/run); a developer machine without it skips with a reason.
if (!BINARY && !process.env.CI)
  console.warn('deploy/compose.test.ts skipped: docker-compose is not installed (apt-get install -y docker-compose)');

const SECRETS = { ADMIN_PASSWORD: 'compose-admin-password', AUTH_SECRET: 'compose-auth-secret-0123456789abcdefghij' };

const EMPTY_ENV_FILE = join(mkdtempSync(join(tmpdir(), 'lp-compose-')), 'empty.env');
writeFileSync(EMPTY_ENV_FILE, '');

/** Runs docker-compose in the repository with only the given variables (not the developer's .env). */
function compose(args: string[], env: Record<string, string> = SECRETS) {
  return spawnSync(
    'docker-compose',
    ['--project-directory', ROOT, '--env-file', EMPTY_ENV_FILE, '-f', 'docker-compose.yml', ...args],
    {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    },
  );
}

/** The resolved services, each as its block of `config` output (docker-compose 1.29 has no JSON output). */
function services(resolved: string): Record<string, string> {
  const section = resolved.split(/^services:\n/m)[1]?.split(/^\S/m)[0] ?? '';
  return Object.fromEntries(section.split(/^(?=  [\w-]+:$)/m).map((block) => [block.trim().split(':')[0], block]));
}

describe.runIf(BINARY || process.env.CI)('docker-compose.yml', () => {
  it('is valid, with db and app by default and a second app and nginx in the cluster profile', () => {
    expect(BINARY, 'docker-compose is not installed: CI must install it').toBe(true);
    const plain = compose(['config', '-q']);
    expect(plain.stderr).toBe('');
    expect(plain.status).toBe(0);
    const cluster = compose(['--profile', 'cluster', 'config', '-q']);
    expect(cluster.stderr).toBe('');
    expect(cluster.status).toBe(0);

    const byName = services(compose(['config']).stdout);
    expect(Object.keys(byName).sort()).toEqual(['app', 'app2', 'db', 'nginx']);
    const inCluster = Object.keys(byName).filter((name) => /profiles:\n\s+- cluster/.test(byName[name]));
    expect(inCluster.sort()).toEqual(['app2', 'nginx']);
  });

  it('resolves to an app that waits for a healthy PostgreSQL, and nginx that serves deploy/nginx.conf', () => {
    const resolved = compose(['--profile', 'cluster', 'config']).stdout;
    expect(resolved).toMatch(/DATABASE_URL: postgres:\/\/livepulse:livepulse@db:5432\/livepulse/);
    expect(resolved).toMatch(/condition: service_healthy/);
    expect(resolved).toMatch(/pg_isready/);
    expect(resolved).toMatch(/deploy\/nginx\.conf:\/etc\/nginx\/conf\.d\/default\.conf:ro/);
    // HTTP/2 over TLS: the certificate directory and the TLS port.
    expect(resolved).toMatch(/deploy\/certs:\/etc\/nginx\/certs:ro/);
    expect(resolved).toMatch(/published: 8443\n\s+target: 443/);
  });

  it('refuses to start without the secrets every instance must share', () => {
    const result = compose(['config', '-q'], {});
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/set ADMIN_PASSWORD/);
  });
});
