// Drives youtubei.js's own session, requests and parsers through an injected fetch serving
// InnerTube-shaped fixtures: an upgrade of the library that stops reading these shapes fails here.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fullGc } from '../../server/testing/full-gc.ts';
import type { ChatMessage } from './message.ts';
import { run } from './run.ts';
import { ChatUnavailableError, NetworkError, type ChatStream } from './source.ts';
import {
  add,
  chatResponse,
  nextResponse,
  playerResponse,
  renderers as r,
  replay,
  ticker,
  usec,
} from './testing/innertube-fixtures.ts';
import { innertubeServer, type Scenario } from './testing/innertube-server.ts';
import { createYoutubeiSource } from './youtubei-source.ts';

const ID = 'dQw4w9WgXcQ';
const T = '2025-01-01T20:00:00.000Z';
const T2 = '2025-01-01T20:00:05.000Z';

const liveScenario = (): Scenario => ({
  player: playerResponse(ID),
  next: nextResponse({ isReplay: false, top: 'TOP', all: 'ALL' }),
  chat: {
    ALL: chatResponse(
      [
        add(r.engagement('e1', T)),
        add(r.text('t1', T)),
        add(r.superchat('s1', T)),
        ticker(r.superchat('s1', T)),
        add(r.sticker('k1', T)),
        add(r.membership('m1', T)),
        add(r.gift('g1', T)),
        add(r.redemption('r1', T)),
      ],
      { invalidationContinuationData: { continuation: 'LIVE2', timeoutMs: 4000 } },
    ),
    LIVE2: chatResponse([add(r.text('t2', T2))], {
      timedContinuationData: { continuation: 'LIVE3', timeoutMs: 60_000 },
    }),
    // The stream is over: chat contents with no continuation.
    LIVE3: chatResponse([]),
  },
});

const replayScenario = (): Scenario => ({
  player: playerResponse(ID, 'OK', undefined, false),
  next: nextResponse({ isReplay: true, top: 'TOP', all: 'ALL' }),
  chat: {
    ALL: chatResponse([replay(1500, r.text('t1', T)), replay(2500, r.superchat('s1', T))], {
      liveChatReplayContinuationData: { continuation: 'REPLAY2', timeUntilLastMessageMsec: 1000 },
    }),
    // The last chunk points the player back with a seek continuation, not a replay one: the end.
    REPLAY2: chatResponse([replay(9000, r.text('t2', T2))], { playerSeekContinuationData: { continuation: 'SEEK' } }),
  },
});

const ann = { name: 'Ann', channelId: 'UCann0000000000000000000', badges: ['Moderator'] };
const at = (iso: string) => new Date(Math.floor(Number(usec(iso)) / 1000)).toISOString();

const LIVE_MESSAGES: ChatMessage[] = [
  { id: 't1', timestamp: at(T), type: 'text', author: ann, message: 'hello 👋 :_partyhat:' },
  {
    id: 's1',
    timestamp: at(T),
    type: 'superchat',
    author: { name: 'Ben', channelId: 'UCben0000000000000000000', badges: [] },
    message: 'great stream',
    amount: { value: 10, currency: 'CAD' },
  },
  {
    id: 'k1',
    timestamp: at(T),
    type: 'supersticker',
    author: { name: 'Cy', channelId: 'UCcy00000000000000000000', badges: [] },
    message: 'Cat waving',
    amount: { value: 500, currency: 'JPY' },
  },
  {
    id: 'm1',
    timestamp: at(T),
    type: 'membership',
    author: { name: 'Dee', channelId: 'UCdee0000000000000000000', badges: ['Member (6 months)'] },
    message: 'Welcome to The Channel!',
  },
  {
    id: 'g1',
    timestamp: at(T),
    type: 'gift',
    author: { name: 'Eve', channelId: 'UCeve0000000000000000000', badges: ['Member (6 months)'] },
    message: 'Gifted 5 The Channel memberships',
  },
  {
    id: 'r1',
    timestamp: at(T),
    type: 'gift_redemption',
    author: { name: 'Fay', channelId: 'UCfay0000000000000000000', badges: [] },
    message: 'received a gift membership by Eve',
  },
];

async function drain(stream: ChatStream) {
  const batches = [];
  for (let batch = await stream.next(); batch; batch = await stream.next()) batches.push(batch);
  return batches;
}

const open = (scenario: Scenario, signal = new AbortController().signal) => {
  const server = innertubeServer(scenario);
  return { server, stream: createYoutubeiSource({ fetch: server.fetch, requestTimeoutMs: 500 }).open(ID, signal) };
};

describe('youtubei.js source', () => {
  it('reads a live chat: every message type, the whole chat rather than Top chat, until the stream ends', async () => {
    const { server, stream } = open(liveScenario());
    const chat = await stream;
    expect(chat.isReplay).toBe(false);
    const batches = await drain(chat);
    expect(batches.map((b) => b.messages)).toEqual([
      LIVE_MESSAGES,
      [{ id: 't2', timestamp: at(T2), type: 'text', author: ann, message: 'hello 👋 :_partyhat:' }],
      [],
    ]);
    // YouTube's pause is honoured, capped at 10 s.
    expect(batches.map((b) => b.waitHintMs)).toEqual([4000, 10_000, undefined]);
    expect(server.requests.map((q) => q.path).slice(0, 4)).toEqual([
      '/sw.js_data',
      '/youtubei/v1/config',
      '/youtubei/v1/player',
      '/youtubei/v1/next',
    ]);
    expect(server.chatRequests().map((q) => [q.path, q.body?.continuation])).toEqual([
      ['/youtubei/v1/live_chat/get_live_chat', 'ALL'],
      ['/youtubei/v1/live_chat/get_live_chat', 'LIVE2'],
      ['/youtubei/v1/live_chat/get_live_chat', 'LIVE3'],
    ]);
  });

  it('reads a chat replay to its end with video offsets, telling YouTube where playback is', async () => {
    const { server, stream } = open(replayScenario());
    const chat = await stream;
    expect(chat.isReplay).toBe(true);
    const messages = (await drain(chat)).flatMap((b) => b.messages);
    expect(messages.map((m) => [m.id, m.type, m.videoOffsetMs])).toEqual([
      ['t1', 'text', 1500],
      ['s1', 'superchat', 2500],
      ['t2', 'text', 9000],
    ]);
    expect(messages[0]).toEqual({ ...LIVE_MESSAGES[0], videoOffsetMs: 1500 });
    expect(server.chatRequests().map((q) => [q.path, q.body?.continuation, q.body?.currentPlayerState])).toEqual([
      ['/youtubei/v1/live_chat/get_live_chat_replay', 'ALL', { playerOffsetMs: '0' }],
      ['/youtubei/v1/live_chat/get_live_chat_replay', 'REPLAY2', { playerOffsetMs: '2500' }],
    ]);
  });

  it.each([
    [
      'chat disabled',
      { player: playerResponse(ID), next: nextResponse({ disabledMessage: 'Chat is disabled for this live stream.' }) },
      /the chat is not available: Chat is disabled for this live stream\./,
    ],
    [
      'not a stream',
      { player: playerResponse(ID, 'OK', undefined, false), next: nextResponse(null) },
      /this video has no live chat/,
    ],
    [
      'private',
      { player: playerResponse(ID, 'LOGIN_REQUIRED', 'This video is private'), next: nextResponse(null) },
      /will not show this video \(LOGIN_REQUIRED\): This video is private/,
    ],
    [
      'members-only',
      {
        player: playerResponse(
          ID,
          'UNPLAYABLE',
          'Join this channel to get access to members-only content like this video, and other exclusive perks.',
        ),
        next: nextResponse(null),
      },
      /\(UNPLAYABLE\): Join this channel to get access to members-only content/,
    ],
    [
      'removed',
      { player: playerResponse(ID, 'ERROR', 'Video unavailable'), next: nextResponse(null) },
      /the video is unavailable: Video unavailable/,
    ],
  ])('refuses a video whose chat cannot be read (%s) with the reason', async (_name, scenario, reason) => {
    const { stream } = open(scenario);
    const error = await stream.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChatUnavailableError);
    expect((error as Error).message).toMatch(reason);
  });

  it.each([
    [
      'a dropped connection',
      Object.assign(new TypeError('fetch failed'), {
        cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      }),
      /get_live_chat: fetch failed: ECONNRESET/,
    ],
    ['a 503', { status: 503 }, /get_live_chat: HTTP 503/],
    ['a 429', { status: 429 }, /get_live_chat: HTTP 429/],
    ['no answer', 'hang' as const, /get_live_chat: no answer in 0.5 s/],
  ])('reports %s as a NetworkError so it is retried', async (_name, answer, message) => {
    const scenario = liveScenario();
    scenario.chat = { ALL: answer };
    const chat = await open(scenario).stream;
    const error = await chat.next().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toMatch(message);
  });

  it('gives up on a request with no answer even when a garbage collection runs while it waits', async () => {
    // nodejs/node#57736: with AbortSignal.any([signal, AbortSignal.timeout()]) this waited for ever (CI, 30 s).
    const scenario = liveScenario();
    scenario.chat = { ALL: 'hang' };
    const chat = await open(scenario).stream;
    const pending = chat.next().catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    fullGc();
    const error = await Promise.race([pending, new Promise((resolve) => setTimeout(resolve, 3000, 'still waiting'))]);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toMatch(/no answer in 0.5 s/);
  });

  it('abandons a hanging request as soon as the export is stopped', async () => {
    const scenario = liveScenario();
    scenario.chat = { ALL: 'hang' };
    const controller = new AbortController();
    const chat = await open(scenario, controller.signal).stream;
    const pending = chat.next().catch((e: unknown) => e);
    setTimeout(() => controller.abort('SIGINT'), 20);
    const started = Date.now();
    expect(await pending).toBe('SIGINT');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('exports a replay end to end through the CLI’s run()', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'livechat-yt-'));
    const server = innertubeServer(replayScenario());
    let stderr = '';
    const code = await run([`https://youtu.be/${ID}`, 'replay.json', '--sleep-sec', '0'], {
      source: createYoutubeiSource({ fetch: server.fetch }),
      stdout: { write: () => {} },
      stderr: { write: (t: string) => (stderr += t) },
      cwd: dir,
      signal: new AbortController().signal,
    });
    expect(code).toBe(0);
    const saved = JSON.parse(await readFile(join(dir, 'replay.json'), 'utf8')) as ChatMessage[];
    expect(saved.map((m) => m.id)).toEqual(['t1', 's1', 't2']);
    expect(saved[1].amount).toEqual({ value: 10, currency: 'CAD' });
    expect(stderr).toMatch(/^livechat: 3 messages from the chat replay of dQw4w9WgXcQ .* the chat has ended\n$/);
  });
});
