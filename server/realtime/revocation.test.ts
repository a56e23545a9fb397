import { afterEach, describe, expect, it } from 'vitest';
import { adminHeaders, TEST_AUTH_SECRET } from '../auth/testing/test-session.ts';
import { signToken, tokenKey } from '../auth/tokens.ts';
import { insertEvent, updateEvent } from '../events/queries.ts';
import { engines } from '../testing/test-db.ts';
import { testInstance } from '../testing/test-instance.ts';

type Instance = Awaited<ReturnType<typeof testInstance>>;

/** A raw SSE reader on loopback: all text received, and when (if) the server ended the response. */
function openStream(url: string, headers: Record<string, string> = {}) {
  const s = { text: '', endedAt: 0, status: 0, ready: null as unknown as Promise<void> };
  const controller = new AbortController();
  s.ready = (async () => {
    const res = await fetch(url, { headers, signal: controller.signal });
    s.status = res.status;
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          s.text += decoder.decode(value, { stream: true });
        }
        s.endedAt = Date.now();
      } catch {
        // aborted by the test
      }
    })();
    // Connected once the first status frame (the end of the catch-up) is in.
    await waitUntil(() => s.text.includes('event: status') || s.endedAt > 0, 5000, `first status from ${url}`);
  })();
  return { s, close: () => controller.abort() };
}

async function waitUntil(pred: () => boolean, ms: number, what: string) {
  const until = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The frames after the catch-up's first status: what the access change produced. */
const lastFrame = (text: string) => text.trimEnd().split('\n\n').at(-1)!;

describe.each(engines)('access changes end open streams on %s', (engine) => {
  let inst: Instance;
  let other: Instance | null = null;
  const streams: { close(): void }[] = [];
  const open = (url: string, headers?: Record<string, string>) => {
    const o = openStream(url, headers);
    streams.push(o);
    return o.s;
  };
  const admin = async (method: string, path: string, body?: unknown, on = inst) =>
    fetch(`${on.url}${path}`, {
      method,
      headers: await adminHeaders(on.config, on.url),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const addEvent = (id: string, isPublic: boolean, on = inst) =>
    insertEvent(on.db, { id, name: id, public: isPublic, startsAt: null, endsAt: null, embedKey: `key-${id}` });
  const embedToken = async (eventId: string, ttlSeconds = 3600, embedKey = `key-${eventId}`) =>
    (await signToken(tokenKey(TEST_AUTH_SECRET, 'embed', embedKey), 'embed', { subject: eventId, ttlSeconds })).token;
  const sample = (on: Instance, eventId: string, total: number) =>
    on.hub.publishSample(eventId, Date.now() + total, { ts: new Date().toISOString(), total, streams: {} });

  afterEach(async () => {
    streams.splice(0).forEach((s) => s.close());
    await other?.close();
    other = null;
    await inst?.close();
  });

  it('making an event private ends its anonymous streams within 1 s with a final denied frame; the admin and other events keep streaming', async () => {
    inst = await testInstance(engine, { listen: true });
    await addEvent('E1', true);
    await addEvent('E2', true);
    const anon = open(`${inst.url}/api/events/E1/stream`);
    const anon2 = open(`${inst.url}/api/events/E1/stream?minutes=5`);
    const adminStream = open(`${inst.url}/api/events/E1/stream`, { cookie: (await adminHeaders(inst.config)).cookie });
    const otherEvent = open(`${inst.url}/api/events/E2/stream`);
    const withToken = open(`${inst.url}/api/events/E1/stream?token=${await embedToken('E1')}`);
    await Promise.all([anon, anon2, adminStream, otherEvent, withToken].map((s) => s.ready));
    expect(inst.hub.size).toBe(5);

    const changedAt = Date.now();
    expect((await admin('PATCH', '/api/events/E1', { public: false })).status).toBe(200);
    await waitUntil(() => anon.endedAt > 0 && anon2.endedAt > 0, 3000, 'the anonymous streams to end');
    expect(anon.endedAt - changedAt).toBeLessThan(1000);
    for (const s of [anon, anon2]) {
      expect(lastFrame(s.text)).toBe(
        'event: status\ndata: {"state":"denied","reason":"private","intervalSeconds":0,"streams":[]}',
      );
      expect(s.text.match(/retry:/g)).toHaveLength(1); // only the opening one: nothing invites a reconnect
    }
    // The admin's own dashboard, a token holder and a public event's client are untouched.
    sample(inst, 'E1', 11);
    sample(inst, 'E2', 22);
    await waitUntil(
      () =>
        adminStream.text.includes('"total":11') &&
        withToken.text.includes('"total":11') &&
        otherEvent.text.includes('"total":22'),
      3000,
      'samples after the change',
    );
    expect([adminStream.endedAt, withToken.endedAt, otherEvent.endedAt]).toEqual([0, 0, 0]);
    expect(inst.hub.size).toBe(3);
    // And a new anonymous request is refused as before.
    expect((await fetch(`${inst.url}/api/events/E1/stream`)).status).toBe(401);
  });

  it('regenerating the embed key ends the streams of tokens signed with the old key (denied); a new token streams', async () => {
    inst = await testInstance(engine, { listen: true });
    await addEvent('P', false);
    const old = open(`${inst.url}/api/events/P/stream?token=${await embedToken('P')}`);
    await old.ready;
    expect(old.status).toBe(200);
    const changedAt = Date.now();
    expect((await admin('POST', '/api/events/P/embed-key/rotate')).status).toBe(204);
    await waitUntil(() => old.endedAt > 0, 3000, 'the old token stream to end');
    expect(old.endedAt - changedAt).toBeLessThan(1000);
    expect(lastFrame(old.text)).toContain('"state":"denied","reason":"key_rotated"');

    const minted = await admin('POST', '/api/events/P/embed-tokens', {});
    const fresh = open(`${inst.url}/api/events/P/stream?token=${(await minted.json()).token}`);
    await fresh.ready;
    sample(inst, 'P', 7);
    await waitUntil(() => fresh.text.includes('"total":7'), 3000, 'a sample on the new token');
    expect(fresh.endedAt).toBe(0);
  });

  it('deleting an event ends every stream of it with not_found, the admin one too', async () => {
    inst = await testInstance(engine, { listen: true });
    await addEvent('D', true);
    await addEvent('K', true);
    const anon = open(`${inst.url}/api/events/D/stream`);
    const adminStream = open(`${inst.url}/api/events/D/stream`, { cookie: (await adminHeaders(inst.config)).cookie });
    const kept = open(`${inst.url}/api/events/K/stream`);
    await Promise.all([anon.ready, adminStream.ready, kept.ready]);
    const changedAt = Date.now();
    expect((await admin('DELETE', '/api/events/D')).status).toBe(204);
    await waitUntil(() => anon.endedAt > 0 && adminStream.endedAt > 0, 3000, 'the streams of the deleted event to end');
    expect(Math.max(anon.endedAt, adminStream.endedAt) - changedAt).toBeLessThan(1000);
    for (const s of [anon, adminStream]) expect(lastFrame(s.text)).toContain('"state":"not_found","reason":"deleted"');
    sample(inst, 'K', 3);
    await waitUntil(() => kept.text.includes('"total":3'), 3000, 'the other event to keep streaming');
  });

  it('logging out ends the streams only that session admitted (session_ended); its stream of a public event stays', async () => {
    inst = await testInstance(engine, { listen: true });
    await addEvent('PRIV', false);
    await addEvent('PUB', true);
    const headers = await adminHeaders(inst.config, inst.url);
    const cookie = { cookie: headers.cookie };
    const elsewhere = { cookie: (await adminHeaders(inst.config)).cookie }; // another login of the admin
    const priv = open(`${inst.url}/api/events/PRIV/stream`, cookie);
    const pub = open(`${inst.url}/api/events/PUB/stream`, cookie);
    const otherSession = open(`${inst.url}/api/events/PRIV/stream`, elsewhere);
    await Promise.all([priv.ready, pub.ready, otherSession.ready]);
    const changedAt = Date.now();
    expect((await fetch(`${inst.url}/api/auth/logout`, { method: 'POST', headers })).status).toBe(204);
    await waitUntil(() => priv.endedAt > 0, 3000, 'the private stream of the logged-out session to end');
    expect(priv.endedAt - changedAt).toBeLessThan(1000);
    expect(lastFrame(priv.text)).toContain('"state":"denied","reason":"session_ended"');
    sample(inst, 'PUB', 5);
    sample(inst, 'PRIV', 6);
    await waitUntil(
      () => pub.text.includes('"total":5') && otherSession.text.includes('"total":6'),
      3000,
      'the unaffected streams',
    );
    expect([pub.endedAt, otherSession.endedAt]).toEqual([0, 0]);
  });

  it('ends a token stream when the token expires, with denied', async () => {
    inst = await testInstance(engine, { listen: true });
    await addEvent('T', false);
    const token = await embedToken('T', 2);
    const exp = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).exp * 1000;
    const s = open(`${inst.url}/api/events/T/stream?token=${token}`);
    await s.ready;
    expect(s.endedAt).toBe(0);
    await waitUntil(() => s.endedAt > 0, 5000, 'the expired token stream to end');
    expect(s.endedAt).toBeGreaterThanOrEqual(exp);
    expect(s.endedAt - exp).toBeLessThan(1000);
    expect(lastFrame(s.text)).toContain('"state":"denied","reason":"token_expired"');
  });

  it('the final frame is sent even when the change lands while the stream is still catching up', async () => {
    inst = await testInstance(engine, { listen: true });
    await addEvent('R', true);
    // The request passes the access check, then the event goes private before the hub knows the client:
    // the check the SSE route makes once the client is registered catches it.
    const original = inst.bus.admitted;
    inst.bus.admitted = async (client) => {
      await updateEvent(inst.db, 'R', { public: false });
      return original(client);
    };
    const s = open(`${inst.url}/api/events/R/stream`);
    await s.ready;
    await waitUntil(() => s.endedAt > 0, 3000, 'the stream to end');
    expect(lastFrame(s.text)).toContain('"state":"denied","reason":"private"');
    expect(s.text).not.toContain('event: history');
  });

  it.runIf(engine === 'postgres')(
    'a change made on one instance ends the streams another instance holds (NOTIFY)',
    async () => {
      inst = await testInstance(engine, { listen: true });
      other = await testInstance(engine, { listen: true, sharedDbUrl: inst.dbUrl });
      await addEvent('X', true);
      await addEvent('Y', false);
      await addEvent('Z', true);
      const onB = open(`${other.url}/api/events/X/stream`);
      const tokenOnB = open(`${other.url}/api/events/Y/stream?token=${await embedToken('Y')}`);
      const deletedOnB = open(`${other.url}/api/events/Z/stream`);
      const keptOnB = open(`${other.url}/api/events/Z/stream?minutes=5`);
      await Promise.all([onB.ready, tokenOnB.ready, deletedOnB.ready, keptOnB.ready]);

      let changedAt = Date.now();
      expect((await admin('PATCH', '/api/events/X', { public: false }, inst)).status).toBe(200);
      await waitUntil(() => onB.endedAt > 0, 3000, 'instance B to end its stream');
      expect(onB.endedAt - changedAt).toBeLessThan(1000);
      expect(lastFrame(onB.text)).toContain('"state":"denied","reason":"private"');

      changedAt = Date.now();
      expect((await admin('POST', '/api/events/Y/embed-key/rotate', undefined, inst)).status).toBe(204);
      await waitUntil(() => tokenOnB.endedAt > 0, 3000, 'instance B to end the token stream');
      expect(tokenOnB.endedAt - changedAt).toBeLessThan(1000);
      expect(lastFrame(tokenOnB.text)).toContain('"reason":"key_rotated"');

      expect(keptOnB.endedAt).toBe(0);
      changedAt = Date.now();
      expect((await admin('DELETE', '/api/events/Z', undefined, inst)).status).toBe(204);
      await waitUntil(
        () => deletedOnB.endedAt > 0 && keptOnB.endedAt > 0,
        3000,
        'instance B to end the deleted event streams',
      );
      expect(deletedOnB.endedAt - changedAt).toBeLessThan(1000);
      expect(lastFrame(deletedOnB.text)).toContain('"state":"not_found"');
    },
  );

  it.runIf(engine === 'postgres')("a logout on one instance ends that session's streams on another", async () => {
    inst = await testInstance(engine, { listen: true });
    other = await testInstance(engine, { listen: true, sharedDbUrl: inst.dbUrl });
    await addEvent('S', false);
    const headers = await adminHeaders(inst.config, inst.url);
    const onB = open(`${other.url}/api/events/S/stream`, { cookie: headers.cookie });
    await onB.ready;
    const changedAt = Date.now();
    expect((await fetch(`${inst.url}/api/auth/logout`, { method: 'POST', headers })).status).toBe(204);
    await waitUntil(() => onB.endedAt > 0, 3000, 'instance B to end the session stream');
    expect(onB.endedAt - changedAt).toBeLessThan(1000);
    expect(lastFrame(onB.text)).toContain('"reason":"session_ended"');
  });
});
