import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runServer, type ServerProcess } from './testing/server-process.ts';
import type { EventInfo, HistoryResponse, StreamInfo } from './wire.ts';

const PASSWORD = 'demo-test-password-123';

describe('npm run demo (YT_SIMULATOR=1)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lp-demo-'));
  let server: ServerProcess;
  let headers: Record<string, string>;
  beforeAll(async () => {
    server = await runServer(
      { DATA_DIR: dataDir, YT_SIMULATOR: '1', POLL_INTERVAL_SECONDS: '2', ADMIN_PASSWORD: PASSWORD },
      { timeoutMs: 60_000 },
    );
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: server.url },
      body: JSON.stringify({ password: PASSWORD }),
    });
    headers = {
      cookie: login.headers.get('set-cookie')!.split(';')[0],
      origin: server.url,
      'content-type': 'application/json',
    };
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives any valid video link pasted in the admin a simulated, moving curve, and says so in /api/health', async () => {
    const created = await fetch(`${server.url}/api/events`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'My own links' }),
    });
    const { id } = (await created.json()) as EventInfo;
    const added = await fetch(`${server.url}/api/events/${id}/streams`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ url: 'https://youtu.be/dQw4w9WgXcQ' }),
    });
    expect(added.status, await added.clone().text()).toBe(201);
    const stream = (await added.json()) as StreamInfo;
    expect(stream.title).toMatch(/simulated/i);
    await expect
      .poll(
        async () =>
          ((await (await fetch(`${server.url}/api/events/${id}`, { headers })).json()) as EventInfo).streams[0].viewers,
        { timeout: 20_000 },
      )
      .toBeGreaterThan(0);
    expect(((await (await fetch(`${server.url}/api/health`)).json()) as { youtube: string }).youtube).toBe('simulator');
  });

  it('the demo event counts a simulated Twitch channel beside its YouTube streams; each total is their sum', async () => {
    const demo = async () => (await (await fetch(`${server.url}/api/events/demo`, { headers })).json()) as EventInfo;
    await expect
      .poll(async () => (await demo()).streams.find((s) => s.platform === 'twitch')?.viewers ?? 0, { timeout: 20_000 })
      .toBeGreaterThan(0);
    const twitch = (await demo()).streams.find((s) => s.platform === 'twitch')!;
    expect(twitch).toMatchObject({ login: 'oss_summit_live', status: 'live', source: 'twitch' });
    expect(twitch.sourceReason).toBe('Twitch Helix');
    const all = (await demo()).streams;
    expect(all.map((s) => s.platform).sort()).toEqual(['twitch', 'youtube', 'youtube', 'youtube']);

    // Every stored tick's total is the sum of its streams of both platforms, read back from the history.
    const history = (await (
      await fetch(`${server.url}/api/events/demo/history?minutes=10&streams=1`, { headers })
    ).json()) as HistoryResponse;
    expect(history.bucketSeconds).toBe(0);
    const twitchPoints = new Map(history.streams![twitch.id].map((p) => [p.ts, p.viewers]));
    let checked = 0;
    for (const point of history.total) {
      if (!twitchPoints.get(point.ts)) continue;
      const sum = Object.values(history.streams!)
        .map((points) => points.find((p) => p.ts === point.ts)?.viewers ?? 0)
        .reduce((a, b) => a + b, 0);
      expect(point.viewers).toBe(sum);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('takes a pasted Twitch link in the admin: the demo configures Twitch as the simulator', async () => {
    const created = await fetch(`${server.url}/api/events`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: 'Twitch too' }),
    });
    const { id } = (await created.json()) as EventInfo;
    const added = await fetch(`${server.url}/api/events/${id}/streams`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ url: 'https://www.twitch.tv/oss_summit_live' }),
    });
    expect(added.status, await added.clone().text()).toBe(201);
  });
});
