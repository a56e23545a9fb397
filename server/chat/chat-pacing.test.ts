// The chat reader's pacing, with a scripted chat client and the test's clock: the cap on reads at once over
// all streams, YouTube's pause followed, failures backed off (2 s, 4 s, 8 s, then the chat opened again).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedEvent } from '../testing/queries.ts';
import { engines } from '../testing/test-db.ts';
import { testInstance } from '../testing/test-instance.ts';
import { createChatReader } from './chat-reader.ts';
import { setChatEnabled } from './queries.ts';
import type { ChatBatch, ChatClient } from './youtubei-chat.ts';

describe.each(engines)('chat reader pacing on %s', (engine) => {
  let inst: Awaited<ReturnType<typeof testInstance>>;
  beforeAll(async () => {
    inst = await testInstance(engine);
    await seedEvent(
      inst.db,
      'ev',
      Array.from({ length: 6 }, (_, i) => ({ id: `s${i}`, videoId: `paceVideo0${i}` })),
    );
    for (let i = 0; i < 6; i++) await setChatEnabled(inst.db, 'ev', `s${i}`, true);
  });
  afterAll(() => inst?.close());

  it('reads at most `concurrency` chats at once, and a slow chat does not hold the others in the loop', async () => {
    let running = 0;
    let most = 0;
    const release: (() => void)[] = [];
    const client: Pick<ChatClient, 'open'> = {
      open: async () => {
        most = Math.max(most, ++running);
        await new Promise<void>((r) => release.push(r));
        running--;
        return { ok: false, state: 'disabled', reason: 'scripted' };
      },
    };
    const reader = createChatReader({ db: inst.db, client, isLeader: () => true, publish: () => {}, concurrency: 2 });
    reader.start();
    await expect.poll(() => release.length, { timeout: 5000 }).toBe(2);
    await new Promise((r) => setTimeout(r, 1500)); // a loop round or more passes: nothing more starts
    expect(most).toBe(2);
    release.shift()!(); // one slot frees: the next chat starts while the other is still slow
    await expect.poll(() => release.length, { timeout: 5000 }).toBe(2);
    expect(most).toBe(2);
    while (release.length) release.shift()!();
    const stopping = reader.stop();
    while (release.length) release.shift()!();
    await stopping;
  });

  it('follows YouTube’s pause, backs off on failures and opens the chat again after three', async () => {
    let clock = Date.parse('2026-12-07T10:00:00Z');
    const reads: number[] = [];
    const opens: number[] = [];
    let script: (ChatBatch | Error)[] = [];
    const client: Pick<ChatClient, 'open'> = {
      open: (videoId) => {
        if (videoId !== 'paceVideo00') return Promise.resolve({ ok: false, state: 'disabled', reason: 'not this one' });
        opens.push(clock);
        return Promise.resolve({
          ok: true,
          chat: {
            next: () => {
              reads.push(clock);
              const answer = script.shift() ?? { messages: [], waitHintMs: 12_000 };
              return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
            },
          },
        });
      },
    };
    const reader = createChatReader({
      db: inst.db,
      client,
      isLeader: () => true,
      publish: () => {},
      now: () => clock,
      concurrency: 8,
    });
    const t0 = clock;
    const runFor = async (seconds: number) => {
      for (let i = 0; i < seconds; i++) {
        clock += 1000;
        await reader.round();
      }
    };
    await reader.round();
    await runFor(30);
    // A 12 s pause asked: read at 0, 12, 24 s.
    expect(reads.map((t) => (t - t0) / 1000)).toEqual([0, 12, 24]);
    script = [new Error('reset'), new Error('reset'), new Error('reset')];
    reads.length = 0;
    await runFor(30);
    // Failed at 36, then 2 s and 4 s later; the third failure gives the chat up, opened again 8 s later (50).
    expect(reads.map((t) => (t - t0) / 1000)).toEqual([36, 38, 42, 50]);
    expect(opens.map((t) => (t - t0) / 1000)).toEqual([0, 50]);
  });
});
