// deploy/nginx.conf itself, run by Debian's nginx (unprivileged, loopback ports) in front of two instances:
// live samples pass one by one as they are ticked, over HTTP/1.1 and over HTTP/2 with TLS (a self-signed
// certificate made for the run, never kept), and logins work through the proxy's forwarded headers.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { connect as http2Connect, type ClientHttp2Session } from 'node:http2';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CLUSTER_ADMIN_PASSWORD,
  CLUSTER_EVENT_ID,
  callTimeOf,
  startCluster,
  type Cluster,
} from '../server/testing/cluster.ts';
import { watchSamples } from '../server/testing/sse-watch.ts';

const INTERVAL_MS = 2000;
const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => spawnSync(p, ['-v']).status === 0);
// CI installs nginx (.ci/run); a developer machine without it skips with a reason.
if (!NGINX && !process.env.CI)
  console.warn('deploy/nginx.test.ts skipped: nginx is not installed (apt-get install -y nginx)');

/**
 * The real file with only the deployment addresses swapped for test ones: the upstream servers
 * (compose service names) and the listening port. Anything else in the file is exercised as written.
 */
function testSiteConfig(real: string, upstreams: string[], port: number, tls: { port: number; dir: string }): string {
  let i = 0;
  const site = real.replace(
    /^(\s*server\s+)\S+:3000\b/gm,
    (_, head: string) => `${head}${upstreams[i++] ?? 'missing-upstream'}`,
  );
  if (i !== upstreams.length)
    throw new Error(`deploy/nginx.conf names ${i} upstream servers, the test has ${upstreams.length}`);
  const listening = site.replace(/^(\s*)listen\s+80;/m, `$1listen 127.0.0.1:${port};`);
  if (listening === site) throw new Error('deploy/nginx.conf has no `listen 80;` line to move to a test port');
  const secure = listening
    .replace(/^(\s*)listen\s+443\s+ssl\s+http2;/m, `$1listen 127.0.0.1:${tls.port} ssl http2;`)
    .replace(/\/etc\/nginx\/certs\//g, `${tls.dir}/`);
  if (!secure.includes(`127.0.0.1:${tls.port} ssl http2`) || !secure.includes(`${tls.dir}/livepulse.key`)) {
    throw new Error('deploy/nginx.conf has no `listen 443 ssl http2;` with certificates under /etc/nginx/certs/');
  }
  return secure;
}

/** What the nginx image supplies around conf.d/*.conf, here in a directory of our own so no root is needed. */
const mainConfig = (dir: string) => `
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/livepulse.conf;
}
`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

describe.runIf(process.env.TEST_DATABASE_URL && (NGINX || process.env.CI))(
  'deploy/nginx.conf in front of two instances',
  () => {
    let cluster: Cluster;
    let nginx: ChildProcess;
    let dir: string;
    let origin: string;
    let tlsOrigin: string;
    let cert: string;
    let nginxLog = '';

    beforeAll(async () => {
      if (!NGINX) throw new Error('nginx is not installed: CI must install it (apt-get install -y nginx)');
      cluster = await startCluster({ instances: 2, intervalSeconds: INTERVAL_MS / 1000, env: { TRUST_PROXY: '1' } });
      dir = mkdtempSync(join(tmpdir(), 'lp-nginx-'));
      const port = await freePort();
      const tlsPort = await freePort();
      // A throwaway certificate for 127.0.0.1, made here so no key is ever committed.
      const made = spawnSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-keyout',
          join(dir, 'livepulse.key'),
          '-out',
          join(dir, 'livepulse.crt'),
        ],
        { encoding: 'utf8' },
      );
      if (made.status !== 0)
        throw new Error(
          `openssl could not make a test certificate (apt-get install -y openssl): ${made.error?.message ?? made.stderr}`,
        );
      cert = readFileSync(join(dir, 'livepulse.crt'), 'utf8');
      const real = readFileSync(fileURLToPath(new URL('./nginx.conf', import.meta.url)), 'utf8');
      writeFileSync(
        join(dir, 'livepulse.conf'),
        testSiteConfig(
          real,
          cluster.servers.map((s) => new URL(s.url).host),
          port,
          { port: tlsPort, dir },
        ),
      );
      writeFileSync(join(dir, 'nginx.conf'), mainConfig(dir));
      nginx = spawn(NGINX, ['-c', join(dir, 'nginx.conf'), '-p', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      nginx.stderr!.on('data', (d) => (nginxLog += d));
      origin = `http://127.0.0.1:${port}`;
      tlsOrigin = `https://127.0.0.1:${tlsPort}`;
      for (let i = 0; ; i++) {
        const ok = await fetch(`${origin}/api/health`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        if (i > 100 || nginx.exitCode !== null)
          throw new Error(`nginx did not come up:\n${nginxLog}${readFileSync(join(dir, 'error.log'), 'utf8')}`);
        await sleep(100);
      }
    }, 90_000);

    afterAll(async () => {
      if (nginx && nginx.exitCode === null) {
        nginx.kill('SIGQUIT');
        await new Promise((resolve) => nginx.once('exit', resolve));
      }
      await cluster?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('passes each live sample through as it is ticked, not buffered', async () => {
      const watch = watchSamples(`${origin}/api/events/${CLUSTER_EVENT_ID}/stream`);
      try {
        await watch.waitFor(4, 7 * INTERVAL_MS);
      } finally {
        watch.close();
      }
      for (const s of watch.samples) {
        const tickedAt = callTimeOf(cluster.sim, s.id);
        expect(tickedAt).toBeDefined();
        // Tick → database → (NOTIFY → other instance) → nginx → client, well under a second on loopback.
        expect(s.at - tickedAt!).toBeLessThan(1000);
      }
      // Buffered, the samples would arrive together when a buffer fills or the stream ends.
      const spacing = watch.samples.slice(1).map((s, i) => s.at - watch.samples[i].at);
      for (const ms of spacing) expect(ms).toBeGreaterThan(INTERVAL_MS / 2);
    });

    it('serves HTTP/2 over TLS', async () => {
      const session = http2Connect(tlsOrigin, { ca: cert });
      try {
        const health = h2Get(session, '/api/health');
        const headers = await health.response;
        await health.ended;
        expect(session.alpnProtocol).toBe('h2');
        expect(headers[':status']).toBe(200);
        expect(JSON.parse(health.text()).status).toBeDefined();
      } finally {
        session.close();
      }
    });

    it('carries eight live streams on one HTTP/2 connection (more than HTTP/1.1 allows per origin), each sample passed on as it is ticked', async () => {
      const session = http2Connect(tlsOrigin, { ca: cert });
      const streams = Array.from({ length: 8 }, () =>
        h2Get(session, `/api/events/${CLUSTER_EVENT_ID}/stream`, { accept: 'text/event-stream' }),
      );
      try {
        for (const s of streams) {
          const headers = await s.response;
          expect(headers[':status']).toBe(200);
          expect(headers['content-type']).toBe('text/event-stream; charset=utf-8');
        }
        const deadline = Date.now() + 8 * INTERVAL_MS;
        while (streams.some((s) => sampleArrivals(s.chunks).length < 3) && Date.now() < deadline) await sleep(100);
        for (const s of streams) {
          const samples = sampleArrivals(s.chunks);
          expect(samples.length).toBeGreaterThanOrEqual(3);
          for (const sample of samples) {
            const tickedAt = callTimeOf(cluster.sim, sample.id);
            expect(tickedAt).toBeDefined();
            expect(sample.at - tickedAt!).toBeLessThan(1000);
          }
          // Buffered (by nginx or by HTTP/2 flow control), samples would arrive in bursts.
          for (let i = 1; i < samples.length; i++)
            expect(samples[i].at - samples[i - 1].at).toBeGreaterThan(INTERVAL_MS / 2);
        }
      } finally {
        for (const s of streams) s.req.close();
        session.close();
      }
    });

    it('over HTTPS the app sees https: a login gets a Secure cookie', async () => {
      const session = http2Connect(tlsOrigin, { ca: cert });
      try {
        const req = session.request({
          ':method': 'POST',
          ':path': '/api/auth/login',
          origin: tlsOrigin,
          'content-type': 'application/json',
        });
        req.end(JSON.stringify({ password: CLUSTER_ADMIN_PASSWORD }));
        const headers = await new Promise<Record<string, unknown>>(
          (resolve, reject) => (req.once('response', resolve), req.once('error', reject)),
        );
        req.resume();
        expect(headers[':status']).toBe(200);
        expect(String(headers['set-cookie'])).toMatch(/lp_session=[^;]+;.*Secure/);
      } finally {
        session.close();
      }
    });

    it('forwards Host and X-Forwarded-*: a login posted through the proxy passes the same-origin check', async () => {
      const res = await fetch(`${origin}/api/auth/login`, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/json' },
        body: JSON.stringify({ password: CLUSTER_ADMIN_PASSWORD }),
      });
      expect(res.status).toBe(200);
      const cookie = res.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/lp_session=/);
      // Plain http between the browser and nginx: the app must not mark the cookie Secure.
      expect(cookie).not.toMatch(/;\s*secure/i);
      const me = await fetch(`${origin}/api/auth/me`, { headers: { cookie: cookie.split(';')[0] } });
      expect(me.status).toBe(200);
    });
  },
);

/** GET over an HTTP/2 session: status, headers, and the body as chunks with their arrival times. */
function h2Get(session: ClientHttp2Session, path: string, headers: Record<string, string> = {}) {
  const req = session.request({ ':path': path, ...headers });
  const chunks: { at: number; text: string }[] = [];
  const response = new Promise<Record<string, string | string[] | undefined>>((resolve, reject) => {
    req.once('response', (h) => resolve(h));
    req.once('error', reject);
  });
  req.setEncoding('utf8');
  req.on('data', (text: string) => chunks.push({ at: Date.now(), text }));
  const ended = new Promise<void>((resolve) => req.once('end', resolve));
  return { req, response, chunks, ended, text: () => chunks.map((c) => c.text).join('') };
}

/** The `sample` frames in an SSE byte stream received in chunks: id and the time its last byte arrived. */
function sampleArrivals(chunks: { at: number; text: string }[]): { id: number; at: number }[] {
  const out: { id: number; at: number }[] = [];
  let buffer = '';
  for (const c of chunks) {
    buffer += c.text;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const id = /^id: (\d+)$/m.exec(frame);
      if (id && /^event: sample$/m.test(frame)) out.push({ id: Number(id[1]), at: c.at });
    }
  }
  return out;
}
