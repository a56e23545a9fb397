// Secrets never leave the server: a real server (child process) polling a simulator that insists on the
// API key runs the whole organiser scenario over HTTP (login, create, add streams, read, share, export,
// magic link, a rejected key), then every response (status, headers, body), every built file and the
// server's log are searched for the API key, ADMIN_PASSWORD, AUTH_SECRET and the full tokens.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createBuilder, loadConfigFromFile } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSecrets, responseHaystack, type Haystack } from '../server/security/testing/secret-scan.ts';
import { startSimulator, type Simulator } from '../server/simulator/simulator.ts';
import { runServer, type ServerProcess } from '../server/testing/server-process.ts';
import type { EventInfo, ExportStatus, StreamInfo } from '../server/wire.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIST = path.join(ROOT, 'dist');
const VIDEOS = ['secLiveAAAA', 'secLiveBBBB', 'secLiveCCCC'];

// Made at run time, in pieces, so no key-shaped literal is ever committed (the pre-stop hook greps for one).
const API_KEY = ['AI', 'za'].join('') + randomBytes(27).toString('base64url').slice(0, 35);
const SECRETS = {
  YT_API_KEY: API_KEY,
  ADMIN_PASSWORD: `pw-${randomBytes(12).toString('hex')}`,
  AUTH_SECRET: randomBytes(36).toString('base64url'),
};

/** One HTTP answer of the scenario, kept twice: whole, and without Set-Cookie (see the token check). */
interface Recorded {
  whole: Haystack;
  withoutCookies: Haystack;
  /** The one answer that hands out an embed token. */
  mintsEmbedToken?: boolean;
}

const MODES = [
  { name: 'production (JSON logs)', env: { NODE_ENV: 'production' } },
  { name: 'development (text logs)', env: { NODE_ENV: 'development', LOG_FORMAT: 'pretty' } },
];

describe.each(MODES)('a full scenario in $name', ({ env }) => {
  let sim: Simulator;
  let server: ServerProcess;
  let dataDir: string;
  let cookie = '';
  const recorded: Recorded[] = [];
  const sessionTokens: string[] = [];
  const tokens = { magic: '', embed: '' };

  beforeAll(async () => {
    sim = await startSimulator({ apiKey: API_KEY });
    sim.setVideo(VIDEOS[0], {
      state: 'live',
      title: 'Main hall',
      channelTitle: 'Secrets channel',
      curve: { kind: 'moving', base: 4000, noise: 0.05, periodSeconds: 30 },
    });
    sim.setVideo(VIDEOS[1], {
      state: 'live',
      title: 'Side room',
      channelTitle: 'Secrets channel',
      curve: { kind: 'moving', base: 900, noise: 0.05, periodSeconds: 20 },
    });
    dataDir = mkdtempSync(path.join(tmpdir(), 'livepulse-secrets-'));
    server = await runServer(
      {
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        ...SECRETS,
        YT_API_BASE_URL: sim.baseUrl,
        POLL_INTERVAL_SECONDS: '2',
        LOG_FORMAT: 'json',
        ...env,
      },
      // At the start of a CI run the machine is at its busiest (CI: not ready in 60 s at load 19).
      { timeoutMs: 120_000 },
    );
  }, 150_000);

  afterAll(async () => {
    await server?.stop();
    await sim?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** Keeps the answer for the searches and returns its body; remembers any session cookie it sets. */
  async function keep(where: string, res: Response, mintsEmbedToken = false): Promise<string> {
    for (const set of res.headers.getSetCookie()) {
      const jwt = /^lp_session=([^;]+)/.exec(set)?.[1];
      if (jwt) {
        sessionTokens.push(jwt);
        cookie = `lp_session=${jwt}`;
      }
    }
    const whole = await responseHaystack(where, res);
    const cut = whole.text.indexOf('\n\n');
    const head = whole.text
      .slice(0, cut)
      .split('\n')
      .filter((line) => !line.startsWith('set-cookie:'));
    recorded.push({
      whole,
      withoutCookies: { where, text: `${head.join('\n')}${whole.text.slice(cut)}` },
      mintsEmbedToken,
    });
    return whole.text.slice(cut + 2);
  }

  /** A request as the admin's browser sends it: the session cookie, and a same-origin JSON body. */
  async function call(
    method: string,
    url: string,
    {
      json,
      anonymous = false,
      mintsEmbedToken = false,
    }: { json?: unknown; anonymous?: boolean; mintsEmbedToken?: boolean } = {},
  ) {
    const headers: Record<string, string> = {};
    if (!anonymous && cookie) headers.cookie = cookie;
    if (json !== undefined) Object.assign(headers, { 'content-type': 'application/json', origin: server.url });
    const res = await fetch(new URL(url, server.url), {
      method,
      headers,
      body: json === undefined ? undefined : JSON.stringify(json),
      redirect: 'manual',
    });
    const status = res.status;
    const text = await keep(`${method} ${url}`, res, mintsEmbedToken);
    return { status, text, json: <T>() => JSON.parse(text) as T };
  }

  /** Reads an event stream until `count` samples arrived, then hangs up. */
  async function readSamples(url: string, count: number): Promise<number> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 20_000);
    const res = await fetch(new URL(url, server.url), {
      headers: { cookie, accept: 'text/event-stream' },
      signal: controller.signal,
    });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    try {
      while ((text.match(/^event: sample$/gm) ?? []).length < count) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
    } finally {
      clearTimeout(timer);
      await reader.cancel().catch(() => {});
    }
    await keep(`GET ${url}`, new Response(text, { status: res.status, headers: res.headers }));
    return (text.match(/^event: sample$/gm) ?? []).length;
  }

  it('runs: login, create, add streams, read, share, export, magic link, a rejected key', async () => {
    expect((await call('GET', '/login')).status).toBe(200);
    expect((await call('GET', '/login.js')).status).toBe(200);
    expect((await call('POST', '/api/auth/login', { json: { password: 'not-the-password-at-all' } })).status).toBe(401);
    expect((await call('POST', '/api/auth/login', { json: { password: SECRETS.ADMIN_PASSWORD } })).status).toBe(200);
    expect(cookie).not.toBe('');
    expect((await call('GET', '/api/auth/me')).json<{ user: string }>().user).toBe('admin');

    const created = await call('POST', '/api/events', { json: { name: 'Secrets summit' } });
    expect(created.status).toBe(201);
    const id = created.json<EventInfo>().id;
    const streams: StreamInfo[] = [];
    for (const video of VIDEOS.slice(0, 2)) {
      const added = await call('POST', `/api/events/${id}/streams`, {
        json: { url: `https://www.youtube.com/watch?v=${video}` },
      });
      expect(added.status).toBe(201);
      streams.push(added.json<StreamInfo>());
    }
    expect(
      (await call('POST', `/api/events/${id}/streams`, { json: { url: 'https://example.com/watch?v=secLiveAAAA' } }))
        .status,
    ).toBe(400);
    expect((await call('POST', `/api/events/${id}/streams`, { json: { url: 'secUnknownX' } })).status).toBe(422);

    expect((await call('GET', '/api/events')).status).toBe(200);
    expect((await call('GET', '/api/quota')).status).toBe(200);
    expect((await call('GET', '/api/health')).status).toBe(200);
    expect(await readSamples(`/api/events/${id}/stream`, 2)).toBe(2);
    expect((await call('GET', `/api/events/${id}`)).json<EventInfo>().streams.map((s) => s.status)).toEqual([
      'live',
      'live',
    ]);
    expect((await call('GET', `/api/events/${id}/history?minutes=10`)).status).toBe(200);
    expect((await call('GET', `/api/events/${id}/history.csv?minutes=10`)).text).toMatch(/^ts,total\r?\n\d{4}-/);
    expect((await call('GET', `/api/events/${id}/streams/history.csv?minutes=10`)).status).toBe(200);
    expect((await call('GET', `/api/events/${id}/streams/${streams[0].id}/history.csv?minutes=10`)).status).toBe(200);
    expect((await call('GET', `/api/events/${id}/history?minutes=not-a-number`)).status).toBe(400);
    expect((await call('GET', '/api/no-such-route')).status).toBe(404);

    // The pages, and every script they load.
    expect((await call('PATCH', `/api/events/${id}`, { json: { public: true } })).status).toBe(200);
    for (const page of ['/admin', `/event/${id}/dashboard`, `/event/${id}/overlay?view=both`, '/demo']) {
      const { status, text } = await call('GET', page);
      expect(status, page).toBe(200);
      for (const [, src] of text.matchAll(/<script[^>]* src="([^"]+)"/g))
        expect((await call('GET', src)).status, src).toBe(200);
    }
    expect((await call('GET', '/widget/livepulse.js')).status).toBe(200);
    expect((await call('GET', `/event/${id}/dashboard`, { anonymous: true })).status).toBe(200);

    // A private event shared through an embed token, which a stranger then uses in a URL.
    expect((await call('PATCH', `/api/events/${id}`, { json: { public: false } })).status).toBe(200);
    const minted = await call('POST', `/api/events/${id}/embed-tokens`, { json: {}, mintsEmbedToken: true });
    expect(minted.status).toBe(201);
    tokens.embed = minted.json<{ token: string }>().token;
    expect((await call('GET', `/api/events/${id}/history?minutes=10`, { anonymous: true })).status).toBe(401);
    expect(
      (
        await call('GET', `/api/events/${id}/history?minutes=10&token=${encodeURIComponent(tokens.embed)}`, {
          anonymous: true,
        })
      ).status,
    ).toBe(200);

    const queued = await call('POST', `/api/events/${id}/export`, { json: { type: 'streams', minutes: 60 } });
    expect(queued.status).toBe(202);
    const { jobId } = queued.json<{ jobId: string }>();
    await expect
      .poll(async () => (await call('GET', `/api/exports/${jobId}/status`)).json<ExportStatus>().state, {
        timeout: 20_000,
      })
      .toBe('done');
    const download = await call('GET', `/api/exports/${jobId}/download`);
    expect(download.text.trim().split('\n').length).toBeGreaterThan(1);

    // A single-use sign-in link from the command line, used once by a fresh browser.
    const { stdout } = await promisify(execFile)(
      'npm',
      ['run', '--silent', 'magic-link', '--', '--base-url', server.url, '--once'],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', DATA_DIR: dataDir, ...SECRETS, ...env },
      },
    );
    tokens.magic = /^Token: (\S+)$/m.exec(stdout)![1];
    const link = new URL(/^\s+(http\S+)$/m.exec(stdout)![1]);
    const linkPath = `${link.pathname}${link.search}`;
    cookie = '';
    expect((await call('GET', linkPath)).status).toBe(200);
    const signIn = await fetch(new URL(linkPath, server.url), {
      method: 'POST',
      headers: { origin: server.url },
      redirect: 'manual',
    });
    expect(signIn.status).toBe(303);
    await keep(`POST ${linkPath}`, signIn);
    expect(cookie).not.toBe('');
    expect((await call('GET', '/api/auth/me')).json<{ user: string }>().user).toBe('admin');
    expect((await call('GET', linkPath)).status).toBe(410);

    // YouTube rejects the key: the server must say so without repeating it.
    sim.injectFault('key_invalid', { times: 1000 });
    sim.setVideo(VIDEOS[2], {
      state: 'live',
      title: 'Annex',
      channelTitle: 'Secrets channel',
      curve: { kind: 'moving', base: 300, noise: 0.05, periodSeconds: 20 },
    });
    const rejected = await call('POST', `/api/events/${id}/streams`, { json: { url: VIDEOS[2] } });
    expect(rejected.status).toBe(201);
    expect(rejected.json<StreamInfo>().status).toBe('api_key_invalid');
    await expect.poll(() => server.output().includes('yt_api_key_invalid'), { timeout: 10_000 }).toBe(true);
    expect((await call('GET', `/api/events/${id}`)).json<EventInfo>().streams.map((s) => s.status)).toContain(
      'api_key_invalid',
    );
    expect((await call('GET', '/api/quota')).status).toBe(200);
    expect((await call('GET', '/api/health')).status).toBe(200);

    // The key was really in use (so not finding it means something): sent in a header, never in the URL.
    const calls = sim.calls();
    expect(calls.filter((c) => c.status === 200).length).toBeGreaterThan(2);
    expect(new Set(calls.map((c) => c.keyVia))).toEqual(new Set(['header']));
  }, 120_000);

  it('no response holds the key, the password or AUTH_SECRET, in any header or body', () => {
    expect(recorded.length).toBeGreaterThan(40);
    expect(
      findSecrets(
        recorded.map((r) => r.whole),
        SECRETS,
      ),
    ).toEqual([]);
  });

  // The Set-Cookie that starts a session necessarily carries the session token: that cookie IS the
  // session. "No full token" therefore holds for everything else: headers other than Set-Cookie, and bodies.
  it('no response carries a full session or magic-link token, and only the minting answer an embed token', () => {
    expect(sessionTokens.length).toBe(2);
    const everyToken = {
      ...Object.fromEntries(sessionTokens.map((t, i) => [`session token ${i + 1}`, t])),
      'magic-link token': tokens.magic,
    };
    expect(
      findSecrets(
        recorded.map((r) => r.withoutCookies),
        everyToken,
      ),
    ).toEqual([]);
    expect(
      findSecrets(
        recorded.filter((r) => !r.mintsEmbedToken).map((r) => r.withoutCookies),
        { 'embed token': tokens.embed },
      ),
    ).toEqual([]);
  });

  it('the log holds no secret, no full token and no token= value', () => {
    const log = server.output();
    expect(log).toMatch(/ready at/);
    const everything = {
      ...SECRETS,
      ...Object.fromEntries(sessionTokens.map((t, i) => [`session token ${i + 1}`, t])),
      'magic-link token': tokens.magic,
      'embed token': tokens.embed,
    };
    expect(findSecrets([{ where: 'server log', text: log }], everything)).toEqual([]);
    expect(log.match(/[?&]token=(?!\[redacted\])\S{0,20}/g) ?? []).toEqual([]);
  });
});

/** Every file under `dir`, as haystacks named `<label>/<path inside dir>`. */
function filesUnder(dir: string, label: string): Haystack[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      return { where: `${label}/${path.relative(dir, file)}`, text: readFileSync(file, 'latin1') };
    });
}

describe('the built bundles', () => {
  it('in dist/ hold no key-shaped string, nor the key, the password or AUTH_SECRET', () => {
    if (!existsSync(path.join(DIST, 'widget/livepulse.js')))
      throw new Error('The bundles are missing: run `npm run build` first (npm test does)');
    const haystacks = filesUnder(DIST, 'dist');
    expect(haystacks.map((h) => h.where)).toContain('dist/widget/pages/admin.js');
    expect(findSecrets(haystacks, SECRETS)).toEqual([]);
  });

  // dist/ was built before these secrets existed; a build made with them in its environment shows
  // that nothing (a `define`, an env prefix) carries a server secret into the bundles.
  it('built with the secrets in the environment, still hold none of them', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'livepulse-secrets-build-'));
    const saved = { ...process.env };
    Object.assign(process.env, SECRETS);
    try {
      const configFile = path.join(ROOT, 'vite.config.ts');
      const loaded = await loadConfigFromFile({ command: 'build', mode: 'production' }, configFile, ROOT, 'silent');
      const environments = Object.fromEntries(
        Object.keys(loaded?.config.environments ?? {}).map((name) => [
          name,
          { build: { outDir: path.join(out, 'widget') } },
        ]),
      );
      const builder = await createBuilder({ root: ROOT, configFile, logLevel: 'warn', environments });
      await builder.buildApp();
      const haystacks = filesUnder(out, 'fresh build');
      expect(haystacks.map((h) => h.where.replace('fresh build', 'dist')).sort()).toEqual(
        filesUnder(DIST, 'dist')
          .map((h) => h.where)
          .sort(),
      );
      expect(findSecrets(haystacks, SECRETS)).toEqual([]);
    } finally {
      process.env = saved;
      rmSync(out, { recursive: true, force: true });
    }
  });
});
