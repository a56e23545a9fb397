// For the state matrix only: real server processes on YouTube simulators (one per fault that is global to
// a server), their events made through the admin API, and the deep text and state of a page's elements.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { startSimulator, type Simulator, type VideoSpec } from '../server/simulator/simulator.ts';
import { runServer, type ServerProcess } from '../server/testing/server-process.ts';
import type { EventInfo, StreamInfo } from '../server/wire.ts';

const PASSWORD = 'matrix-admin-password';
const SECRET = 'matrix-auth-secret-0123456789abcdefghijkl';
/** A key of the right shape for the config check; it only ever goes to the loopback simulator. */
const SIM_KEY = 'matrix-simulator-key-0000';

export const LIVE_VIDEOS: Record<string, VideoSpec> = {
  mxLiveAAAA1: {
    state: 'live',
    title: 'Main hall',
    channelTitle: 'Matrix',
    curve: { kind: 'moving', base: 12_400, amplitude: 900, periodSeconds: 120, noise: 0.004 },
  },
  mxLiveBBBB2: {
    state: 'live',
    title: 'Side room',
    channelTitle: 'Matrix',
    curve: { kind: 'moving', base: 3_150, amplitude: 300, periodSeconds: 90, noise: 0.01 },
  },
  mxHiddenCC3: { state: 'live_hidden', title: 'Hidden count', channelTitle: 'Matrix' },
  mxEndedDDD4: { state: 'ended', title: 'Yesterday', channelTitle: 'Matrix' },
};

export interface MatrixServer {
  name: string;
  sim: Simulator | null;
  proc: ServerProcess;
  url: string;
  env: Record<string, string>;
  /** A same-origin admin call; returns the parsed JSON body (or null). */
  api<T = unknown>(method: string, route: string, body?: unknown): Promise<T>;
  /** Stops the process (SIGTERM) and starts it again on the same port and data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  close(): Promise<void>;
}

export async function matrixServer(name: string, { simulator = true } = {}): Promise<MatrixServer> {
  const sim = simulator ? await startSimulator() : null;
  if (sim) for (const [id, spec] of Object.entries(LIVE_VIDEOS)) sim.setVideo(id, spec);
  const dataDir = mkdtempSync(path.join(tmpdir(), `lp-states-${name}-`));
  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ADMIN_PASSWORD: PASSWORD,
    AUTH_SECRET: SECRET,
    POLL_INTERVAL_SECONDS: '2',
    LOG_FORMAT: 'json',
    // The Data API alone (YT_SOURCE=api): with auto, a spent quota or a missing key moves YouTube to InnerTube,
    // which would reach for youtube.com; the quota and no-key cells are the states a deployment without
    // InnerTube shows.
    YT_SOURCE: 'api',
    ...(sim ? { YT_API_BASE_URL: sim.baseUrl, YT_API_KEY: SIM_KEY } : {}),
  };
  const server: MatrixServer = {
    name,
    sim,
    env,
    proc: await runServer(env, { timeoutMs: 90_000 }),
    url: '',
    async api<T>(method: string, route: string, body?: unknown): Promise<T> {
      const headers = { cookie: await cookie(), origin: server.url, 'content-type': 'application/json' };
      const res = await fetch(`${server.url}${route}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${method} ${route}: ${res.status} ${await res.text()}`);
      return (res.status === 204 ? null : await res.json()) as T;
    },
    async restart() {
      await server.stop();
      server.proc = await runServer({ ...env, PORT: new URL(server.url).port }, { timeoutMs: 90_000 });
    },
    async stop() {
      await server.proc.stop();
    },
    async close() {
      await server.proc.stop();
      await sim?.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  server.url = server.proc.url;
  let session: string | undefined;
  async function cookie() {
    if (session) return session;
    const res = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ password: PASSWORD }),
    });
    return (session = res.headers.get('set-cookie')!.split(';')[0]);
  }
  return server;
}

/** A public (unless said otherwise) event with these videos as its streams, labelled after their titles. */
export async function makeEvent(server: MatrixServer, name: string, videos: string[], { isPublic = true } = {}) {
  const event = await server.api<EventInfo>('POST', '/api/events', { name, public: isPublic });
  const streams: StreamInfo[] = [];
  for (const video of videos) {
    streams.push(
      await server.api<StreamInfo>('POST', `/api/events/${event.id}/streams`, {
        url: video,
        label: LIVE_VIDEOS[video]?.title ?? video,
      }),
    );
  }
  return { id: event.id, streams };
}

export async function embedToken(server: MatrixServer, eventId: string): Promise<string> {
  return (await server.api<{ token: string }>('POST', `/api/events/${eventId}/embed-tokens`, {})).token;
}

/**
 * The text a person sees in an element, through every shadow root: hidden nodes, styles and
 * screen-reader-only text (1 px boxes) left out, whitespace collapsed.
 */
export function seenText(where: Page | Frame, selector: string): Promise<string> {
  return where.evaluate((sel) => {
    const walk = (node: Node): string => {
      if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
      if (!(node instanceof Element)) return '';
      if (['STYLE', 'SCRIPT', 'TEMPLATE'].includes(node.tagName)) return '';
      if (!node.checkVisibility({ visibilityProperty: true })) return '';
      const box = node.getBoundingClientRect();
      if (box.width <= 1 && box.height <= 1) return '';
      const children = [...(node.shadowRoot?.childNodes ?? []), ...node.childNodes];
      return ` ${children.map(walk).join('')} `;
    };
    const element = document.querySelector(sel);
    return element ? walk(element).replace(/\s+/g, ' ').trim() : '(missing)';
  }, selector);
}

export const stateOf = (where: Page | Frame, selector: string) =>
  where.evaluate((sel) => document.querySelector(sel)?.getAttribute('state') ?? null, selector);
