// The real LivePulse server for the widget tests: started on first use as a child process (as `npm start`
// runs it) on the YouTube simulator, with events set up through the admin API. A @web/test-runner plugin:
// `executeServerCommand('livepulse-real', {action: 'event', public, videos})` → {server, proxied, id, streams, token?}.
// `proxied` is the same server behind /livepulse/ on the test page's own origin (a page served with the widget).
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ADMIN_PASSWORD = 'widget-tests-admin-password';

function start() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'livepulse-widget-tests-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      YT_SIMULATOR: '1',
      POLL_INTERVAL_SECONDS: '2',
      // Else the default budget stretches the 2 s interval to 8.6 s right after Pacific midnight.
      YT_DAILY_QUOTA: '100000000',
      ADMIN_PASSWORD,
      AUTH_SECRET: 'widget-tests-auth-secret-0123456789abcdef',
      LOG_FORMAT: 'pretty',
    },
  });
  let out = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`LivePulse server not ready in 30 s:\n${out}`)), 30_000);
    const onData = (d) => {
      out += d;
      const m = /ready at (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`LivePulse server exited with ${code}:\n${out}`));
    });
  });
  const stop = () => {
    child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { ready, stop };
}

async function admin(server) {
  const headers = { 'content-type': 'application/json', origin: server };
  const login = await fetch(`${server}/api/auth/login`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ password: ADMIN_PASSWORD }),
  });
  if (!login.ok) throw new Error(`admin login: ${login.status} ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return async (method, url, body) => {
    const res = await fetch(`${server}${url}`, {
      method,
      headers: { ...headers, cookie },
      body: JSON.stringify(body ?? {}),
    });
    if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
    return res.json();
  };
}

const PREFIX = '/livepulse/';

/** Streams a request under /livepulse/ to the real server and its answer back (SSE included); resolves once the status is sent. */
function proxy(server, req, res) {
  return new Promise((resolve) => {
    const headers = { ...req.headers, host: new URL(server).host };
    const upstream = http.request(
      `${server}/${req.url.slice(PREFIX.length)}`,
      { method: req.method, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        resolve();
      },
    );
    upstream.on('error', () => (res.destroy(), resolve()));
    res.on('close', () => upstream.destroy());
    req.pipe(upstream);
  });
}

/** The test runner's plugin (commands, shutdown) and middleware (the /livepulse/ proxy) for one shared server. */
export function realBackend() {
  let running = null;
  let call = null;
  const serverUrl = () => (running ??= start()).ready;
  const middleware = async (ctx, next) => {
    if (!ctx.url.startsWith(PREFIX)) return next();
    ctx.respond = false;
    await proxy(await serverUrl(), ctx.req, ctx.res);
  };
  const plugin = {
    name: 'livepulse-real-backend',
    async executeCommand({ command, payload }) {
      if (command !== 'livepulse-real') return undefined;
      const server = await serverUrl();
      const proxied = PREFIX;
      call ??= admin(server);
      const api = await call;
      if (payload.action === 'server') return { server, proxied };
      const event = await api('POST', '/api/events', {
        name: `Widget test ${Date.now()}`,
        public: Boolean(payload.public),
      });
      const streams = [];
      for (const [i, videoId] of (payload.videos ?? []).entries()) {
        streams.push(await api('POST', `/api/events/${event.id}/streams`, { url: videoId, label: `Camera ${i + 1}` }));
      }
      const token = payload.public ? undefined : (await api('POST', `/api/events/${event.id}/embed-tokens`, {})).token;
      return { server, proxied, id: event.id, streams: streams.map((s) => ({ id: s.id, label: s.label })), token };
    },
    serverStop() {
      running?.stop();
    },
  };
  return { plugin, middleware };
}
