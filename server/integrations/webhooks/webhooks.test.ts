import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminHeaders } from '../../auth/testing/test-session.ts';
import { seedEvent } from '../../testing/queries.ts';
import { engines } from '../../testing/test-db.ts';
import { testInstance } from '../../testing/test-instance.ts';
import { recordMilestones } from '../../milestones/queries.ts';
import { seedPolled } from '../../stats/testing/queries.ts';
import { setStreamStatus } from '../testing/queries.ts';
import { createWebhookRunner } from './runner.ts';
import { addressPolicy } from './ssrf.ts';
import { startReceiver } from './testing/receiver.ts';

type Instance = Awaited<ReturnType<typeof testInstance>>;
/** The fields of the API's answers these tests read. */
interface Answer {
  id?: string;
  secret?: string;
  deliveryId?: string;
  webhooks?: { deliveries: unknown[] }[];
}

/** What a receiver does with Node's crypto: recompute the signature over "<timestamp>.<body>" and compare. */
function verify(secret: string, headers: Record<string, unknown>, body: string): boolean {
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', secret)
      .update(`${String(headers['x-livepulse-timestamp'])}.${body}`)
      .digest('hex')}`,
  );
  const given = Buffer.from(String(headers['x-livepulse-signature']));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe.each(engines)('webhooks on %s', (engine) => {
  let inst: Instance;
  let admin: Record<string, string>;
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await inst.app.request(`http://localhost${path}`, {
      method,
      headers: admin,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: res.status === 204 ? null : ((await res.json()) as Answer) };
  };
  const runner = () => createWebhookRunner({ db: inst.db, policy: addressPolicy(true), backoffSeconds: () => 0 });

  beforeAll(async () => {
    inst = await testInstance(engine, { env: { WEBHOOK_ALLOW_PRIVATE: '1' } });
    admin = await adminHeaders(inst.config);
  });
  afterAll(() => inst?.close());
  let n = 0;
  let eventId = '';
  beforeEach(async () => {
    eventId = `wh${++n}`;
    await seedEvent(inst.db, eventId, [
      { id: `${eventId}a`, label: 'Main hall' },
      { id: `${eventId}b`, label: '@everyone side' },
    ]);
  });

  it('delivers a signed POST a receiver verifies with Node’s crypto, once per occurrence', async () => {
    const receiver = await startReceiver();
    try {
      const made = await api('POST', `/api/events/${eventId}/webhooks`, {
        url: receiver.url,
        kind: 'json',
        on: ['stream.live', 'stream.ended'],
      });
      expect(made.status).toBe(201);
      expect(made.body).toMatchObject({
        id: expect.any(String),
        secret: expect.stringMatching(/^[0-9a-f]{64}$/),
        kind: 'json',
        on: ['stream.live', 'stream.ended'],
      });
      await setStreamStatus(inst.db, [`${eventId}a`], 'live');
      await setStreamStatus(inst.db, [`${eventId}a`], 'live'); // no change: no new occurrence
      await setStreamStatus(inst.db, [`${eventId}b`], 'unavailable'); // not asked for
      expect(await runner().runOnce()).toBe(1);
      expect(await runner().runOnce()).toBe(0);
      expect(receiver.received).toHaveLength(1);
      const [got] = receiver.received;
      expect(verify(made.body!.secret!, got.headers, got.body)).toBe(true);
      expect(verify('another-secret', got.headers, got.body)).toBe(false);
      expect(Math.abs(Number(got.headers['x-livepulse-timestamp']) - Date.now() / 1000)).toBeLessThan(30);
      expect(got.headers['content-type']).toBe('application/json');
      expect(JSON.parse(got.body)).toMatchObject({
        type: 'stream.live',
        event: { id: eventId, name: `Event ${eventId}` },
        stream: { id: `${eventId}a`, label: 'Main hall', status: 'live' },
      });
      const list = await api('GET', `/api/events/${eventId}/webhooks`);
      expect(list.body!.webhooks![0]).not.toHaveProperty('secret');
      expect(list.body!.webhooks![0].deliveries).toMatchObject([
        { type: 'stream.live', state: 'done', attempts: 1, lastStatus: 204 },
      ]);
    } finally {
      await receiver.close();
    }
  });

  it('retries after a 500 with the same body, and records each attempt', async () => {
    const receiver = await startReceiver('127.0.0.1', (i) => ({ status: i === 1 ? 500 : 200 }));
    try {
      const made = await api('POST', `/api/events/${eventId}/webhooks`, {
        url: receiver.url,
        kind: 'discord',
        on: ['stream.ended'],
      });
      await setStreamStatus(inst.db, [`${eventId}b`], 'ended');
      const r = runner();
      await r.runOnce();
      let list = await api('GET', `/api/events/${eventId}/webhooks`);
      expect(list.body!.webhooks![0].deliveries).toMatchObject([
        { state: 'pending', attempts: 1, lastStatus: 500, lastError: 'HTTP 500' },
      ]);
      await r.runOnce();
      list = await api('GET', `/api/events/${eventId}/webhooks`);
      expect(list.body!.webhooks![0].deliveries).toMatchObject([
        { state: 'done', attempts: 2, lastStatus: 200, lastError: null },
      ]);
      expect(receiver.received).toHaveLength(2);
      expect(receiver.received[0].body).toBe(receiver.received[1].body);
      for (const got of receiver.received) expect(verify(made.body!.secret!, got.headers, got.body)).toBe(true);
      // Discord: a message, and a label's @everyone never pings the channel.
      const message = JSON.parse(receiver.received[0].body) as { content: string; allowed_mentions: unknown };
      expect(message.content).toMatch(/side has ended/);
      expect(message.content).not.toContain('@everyone');
      expect(message.allowed_mentions).toEqual({ parse: [] });
    } finally {
      await receiver.close();
    }
  });

  it('tells of each milestone once, however many instances try to record it (sql/011)', async () => {
    const receiver = await startReceiver();
    try {
      await api('POST', `/api/events/${eventId}/webhooks`, { url: receiver.url, kind: 'discord', on: ['milestone'] });
      const json = await api('POST', `/api/events/${eventId}/webhooks`, {
        url: receiver.url,
        kind: 'json',
        on: ['milestone'],
      });
      const ts = new Date('2030-05-01T20:00:00Z');
      // Two instances weigh the same tick: the milestone's primary key lets one insert through.
      const [a, b] = await Promise.all([
        recordMilestones(inst.db, ts, [{ eventId, total: 1500 }]),
        recordMilestones(inst.db, ts, [{ eventId, total: 1500 }]),
      ]);
      expect([...a, ...b].map((m) => m.value)).toEqual([1000]);
      expect(await runner().runOnce()).toBe(2);
      expect(await runner().runOnce()).toBe(0);
      const bodies = receiver.received.map((r) => JSON.parse(r.body) as Record<string, unknown>);
      expect(bodies).toContainEqual({
        content: `🎉 1,000 viewers reached (Event ${eventId})`,
        allowed_mentions: { parse: [] },
      });
      expect(bodies).toContainEqual(
        expect.objectContaining({
          type: 'milestone',
          event: { id: eventId, name: `Event ${eventId}` },
          milestone: { kind: 'threshold', value: 1000, ts: ts.toISOString().replace('.000Z', '+00:00') },
        }),
      );
      expect(json.status).toBe(201);
    } finally {
      await receiver.close();
    }
  });

  it('tells of a minute’s new peak once, even when a higher total later in that minute raises it', async () => {
    const receiver = await startReceiver();
    try {
      await api('POST', `/api/events/${eventId}/webhooks`, { url: receiver.url, kind: 'json', on: ['milestone'] });
      const earlier = '2030-05-01T20:59:00Z';
      await seedPolled(inst.db, eventId, [{ streamId: `${eventId}a`, ts: earlier, viewers: 300 }]);
      const first = new Date('2030-05-01T21:00:10Z');
      const later = new Date('2030-05-01T21:00:40Z');
      expect((await recordMilestones(inst.db, first, [{ eventId, total: 400 }])).map((m) => m.value)).toEqual([400]);
      await seedPolled(inst.db, eventId, [{ streamId: `${eventId}a`, ts: first.toISOString(), viewers: 400 }]);
      // The minute's peak is raised to 450, but it was told already: no second delivery.
      expect(await recordMilestones(inst.db, later, [{ eventId, total: 450 }])).toEqual([]);
      expect(await runner().runOnce()).toBe(1);
      expect(await runner().runOnce()).toBe(0);
      const [body] = receiver.received.map((r) => JSON.parse(r.body) as { milestone: unknown });
      expect(body.milestone).toMatchObject({ kind: 'peak', value: 400 });
    } finally {
      await receiver.close();
    }
  });

  it('gives up after the last attempt, one quota occurrence per event and day', async () => {
    const receiver = await startReceiver('127.0.0.1', () => ({ status: 503 }));
    try {
      await api('POST', `/api/events/${eventId}/webhooks`, {
        url: receiver.url,
        kind: 'slack',
        on: ['quota.exhausted'],
      });
      await setStreamStatus(inst.db, [`${eventId}a`, `${eventId}b`], 'quota_exceeded');
      const r = runner();
      for (let i = 0; i < 10; i++) await r.runOnce();
      const list = await api('GET', `/api/events/${eventId}/webhooks`);
      // Two streams hit the quota in one statement: one occurrence for the event and day.
      expect(list.body!.webhooks![0].deliveries).toMatchObject([
        { type: 'quota.exhausted', state: 'failed', attempts: 8, lastStatus: 503 },
      ]);
      expect(receiver.received).toHaveLength(8);
      expect(JSON.parse(receiver.received[0].body)).toEqual({ text: expect.stringMatching(/quota is spent/) });
    } finally {
      await receiver.close();
    }
  });

  it('sends a test delivery now, deletes a webhook, and refuses bad input and strangers', async () => {
    const receiver = await startReceiver();
    try {
      const made = await api('POST', `/api/events/${eventId}/webhooks`, {
        url: receiver.url,
        kind: 'json',
        on: ['milestone'],
      });
      const test = await api('POST', `/api/webhooks/${made.body!.id!}/test`);
      expect(test).toMatchObject({ status: 202, body: { deliveryId: expect.any(String) } });
      await runner().runOnce();
      expect(JSON.parse(receiver.received[0].body)).toMatchObject({ type: 'test', id: test.body!.deliveryId! });
      for (const [body, field] of [
        [{ url: 'ftp://example.org/x', kind: 'json', on: ['stream.live'] }, 'url'],
        // No URL at all: once a 500, the next check parsing it anyway (stranger).
        [{ url: 'not a url', kind: 'json', on: ['stream.live'] }, 'url'],
        [{ url: '', kind: 'json', on: ['stream.live'] }, 'url'],
        [{ url: 'https://user:pw@example.org/x', kind: 'json', on: ['stream.live'] }, 'url'],
        [{ url: 'https://example.org/x', kind: 'teams', on: ['stream.live'] }, 'kind'],
        [{ url: 'https://example.org/x', kind: 'json', on: [] }, 'on'],
        [{ url: 'https://example.org/x', kind: 'json', on: ['stream.exploded'] }, 'on.0'],
      ] as const) {
        const res = await api('POST', `/api/events/${eventId}/webhooks`, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body).toMatchObject({ error: { field } });
      }
      expect(
        (await api('POST', '/api/events/nope/webhooks', { url: receiver.url, kind: 'json', on: ['stream.live'] }))
          .status,
      ).toBe(404);
      const stranger = await inst.app.request(`http://localhost/api/events/${eventId}/webhooks`);
      expect(stranger.status).toBe(401);
      expect((await api('DELETE', `/api/webhooks/${made.body!.id!}`)).status).toBe(204);
      expect((await api('DELETE', `/api/webhooks/${made.body!.id!}`)).status).toBe(404);
      expect((await api('POST', `/api/webhooks/${made.body!.id!}/test`)).status).toBe(404);
      expect((await api('GET', `/api/events/${eventId}/webhooks`)).body).toEqual({ webhooks: [] });
    } finally {
      await receiver.close();
    }
  });

  it('refuses loopback, private and link-local addresses without WEBHOOK_ALLOW_PRIVATE', async () => {
    const strict = await testInstance(engine);
    try {
      const headers = await adminHeaders(strict.config);
      for (const url of [
        'http://127.0.0.1:9/x',
        'http://localhost/x',
        'http://[::1]/x',
        'http://169.254.169.254/latest/meta-data',
        'http://10.0.0.5/x',
        'http://0.0.0.0/x',
      ]) {
        const res = await strict.app.request(`http://localhost/api/events/${eventId}/webhooks`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ url, kind: 'json', on: ['stream.live'] }),
        });
        expect(res.status, url).toBe(400);
        expect(await res.json()).toMatchObject({ error: { code: 'webhook_address_refused', field: 'url' } });
      }
    } finally {
      await strict.close();
    }
    // The flag allows it (this suite's instance runs with it).
    expect(
      (
        await api('POST', `/api/events/${eventId}/webhooks`, {
          url: 'http://127.0.0.1:9/x',
          kind: 'json',
          on: ['stream.live'],
        })
      ).status,
    ).toBe(201);
  });

  it('sends each occurrence once when two senders claim at the same time', async () => {
    const receiver = await startReceiver('127.0.0.1', () => ({ status: 200, delayMs: 150 }));
    const other =
      engine === 'postgres'
        ? await testInstance(engine, { sharedDbUrl: inst.dbUrl, env: { WEBHOOK_ALLOW_PRIVATE: '1' } })
        : null;
    try {
      await api('POST', `/api/events/${eventId}/webhooks`, {
        url: receiver.url,
        kind: 'json',
        on: ['stream.live', 'stream.ended', 'stream.unavailable'],
      });
      const streams = [`${eventId}a`, `${eventId}b`];
      await setStreamStatus(inst.db, streams, 'live');
      await setStreamStatus(inst.db, streams, 'ended');
      await setStreamStatus(inst.db, streams, 'unavailable');
      // Two instances (PostgreSQL: a second instance with its own pool on the same database; embedded: a
      // second sender on the one database), each claiming as fast as it can.
      const senders = [
        runner(),
        createWebhookRunner({ db: (other ?? inst).db, policy: addressPolicy(true), backoffSeconds: () => 0 }),
      ];
      for (let round = 0; round < 4; round++) await Promise.all(senders.flatMap((s) => [s.runOnce(), s.runOnce()]));
      const ids = receiver.received.map((r) => String(r.headers['x-livepulse-delivery']));
      expect(ids).toHaveLength(6);
      expect(new Set(ids).size).toBe(6);
    } finally {
      await other?.close();
      await receiver.close();
    }
  });
});
