import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminHeaders } from '../auth/testing/test-session.ts';
import { startSimulator, type Simulator } from '../simulator/simulator.ts';
import { engines } from '../testing/test-db.ts';
import { testInstance } from '../testing/test-instance.ts';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

describe.each(engines)('events API on %s', (engine) => {
  let inst: Awaited<ReturnType<typeof testInstance>>;
  let admin: Record<string, string>;
  const call = (method: string, path: string, body?: unknown, headers = admin) =>
    inst.app.request(`http://localhost${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  const create = async (body: unknown = { name: 'Launch day' }) => (await call('POST', '/api/events', body)).json();

  beforeEach(async () => {
    sim.reset();
    sim.setVideo('dQw4w9WgXcQ', { state: 'live', title: 'Keynote', channelTitle: 'Conf' });
    sim.setVideo('abcdefghijk', {
      state: 'upcoming',
      title: 'Later',
      channelTitle: 'Conf',
      scheduledStart: '2030-01-01T10:00:00Z',
    });
    inst = await testInstance(engine, { youtube: { baseUrl: sim.baseUrl, apiKey: 'test-key-for-the-simulator' } });
    admin = await adminHeaders(inst.config);
  });
  afterEach(() => inst.close());

  it('creates, lists, renames, makes public, pauses and deletes an event', async () => {
    const created = await call('POST', '/api/events', { name: '  Launch day ' });
    expect(created.status).toBe(201);
    const event = await created.json();
    expect(event).toMatchObject({ name: 'Launch day', public: false, paused: false, streams: [], startsAt: null });
    expect(event.id).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect((await (await call('GET', '/api/events')).json()).map((e: { id: string }) => e.id)).toEqual([event.id]);
    const patched = await (
      await call('PATCH', `/api/events/${event.id}`, { name: 'Renamed', public: true, paused: true })
    ).json();
    expect(patched).toMatchObject({ name: 'Renamed', public: true, paused: true });
    expect((await call('DELETE', `/api/events/${event.id}`)).status).toBe(204);
    expect((await call('GET', `/api/events/${event.id}`)).status).toBe(404);
    expect((await call('DELETE', `/api/events/${event.id}`)).status).toBe(404);
  });

  it('adds streams from any pasted link, with title and channel read from YouTube (one quota unit each)', async () => {
    const { id } = await create();
    const res = await call('POST', `/api/events/${id}/streams`, { url: '  https://youtu.be/dQw4w9WgXcQ?si=abc&t=42 ' });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      videoId: 'dQw4w9WgXcQ',
      label: 'Keynote',
      title: 'Keynote',
      channelTitle: 'Conf',
      status: 'pending',
    });
    const second = await (
      await call('POST', `/api/events/${id}/streams`, {
        url: 'https://www.youtube.com/live/abcdefghijk?feature=share',
        label: 'Room B',
      })
    ).json();
    expect(second).toMatchObject({ label: 'Room B', scheduledStart: '2030-01-01T10:00:00.000Z' });
    const event = await (await call('GET', `/api/events/${id}`)).json();
    expect(event.streams.map((s: { videoId: string }) => s.videoId)).toEqual(['dQw4w9WgXcQ', 'abcdefghijk']);
    expect((await inst.poller.quota()).used).toBe(2);
  });

  it('refuses a link that is not a video with a message quoting it, without asking YouTube', async () => {
    const { id } = await create();
    for (const [url, pattern, code] of [
      ['https://evil.com/watch?v=dQw4w9WgXcQ', /evil\.com/, 'invalid_link'],
      ['https://www.youtube.com/@x/live', /channel/i, 'invalid_youtube_url'],
      ['https://www.youtube.com/playlist?list=PL123', /playlist/i, 'invalid_youtube_url'],
      ["dQw4w9WgXcQ' OR '1'='1", /OR/, 'invalid_link'],
      ['https://twitch.tv/videos/123', /Twitch page/, 'invalid_link'],
    ] as const) {
      const res = await call('POST', `/api/events/${id}/streams`, { url });
      expect(res.status).toBe(400);
      const body = await res.json();
      expect(body.error).toMatchObject({ code, field: 'url' });
      expect(body.error.message).toMatch(pattern);
    }
    expect(sim.calls()).toHaveLength(0);
  });

  it('adds a channel link as a followed stream and a Twitch channel, without asking YouTube', async () => {
    const { id } = await create();
    const channel = await call('POST', `/api/events/${id}/streams`, { url: 'https://www.youtube.com/@LofiGirl/live' });
    expect(channel.status).toBe(201);
    expect(await channel.json()).toMatchObject({
      platform: 'youtube',
      follows: true,
      target: 'youtube.com/@LofiGirl',
      videoId: null,
      login: null,
      source: null,
      // Named by its handle, not its URL: "youtube.com/cha…" rows look all alike once truncated.
      label: '@LofiGirl',
      status: 'pending',
    });
    // Without a Twitch app, a Twitch link says what to configure.
    const refused = await call('POST', `/api/events/${id}/streams`, { url: 'twitch.tv/shroud' });
    expect(refused.status).toBe(400);
    const body = await refused.json();
    expect(body.error).toMatchObject({ code: 'twitch_not_configured', field: 'url' });
    expect(body.error.message).toMatch(/TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET/);
    expect(sim.calls()).toHaveLength(0);
    const dup = await call('POST', `/api/events/${id}/streams`, { url: 'youtube.com/@LofiGirl' });
    expect(dup.status).toBe(409);
    const byId = await call('POST', `/api/events/${id}/streams`, {
      url: 'https://www.youtube.com/channel/UCSJ4gkVC6NrvII8umztf0Ow',
    });
    expect(await byId.json()).toMatchObject({ label: 'UCSJ4gkVC6NrvII8umztf0Ow' });
    const named = await call('POST', `/api/events/${id}/streams`, { url: 'youtube.com/@LofiGirl', label: 'Lofi' });
    expect(named.status).toBe(409);
    const labelled = await call('POST', `/api/events/${id}/streams`, { url: 'youtube.com/c/Lofi', label: 'Beats' });
    expect(await labelled.json()).toMatchObject({ label: 'Beats' });
  });

  it('with a Twitch app configured, adds a Twitch channel by its login, once per event', async () => {
    await inst.close();
    inst = await testInstance(engine, {
      youtube: { baseUrl: sim.baseUrl, apiKey: 'test-key-for-the-simulator' },
      env: {
        TWITCH_CLIENT_ID: 'simclientid0000000000000000000',
        TWITCH_CLIENT_SECRET: 'simclientsecret00000000000000',
      },
    });
    admin = await adminHeaders(inst.config);
    const { id } = await create();
    const res = await call('POST', `/api/events/${id}/streams`, { url: 'https://www.twitch.tv/Shroud' });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      platform: 'twitch',
      login: 'shroud',
      videoId: null,
      follows: false,
      label: 'shroud',
    });
    expect((await call('POST', `/api/events/${id}/streams`, { url: 'm.twitch.tv/shroud' })).status).toBe(409);
    const event = await (await call('GET', `/api/events/${id}`)).json();
    expect(event.streams[0]).toMatchObject({ platform: 'twitch', source: null, follows: false });
  });

  it('answers 409 for the same video twice in one event, but allows it in another event', async () => {
    const a = await create();
    const b = await create({ name: 'Other' });
    expect((await call('POST', `/api/events/${a.id}/streams`, { url: 'dQw4w9WgXcQ' })).status).toBe(201);
    const dup = await call('POST', `/api/events/${a.id}/streams`, {
      url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ',
    });
    expect(dup.status).toBe(409);
    expect((await dup.json()).error.code).toBe('duplicate_stream');
    expect((await call('POST', `/api/events/${b.id}/streams`, { url: 'dQw4w9WgXcQ' })).status).toBe(201);
  });

  it('answers 422 for a video YouTube does not know', async () => {
    const { id } = await create();
    const res = await call('POST', `/api/events/${id}/streams`, { url: 'zzzzzzzzzzz' });
    expect(res.status).toBe(422);
    expect((await res.json()).error.code).toBe('video_not_found');
  });

  it('keeps a stream added while YouTube is failing, with the reason', async () => {
    const { id } = await create();
    sim.injectFault('backend_error_503');
    const res = await call('POST', `/api/events/${id}/streams`, { url: 'dQw4w9WgXcQ' });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ status: 'error', title: null });
  });

  it('relabels, reorders and removes streams', async () => {
    const { id } = await create();
    const s = await (await call('POST', `/api/events/${id}/streams`, { url: 'dQw4w9WgXcQ' })).json();
    expect(
      await (await call('PATCH', `/api/events/${id}/streams/${s.id}`, { label: 'Main', position: 3 })).json(),
    ).toMatchObject({ label: 'Main' });
    expect((await call('PATCH', `/api/events/${id}/streams/nope`, { label: 'x' })).status).toBe(404);
    // A cleared or blank label is refused, naming the field; the stream keeps its name.
    for (const label of ['', '   \t']) {
      const refused = await call('PATCH', `/api/events/${id}/streams/${s.id}`, { label });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toEqual({
        error: { code: 'validation_error', message: 'label: must not be empty', field: 'label' },
      });
    }
    const kept = (await (await call('GET', `/api/events/${id}`)).json()).streams[0];
    expect(kept.label).toBe('Main');
    expect((await call('DELETE', `/api/events/${id}/streams/${s.id}`)).status).toBe(204);
    expect((await call('DELETE', `/api/events/${id}/streams/${s.id}`)).status).toBe(404);
  });

  it.each([
    ['no name', { name: '' }, 'name'],
    ['a name of 201 characters', { name: 'x'.repeat(201) }, 'name'],
    ['an unknown field', { name: 'ok', colour: 'red' }, 'colour'],
    ['public as a string', { name: 'ok', public: 'yes' }, 'public'],
    ['a start without zone', { name: 'ok', startsAt: '2030-01-01T10:00' }, 'startsAt'],
    [
      'an end before the start',
      { name: 'ok', startsAt: '2030-01-02T10:00:00Z', endsAt: '2030-01-01T10:00:00Z' },
      'endsAt',
    ],
  ])('refuses an event with %s, naming the field', async (_what, body, field) => {
    const res = await call('POST', '/api/events', body);
    expect(res.status).toBe(400);
    expect((await res.json()).error).toMatchObject({ code: 'validation_error', field });
  });

  it('refuses a body that is not JSON', async () => {
    const res = await call('POST', '/api/events', '{name:');
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('invalid_json');
  });

  it('keeps every admin route behind the session, and changes behind a same-origin JSON request', async () => {
    const { id } = await create();
    for (const [method, path] of [
      ['GET', '/api/events'],
      ['POST', '/api/events'],
      ['GET', `/api/events/${id}`],
      ['PATCH', `/api/events/${id}`],
      ['DELETE', `/api/events/${id}`],
      ['POST', `/api/events/${id}/streams`],
      ['GET', '/api/quota'],
    ]) {
      expect(
        (await call(method, path, method === 'GET' ? undefined : {}, { 'content-type': 'application/json' })).status,
        `${method} ${path}`,
      ).toBe(401);
    }
    const crossSite = await call(
      'PATCH',
      `/api/events/${id}`,
      { name: 'x' },
      { ...admin, origin: 'https://evil.example' },
    );
    expect(crossSite.status).toBe(403);
    const form = await call('POST', '/api/events', 'name=x', {
      ...admin,
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(403);
  });

  it('reports the quota', async () => {
    const q = await (await call('GET', '/api/quota')).json();
    expect(q).toMatchObject({ used: 0, budget: 10_000, exhausted: false });
    expect(Date.parse(q.resetAt)).toBeGreaterThan(Date.now());
  });
});

describe('events API without a YouTube key', () => {
  it('adds the stream anyway and says that no key is set', async () => {
    const inst = await testInstance('embedded');
    try {
      const admin = await adminHeaders(inst.config);
      const event = await (
        await inst.app.request('http://localhost/api/events', {
          method: 'POST',
          headers: admin,
          body: JSON.stringify({ name: 'x' }),
        })
      ).json();
      const res = await inst.app.request(`http://localhost/api/events/${event.id}/streams`, {
        method: 'POST',
        headers: admin,
        body: JSON.stringify({ url: 'dQw4w9WgXcQ' }),
      });
      expect(res.status).toBe(201);
      expect(await res.json()).toMatchObject({ status: 'no_api_key', label: 'dQw4w9WgXcQ' });
    } finally {
      await inst.close();
    }
  });
});
