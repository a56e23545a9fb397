// Chat activity end to end against the simulator over HTTP, on each engine: the honest states (and Twitch
// refused), messages counted per minute as the simulator posted them, a failed read left a gap (no 0), no
// minute counted twice when a second reader (a restart, a failover's overlap) reads the same chat, a
// followed channel's new video read instead of the old, and the figures in history JSON, chat.csv and SSE.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders } from '../auth/testing/test-session.ts';
import { startSimulator, type Simulator } from '../simulator/simulator.ts';
import { seedEvent } from '../testing/queries.ts';
import { engines } from '../testing/test-db.ts';
import { testInstance } from '../testing/test-instance.ts';
import type { ChatMessage, EventInfo, HistoryResponse } from '../wire.ts';
import { createChatReader } from './chat-reader.ts';
import { chatMinutesOf, seedTwitchStream, setStreamVideo } from './testing/queries.ts';
import { createChatClient } from './youtubei-chat.ts';

const T = (hms: string) => Date.parse(`2026-12-07T${hms}Z`);
const iso = (hms: string) => new Date(T(hms)).toISOString();

describe.each(engines)('chat activity on %s', (engine) => {
  let clock = T('10:00:30');
  let sim: Simulator;
  let inst: Awaited<ReturnType<typeof testInstance>>;
  let other: Awaited<ReturnType<typeof testInstance>> | undefined;
  const published: ChatMessage[] = [];
  let reader: ReturnType<typeof createChatReader>;
  const sse: { text: string; reader?: ReadableStreamDefaultReader<Uint8Array> }[] = [];

  const newReader = () =>
    createChatReader({
      db: inst.db,
      client: createChatClient({ baseUrl: sim.origin, timeoutMs: 5000 }),
      isLeader: () => true,
      publish: (eventId, message) => {
        expect(eventId).toBe('ev');
        published.push(message);
        void inst.bus.publishChat(eventId, message);
      },
      now: () => clock,
      syncMs: 0,
    });
  /** Moves the clock in 5 s steps (the simulator's pause) up to `hms`, one round each. */
  const runTo = async (hms: string, ...readers: ReturnType<typeof createChatReader>[]) => {
    while (clock < T(hms)) {
      clock += 5000;
      for (const r of readers) await r.round();
    }
  };
  const patch = async (sid: string, body: unknown) =>
    inst.app.request(`/api/events/ev/streams/${sid}`, {
      method: 'PATCH',
      headers: { ...(await adminHeaders(inst.config)), 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const watch = async (url: string) => {
    const res = await fetch(`${url}/api/events/ev/stream`);
    const w = { text: '', reader: res.body!.getReader() };
    void (async () => {
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await w.reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        w.text += decoder.decode(value);
      }
    })();
    sse.push(w);
    return w;
  };

  beforeAll(async () => {
    sim = await startSimulator({ now: () => clock });
    inst = await testInstance(engine, { listen: true });
    if (engine === 'postgres') other = await testInstance('postgres', { listen: true, sharedDbUrl: inst.dbUrl });
    sim.setVideo('chatLive001', { state: 'live', chat: { perMinute: 12 } });
    // 5,000 viewers at 3 messages a minute per 1,000: 15 a minute.
    sim.setVideo('chatLive002', {
      state: 'live',
      curve: { kind: 'constant', value: 5000 },
      chat: { perThousandViewers: 3 },
    });
    sim.setVideo('chatLive003', { state: 'live', chat: { perMinute: 6 } });
    sim.setVideo('chatDisab01', { state: 'live', chat: { mode: 'disabled' } });
    sim.setVideo('chatMembr01', { state: 'live', chat: { mode: 'members_only' } });
    sim.setVideo('chatNone001', { state: 'live', chat: { mode: 'none' } });
    sim.setVideo('chatOther01', { state: 'live' });
    await seedEvent(inst.db, 'ev', [
      { id: 'a', videoId: 'chatLive001', label: 'Main' },
      { id: 'b', videoId: 'chatLive002', label: '=HYPERLINK("x")' },
      { id: 'd', videoId: 'chatDisab01' },
      { id: 'm', videoId: 'chatMembr01' },
      { id: 'n', videoId: 'chatNone001' },
      { id: 'off', videoId: 'chatOther01' },
    ]);
    await seedTwitchStream(inst.db, 'ev', 'tw', 'somestreamer');
    reader = newReader();
  });
  afterAll(async () => {
    for (const w of sse) await w.reader?.cancel().catch(() => {});
    await other?.close();
    await inst?.close();
    await sim?.close();
  });

  it('refuses chat for a Twitch stream (400 chat_not_supported) and an unknown stream (404)', async () => {
    const res = await patch('tw', { chat: true });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'chat_not_supported' } });
    expect((await patch('nope', { chat: true })).status).toBe(404);
    expect((await patch('a', { chat: 'yes' })).status).toBe(400);
  });

  it('says honestly what reading each chat gives: ok, disabled, members only, not available; off when not enabled', async () => {
    for (const sid of ['a', 'b', 'd', 'm', 'n']) expect((await patch(sid, { chat: true })).status).toBe(200);
    const before = (await (
      await inst.app.request('/api/events/ev', { headers: await adminHeaders(inst.config) })
    ).json()) as EventInfo;
    expect(before.streams.find((s) => s.id === 'a')).toMatchObject({ chat: 'pending', chatReason: null });
    await watch(inst.url);
    if (other) await watch(other.url);
    await reader.round();
    await reader.round(); // four reads at once at most: the fifth chat is opened in the next round
    const event = (await (
      await inst.app.request('/api/events/ev', { headers: await adminHeaders(inst.config) })
    ).json()) as EventInfo;
    const chat = Object.fromEntries(event.streams.map((s) => [s.id, [s.chat, s.chatReason]]));
    expect(chat).toEqual({
      a: ['ok', null],
      b: ['ok', null],
      d: ['disabled', 'the chat is not available: Chat is disabled for this live stream.'],
      m: ['members_only', expect.stringMatching(/^YouTube will not show this video \(UNPLAYABLE\): Join this channel/)],
      n: ['unavailable', expect.stringMatching(/has no live chat/)],
      off: ['off', null],
      tw: ['off', null],
    });
  });

  it('stores each whole minute as the simulator posted it, and leaves the first partial minute out', async () => {
    await runTo('10:03:10', reader);
    // Reading began at 10:00:30: 10:00 is partial; 10:01 and 10:02 were read throughout. a posts 12 a minute, b 15.
    expect(await chatMinutesOf(inst.db, 'ev')).toEqual(['a 10:01 12', 'a 10:02 12', 'b 10:01 15', 'b 10:02 15']);
    expect(published).toEqual([
      { ts: iso('10:01:00'), total: 27, streams: { a: 12, b: 15 } },
      { ts: iso('10:02:00'), total: 27, streams: { a: 12, b: 15 } },
    ]);
  });

  it('leaves a gap, never a 0, for the minutes a read failed in (YouTube pushed back)', async () => {
    sim.innertube.block('429', 2);
    await runTo('10:06:10', reader);
    // The reads at 10:03:15 failed; all reads were held for 60 s, so reading began again at 10:04:15: 10:03 and
    // 10:04 were not read throughout and are not stored; 10:05 is.
    expect(await chatMinutesOf(inst.db, 'ev')).toEqual([
      'a 10:01 12',
      'a 10:02 12',
      'a 10:05 12',
      'b 10:01 15',
      'b 10:02 15',
      'b 10:05 15',
    ]);
    expect(published.map((p) => p.ts)).toEqual([iso('10:01:00'), iso('10:02:00'), iso('10:05:00')]);
  });

  it('counts no minute twice when a second reader reads the same chats (a restart, a failover’s overlap)', async () => {
    const second = newReader();
    await runTo('10:08:10', reader, second);
    // The second began at 10:06:10 (10:06 partial for it); both read 10:07 throughout and stored the same figure.
    const minutes = await chatMinutesOf(inst.db, 'ev');
    expect(minutes.filter((m) => m.startsWith('a '))).toEqual([
      'a 10:01 12',
      'a 10:02 12',
      'a 10:05 12',
      'a 10:06 12',
      'a 10:07 12',
    ]);
    expect(minutes.filter((m) => m.includes(' 10:07 '))).toEqual(['a 10:07 12', 'b 10:07 15']);
    // Sent once: the second writer of the same figure changed nothing, so it had nothing to send.
    expect(published.filter((p) => p.ts === iso('10:07:00'))).toEqual([
      { ts: iso('10:07:00'), total: 27, streams: { a: 12, b: 15 } },
    ]);
  });

  it('switches to the new video’s chat when the stream’s video changes (a followed channel restarting)', async () => {
    await setStreamVideo(inst.db, 'a', 'chatLive003');
    await runTo('10:10:10', reader);
    // The new chat was opened at 10:08:15: 10:08 is partial; 10:09 has the new video's 6 a minute.
    const a = (await chatMinutesOf(inst.db, 'ev')).filter((m) => m.startsWith('a '));
    expect(a.slice(-2)).toEqual(['a 10:07 12', 'a 10:09 6']);
    expect(sim.innertube.calls().some((c) => c.path === 'live_chat/get_live_chat' && c.videoId === 'chatLive003')).toBe(
      true,
    );
  });

  it('says a followed channel with nothing live has no chat to read, and reads its next video', async () => {
    await setStreamVideo(inst.db, 'a', null);
    clock += 5000;
    await reader.round();
    const get = async () =>
      (
        (await (
          await inst.app.request('/api/events/ev', { headers: await adminHeaders(inst.config) })
        ).json()) as EventInfo
      ).streams[0];
    expect(await get()).toMatchObject({ id: 'a', chat: 'unavailable', chatReason: 'the channel is not live now' });
    await setStreamVideo(inst.db, 'a', 'chatLive003');
    clock += 5000;
    await reader.round();
    expect(await get()).toMatchObject({ id: 'a', chat: 'ok', chatReason: null });
  });

  it('does nothing on an instance that is not the leader', async () => {
    const before = sim.innertube.calls().length;
    const standby = createChatReader({
      db: inst.db,
      client: createChatClient({ baseUrl: sim.origin }),
      isLeader: () => false,
      publish: () => expect.unreachable(),
      now: () => clock,
    });
    await standby.round();
    expect(standby.readings()).toEqual([]);
    expect(sim.innertube.calls().length).toBe(before);
  });

  it('carries the minutes in history JSON: per minute, and bucketed like viewers (the average of stored minutes)', async () => {
    const window = `from=${iso('10:00:00')}&to=${iso('10:11:00')}`;
    const raw = (await (await inst.app.request(`/api/events/ev/history?${window}`)).json()) as HistoryResponse;
    const pts = (list: { ts: string; messages: number }[] | undefined) =>
      list?.map((p) => `${p.ts.slice(11, 16)} ${p.messages}`);
    expect(pts(raw.chat?.streams.a)).toEqual(['10:01 12', '10:02 12', '10:05 12', '10:06 12', '10:07 12', '10:09 6']);
    // b went on reading while a switched chats: b has 10:08, a does not.
    const b = ['10:01 15', '10:02 15', '10:05 15', '10:06 15', '10:07 15', '10:08 15', '10:09 15'];
    expect(pts(raw.chat?.streams.b)).toEqual(b);
    // 10:08 has no total: a was read before and after it but not in it, so b alone would look like a drop.
    expect(pts(raw.chat?.total)).toEqual(['10:01 27', '10:02 27', '10:05 27', '10:06 27', '10:07 27', '10:09 21']);
    // maxPoints=2 over 11 minutes: 15-minute buckets; 10:00–10:15 holds all six stored minutes.
    const bucketed = (await (
      await inst.app.request(`/api/events/ev/history?${window}&maxPoints=2`)
    ).json()) as HistoryResponse;
    expect(bucketed.bucketSeconds).toBe(900);
    // a: (5 × 12 + 6) / 6 = 11; b: 15; total: (5 × 27 + 21) / 6 = 26 (its six minutes).
    expect(pts(bucketed.chat?.streams.a)).toEqual(['10:00 11']);
    expect(pts(bucketed.chat?.streams.b)).toEqual(['10:00 15']);
    expect(pts(bucketed.chat?.total)).toEqual(['10:00 26']);
  });

  it('serves chat.csv: a row per stream and minute and the minute’s total, times with milliseconds like history.csv, labels defused', async () => {
    const res = await inst.app.request(`/api/events/ev/chat.csv?from=${iso('10:00:00')}&to=${iso('10:03:00')}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(await res.text()).toBe(
      [
        'minute,stream_id,label,messages',
        '2026-12-07T10:01:00.000Z,a,Main,12',
        `2026-12-07T10:01:00.000Z,b,"'=HYPERLINK(""x"")",15`,
        '2026-12-07T10:01:00.000Z,total,"",27',
        '2026-12-07T10:02:00.000Z,a,Main,12',
        `2026-12-07T10:02:00.000Z,b,"'=HYPERLINK(""x"")",15`,
        '2026-12-07T10:02:00.000Z,total,"",27',
        '',
      ].join('\n'),
    );
    const semi = await inst.app.request(
      `/api/events/ev/chat.csv?from=${iso('10:01:00')}&to=${iso('10:02:00')}&delimiter=;`,
    );
    expect((await semi.text()).split('\n')[1]).toBe('2026-12-07T10:01:00.000Z;a;Main;12');
  });

  it('sent each closed minute once as `event: chat`, to this instance’s clients and (PostgreSQL) the other’s', async () => {
    const expected = published.map((p) => JSON.stringify(p));
    expect(expected.length).toBeGreaterThanOrEqual(5);
    await expect
      .poll(() => [...sse[0].text.matchAll(/event: chat\ndata: (.*)\n/g)].map((m) => m[1]), { timeout: 5000 })
      .toEqual(expected);
    // The history a client starts with carries the chat part (chat enabled, nothing stored yet when it connected).
    expect(sse[0].text).toMatch(/event: history\ndata: .*"chat":\{"total":\[\],"streams":\{\}\}/);
    // No id line: Last-Event-ID resume of samples is untouched.
    expect(sse[0].text).not.toMatch(/id: [^\n]*\nevent: chat/);
    if (other) {
      await expect
        .poll(() => [...sse[1].text.matchAll(/event: chat\ndata: (.*)\n/g)].map((m) => m[1]), { timeout: 5000 })
        .toEqual(expected);
    }
  });
});
