// Every route that takes text answers a NUL, an unpaired surrogate or bytes that are not UTF-8 with a
// 400 naming the field (before: 500 with a stack for NUL, and U+FFFD stored in silence for surrogates).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders } from './auth/testing/test-session.ts';
import { startSimulator, type Simulator } from './simulator/simulator.ts';
import { engines } from './testing/test-db.ts';
import { testInstance } from './testing/test-instance.ts';
import { adminTablesSnapshot, seedEvent } from './testing/queries.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
  sim.setVideo('dQw4w9WgXcQ', { state: 'live', title: 'Key\u0000note', channelTitle: 'Conf' });
  sim.setVideo('abcdefghijk', { state: 'live', title: 'Other', channelTitle: 'Conf' });
});
afterAll(() => sim.close());

const BAD = [
  ['NUL', 'a\u0000b'],
  ['NUL alone', '\u0000'],
  ['lone high surrogate', 'x\ud800'],
  ['lone low surrogate', '\udc00y'],
  ['reversed pair', '\udc00\ud800'],
] as const;

/** Each text field of each route: [method, path, body with the bad text in it, the field named]. */
const ROUTES: [string, string, (bad: string) => unknown, string][] = [
  ['POST', '/api/events', (s) => ({ name: s }), 'name'],
  ['PATCH', '/api/events/E1', (s) => ({ name: s }), 'name'],
  ['POST', '/api/events/E1/streams', (s) => ({ url: 'abcdefghijk', label: s }), 'label'],
  ['POST', '/api/events/E1/streams', (s) => ({ url: s }), 'url'],
  ['PATCH', '/api/events/E1/streams/S1', (s) => ({ label: s }), 'label'],
  ['POST', '/api/events/E1/export', (s) => ({ type: 'stream', sid: s }), 'sid'],
  ['POST', '/api/events/E1/export', (s) => ({ type: 'total', from: s }), 'from'],
  ['POST', '/api/events', (s) => ({ name: 'ok', [s]: 1 }), 'body'],
];

describe.each(engines)('text the database cannot store, on %s', (engine) => {
  let inst: Awaited<ReturnType<typeof testInstance>>;
  let admin: Record<string, string>;
  const call = (method: string, path: string, body: BodyInit) =>
    inst.app.request(`http://localhost${path}`, { method, headers: admin, body });
  const snapshot = () => adminTablesSnapshot(inst.db);

  beforeAll(async () => {
    inst = await testInstance(engine, { youtube: { baseUrl: sim.baseUrl, apiKey: 'test-key-for-the-simulator' } });
    admin = await adminHeaders(inst.config);
    await seedEvent(inst.db, 'E1', [{ id: 'S1', videoId: 'zzzzzzzzzzz', label: 'S1' }]);
  });
  afterAll(() => inst.close());

  for (const [method, path, body, field] of ROUTES) {
    it.each(BAD)(`${method} ${path} ${field}: %s → 400 naming the field, nothing stored`, async (_name, bad) => {
      const before = await snapshot();
      const res = await call(method, path, JSON.stringify(body(bad)));
      const json = await res.json();
      expect([res.status, json.error.code, json.error.field]).toEqual([400, 'validation_error', field]);
      expect(json.error.message).toContain('cannot be stored');
      expect(await snapshot()).toBe(before);
    });
  }

  it.each([
    ['a lone continuation byte', [0x80]],
    ['a truncated sequence', [0xe2, 0x82]],
    ['an overlong NUL', [0xc0, 0x80]],
    ['a UTF-8-encoded surrogate (CESU)', [0xed, 0xa0, 0x80]],
  ])('a body with %s (not UTF-8) is a 400 invalid_json', async (_name, bytes) => {
    const before = await snapshot();
    const body = Buffer.concat([Buffer.from('{"name":"a'), Buffer.from(bytes), Buffer.from('b"}')]);
    const res = await call('POST', '/api/events', body);
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('invalid_json');
    expect(await snapshot()).toBe(before);
  });

  it('still takes emoji and accents, and stores a YouTube title with a NUL cleaned', async () => {
    const created = await call('POST', '/api/events', JSON.stringify({ name: 'Scène 😀' }));
    expect(created.status).toBe(201);
    expect((await created.json()).name).toBe('Scène 😀');
    const added = await call('POST', '/api/events/E1/streams', JSON.stringify({ url: 'dQw4w9WgXcQ' }));
    expect(added.status).toBe(201);
    expect(await added.json()).toMatchObject({ label: 'Keynote', title: 'Keynote' });
  });
});
