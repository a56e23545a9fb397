// The chat client (youtubei.js) against the simulator over HTTP: every honest state, and a live chat read
// message for message with YouTube's pause honoured.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../simulator/simulator.ts';
import { createChatClient } from './youtubei-chat.ts';

let clock = Date.parse('2026-12-07T10:00:30Z');
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ now: () => clock });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const client = () => createChatClient({ baseUrl: sim.origin, timeoutMs: 5000 });

describe('chat client against the simulator', () => {
  it.each([
    ['disabled by the owner', { mode: 'disabled' as const }, 'disabled', /Chat is disabled for this live stream/],
    ['members only', { mode: 'members_only' as const }, 'members_only', /members-only content/],
    ['no chat', { mode: 'none' as const }, 'unavailable', /has no live chat/],
  ])(
    'a live stream whose chat is %s is refused with the state and YouTube’s words',
    async (_n, chat, state, reason) => {
      sim.setVideo('chatVideo01', { state: 'live', chat });
      const opened = await client().open('chatVideo01');
      expect(opened).toMatchObject({ ok: false, state });
      expect(!opened.ok && opened.reason).toMatch(reason);
    },
  );

  it.each([
    ['an ended stream (only a replay is left)', 'ended' as const, /stream has ended/],
    ['an upcoming stream', 'upcoming' as const, /has no live chat/],
    ['a normal video', 'not_live' as const, /has no live chat/],
  ])('%s is not available', async (_n, state, reason) => {
    sim.setVideo('chatVideo01', { state });
    const opened = await client().open('chatVideo01');
    expect(opened).toMatchObject({ ok: false, state: 'unavailable' });
    expect(!opened.ok && opened.reason).toMatch(reason);
  });

  it('a removed video is not available', async () => {
    const opened = await client().open('goneVideo01');
    expect(opened).toMatchObject({ ok: false, state: 'unavailable', reason: expect.stringMatching(/unavailable/) });
  });

  it('reads a live chat message for message, with YouTube’s pause, until the stream ends', async () => {
    clock = Date.parse('2026-12-07T10:00:30Z');
    sim.setVideo('chatVideo01', { state: 'live', chat: { perMinute: 12, timeoutMs: 3000 } });
    const opened = await client().open('chatVideo01');
    if (!opened.ok) throw new Error(opened.reason);
    // 12 a minute: one every 5 s, at 2.5 s, 7.5 s, …; the first answer holds the last 30 s (10:00:00–10:00:30].
    const first = await opened.chat.next();
    expect(first?.waitHintMs).toBe(3000);
    const secondsOf = (b: typeof first) =>
      b?.messages.map((m) => (m.tsMs! - Date.parse('2026-12-07T10:00:00Z')) / 1000);
    expect(secondsOf(first)).toEqual([2.5, 7.5, 12.5, 17.5, 22.5, 27.5]);
    expect(first?.messages[0].id).toBe(`chatVideo01.${Date.parse('2026-12-07T10:00:00Z') / 60_000}.0`);
    clock += 20_000; // 10:00:50: four more (32.5 … 47.5)
    const second = await opened.chat.next();
    expect(secondsOf(second)).toEqual([32.5, 37.5, 42.5, 47.5]);
    sim.setVideo('chatVideo01', { state: 'ended' });
    expect(await opened.chat.next()).toMatchObject({ messages: [] });
    expect(await opened.chat.next()).toBeNull();
    const chatCalls = sim.innertube.calls().filter((c) => c.path === 'live_chat/get_live_chat');
    expect(chatCalls.every((c) => c.videoId === 'chatVideo01')).toBe(true);
  });
});
