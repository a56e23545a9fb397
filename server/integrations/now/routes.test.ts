import { parse as parseCsv } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders } from '../../auth/testing/test-session.ts';
import { signToken, tokenKey } from '../../auth/tokens.ts';
import { seedEvent, seedRows } from '../../testing/queries.ts';
import { engines } from '../../testing/test-db.ts';
import { testInstance } from '../../testing/test-instance.ts';
import type { NowResponse } from '../../wire.ts';
import { makeTwitchStream, setStreamLabel, setStreamStatus } from '../testing/queries.ts';

const T0 = Date.parse('2026-03-01T20:00:00Z');
const HOSTILE_LABEL = '=1+1 <b>&"x"\'</b>, a;b\nline2 \u0001';

const xml = new XMLParser({ parseTagValue: false, isArray: (name) => name === 'stream' });
const fromXml = (text: string) => (xml.parse(text) as { now: Record<string, unknown> }).now;

describe.each(engines)('now.* data sources on %s', (engine) => {
  let inst: Awaited<ReturnType<typeof testInstance>>;
  let clock = T0;
  const get = (path: string, headers: Record<string, string> = {}) =>
    inst.app.request(`http://localhost${path}`, { headers });

  beforeAll(async () => {
    inst = await testInstance(engine, { now: () => new Date(clock) });
    await seedEvent(inst.db, 'pub', [
      { id: 'main', label: 'Main hall' },
      { id: 'side', label: 'Side room' },
      { id: 'hid', label: HOSTILE_LABEL },
    ]);
    // The side room is a Twitch channel: now.* says each stream's own platform.
    await makeTwitchStream(inst.db, 'side', 'sideroom');
    await setStreamStatus(inst.db, ['main', 'side'], 'live');
    await setStreamStatus(inst.db, ['hid'], 'live_hidden');
    await seedRows(inst.db, 'pub', [
      { streamId: 'main', ts: new Date(T0 - 20_000).toISOString(), viewers: 1000 },
      { streamId: 'main', ts: new Date(T0 - 5_000).toISOString(), viewers: 1234567 },
      { streamId: 'side', ts: new Date(T0 - 5_000).toISOString(), viewers: 89 },
      { streamId: 'hid', ts: new Date(T0 - 5_000).toISOString(), viewers: null },
    ]);
    await seedEvent(inst.db, 'priv', [{ id: 'p1', label: 'Secret' }], false);
    await setStreamStatus(inst.db, ['p1'], 'live');
    await seedRows(inst.db, 'priv', [{ streamId: 'p1', ts: new Date(T0 - 5_000).toISOString(), viewers: 7 }]);
    await seedEvent(inst.db, 'over', [{ id: 'o1', label: 'Done' }]);
    await seedRows(inst.db, 'over', [{ streamId: 'o1', ts: new Date(T0 - 3_600_000).toISOString(), viewers: 500 }]);
    await setStreamStatus(inst.db, ['o1'], 'ended');
    await seedEvent(inst.db, 'fresh', [{ id: 'f1', label: 'Soon' }]);
  });
  afterAll(() => inst?.close());

  it('answers the issue’s JSON shape with the newest tick, live, formatted in the locale', async () => {
    clock = T0;
    const res = await get('/api/events/pub/now.json?locale=fr');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as NowResponse;
    const fr = new Intl.NumberFormat('fr', { maximumFractionDigits: 0 });
    expect(body).toEqual({
      total: 1234656,
      totalFormatted: fr.format(1234656),
      updatedAt: new Date(T0 - 5_000).toISOString(),
      state: 'live',
      streams: [
        {
          label: 'Main hall',
          platform: 'youtube',
          viewers: 1234567,
          viewersFormatted: fr.format(1234567),
          status: 'live',
        },
        { label: 'Side room', platform: 'twitch', viewers: 89, viewersFormatted: '89', status: 'live' },
        { label: HOSTILE_LABEL, platform: 'youtube', viewers: null, viewersFormatted: null, status: 'live_hidden' },
      ],
    });
    expect(Object.keys(body)).toEqual(['total', 'totalFormatted', 'updatedAt', 'state', 'streams']);
    // The default locale is English, not the server's.
    expect(((await (await get('/api/events/pub/now.json')).json()) as NowResponse).totalFormatted).toBe('1,234,656');
  });

  it('gives now.xml the same tree, read back by an XML parser', async () => {
    clock = T0;
    const json = (await (await get('/api/events/pub/now.json?locale=de-CH')).json()) as NowResponse;
    const res = await get('/api/events/pub/now.xml?locale=de-CH');
    expect(res.headers.get('content-type')).toMatch(/^application\/xml/);
    const tree = fromXml(await res.text());
    const text = (v: string | number | null) => (v === null ? '' : String(v));
    expect(tree).toEqual({
      total: text(json.total),
      totalFormatted: text(json.totalFormatted),
      updatedAt: text(json.updatedAt),
      state: json.state,
      streams: {
        stream: json.streams.map((s) => ({
          label: s.label.replace('\u0001', '\ufffd'), // XML 1.0 cannot carry a C0 control
          platform: s.platform,
          viewers: text(s.viewers),
          viewersFormatted: text(s.viewersFormatted),
          status: s.status,
        })),
      },
    });
  });

  it('gives now.csv a total row then one row per stream, read back by a CSV parser, formulas defused', async () => {
    clock = T0;
    const res = await get('/api/events/pub/now.csv?locale=en-IN');
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = parseCsv<Record<string, string>>(await res.text(), { columns: true });
    const updatedAt = new Date(T0 - 5_000).toISOString();
    expect(rows).toEqual([
      {
        label: 'total',
        platform: '',
        viewers: '1234656',
        viewersFormatted: '12,34,656',
        status: '',
        state: 'live',
        updatedAt,
      },
      {
        label: 'Main hall',
        platform: 'youtube',
        viewers: '1234567',
        viewersFormatted: '12,34,567',
        status: 'live',
        state: 'live',
        updatedAt,
      },
      {
        label: 'Side room',
        platform: 'twitch',
        viewers: '89',
        viewersFormatted: '89',
        status: 'live',
        state: 'live',
        updatedAt,
      },
      {
        label: `'${HOSTILE_LABEL}`,
        platform: 'youtube',
        viewers: '',
        viewersFormatted: '',
        status: 'live_hidden',
        state: 'live',
        updatedAt,
      },
    ]);
  });

  it('shows an old number as old: stale keeps the total and its time', async () => {
    clock = T0 + 60_000; // 65 s after the count, past 2.5 intervals of 10 s
    const body = (await (await get('/api/events/pub/now.json')).json()) as NowResponse;
    expect(body).toMatchObject({ state: 'stale', total: 1234656, updatedAt: new Date(T0 - 5_000).toISOString() });
    clock = T0;
  });

  it('says no-data with no number when nothing is counted now, or nothing yet', async () => {
    const over = (await (await get('/api/events/over/now.json')).json()) as NowResponse;
    expect(over).toEqual({
      total: null,
      totalFormatted: null,
      updatedAt: new Date(T0 - 3_600_000).toISOString(),
      state: 'no-data',
      streams: [{ label: 'Done', platform: 'youtube', viewers: null, viewersFormatted: null, status: 'ended' }],
    });
    const fresh = (await (await get('/api/events/fresh/now.json')).json()) as NowResponse;
    expect(fresh).toMatchObject({ total: null, updatedAt: null, state: 'no-data' });
    expect(fresh.streams[0]).toMatchObject({ status: 'pending', viewers: null });
    const csv = parseCsv(await (await get('/api/events/fresh/now.csv')).text(), { columns: true });
    expect(csv[0]).toMatchObject({ label: 'total', viewers: '', state: 'no-data', updatedAt: '' });
    const tree = fromXml(await (await get('/api/events/fresh/now.xml')).text());
    expect(tree).toMatchObject({ total: '', totalFormatted: '', updatedAt: '', state: 'no-data' });
  });

  it('lets a CDN cache a public answer for one interval, with an ETag and 304', async () => {
    clock = T0;
    for (const format of ['json', 'xml', 'csv']) {
      const path = `/api/events/pub/now.${format}`;
      const first = await get(path);
      expect(first.headers.get('cache-control')).toBe('public, max-age=10');
      expect(first.headers.get('access-control-allow-origin')).toBe('*');
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^"[\w-]{20,}"$/);
      for (const inm of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
        const again = await get(path, { 'if-none-match': inm });
        expect(again.status, inm).toBe(304);
        expect(await again.text()).toBe('');
        expect(again.headers.get('etag')).toBe(etag);
        expect(again.headers.get('cache-control')).toBe('public, max-age=10');
      }
      expect((await get(path, { 'if-none-match': '"other"' })).status).toBe(200);
    }
    const before = (await get('/api/events/pub/now.json')).headers.get('etag')!;
    const other = (await get('/api/events/pub/now.json?locale=fr')).headers.get('etag')!;
    expect(other).not.toBe(before);
    // A new tick is a new answer: the old tag no longer matches.
    await seedRows(inst.db, 'pub', [{ streamId: 'main', ts: new Date(T0 - 1_000).toISOString(), viewers: 1300000 }]);
    const after = await get('/api/events/pub/now.json', { 'if-none-match': before });
    expect(after.status).toBe(200);
    expect(((await after.json()) as NowResponse).total).toBe(1300000);
    expect(after.headers.get('etag')).not.toBe(before);
  });

  it('serves a private event to its embed token or the admin only, never cached', async () => {
    clock = T0;
    const denied = await get('/api/events/priv/now.json');
    expect(denied.status).toBe(401);
    expect(denied.headers.get('cache-control')).toBe('no-store');
    expect(await denied.json()).toMatchObject({ error: { code: 'unauthorized' } });
    const { token } = await signToken(tokenKey(inst.config.AUTH_SECRET, 'embed', 'key-priv'), 'embed', {
      subject: 'priv',
      ttlSeconds: 3600,
    });
    for (const format of ['json', 'xml', 'csv']) {
      const res = await get(`/api/events/priv/now.${format}?token=${encodeURIComponent(token)}`);
      expect(res.status, format).toBe(200);
      expect(res.headers.get('cache-control')).toBe('private, no-store');
    }
    const other = await signToken(tokenKey(inst.config.AUTH_SECRET, 'embed', 'key-pub'), 'embed', {
      subject: 'pub',
      ttlSeconds: 3600,
    });
    for (const bad of [other.token, 'garbage', token.slice(0, -2), 'x'.repeat(5000)])
      expect((await get(`/api/events/priv/now.csv?token=${encodeURIComponent(bad)}`)).status).toBe(401);
    const admin = await get('/api/events/priv/now.json', await adminHeaders(inst.config));
    expect(admin.status).toBe(200);
    expect(admin.headers.get('cache-control')).toBe('private, no-store');
    expect(((await admin.json()) as NowResponse).total).toBe(7);
  });

  it('refuses unknown events and hostile parameters with a clear error, never cached', async () => {
    for (const path of [
      '/api/events/nope/now.json',
      "/api/events/x'%20or%201=1/now.xml",
      `/api/events/${'a'.repeat(300)}/now.csv`,
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
    }
    for (const locale of ['xx', 'en_US', 'x'.repeat(200), "fr'--", '%00', '', 'i-klingon', 'fr&locale=de']) {
      const res = await get(`/api/events/pub/now.json?locale=${encodeURIComponent(locale)}`);
      expect(res.status, locale).toBe(400);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.json()).toMatchObject({ error: { code: 'validation_error', field: 'locale' } });
    }
    expect((await get('/api/events/pub/now.json?locale=fr&locale=de')).status).toBe(400);
    expect((await get('/api/events/pub/now.yaml')).status).toBe(404);
  });

  it('follows a label change at once (no server-side cache)', async () => {
    await setStreamLabel(inst.db, 'side', 'Side room B');
    const body = (await (await get('/api/events/pub/now.json')).json()) as NowResponse;
    expect(body.streams[1].label).toBe('Side room B');
  });
});
