import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminHeaders } from '../auth/testing/test-session.ts';
import { engines } from '../testing/test-db.ts';
import { testInstance } from '../testing/test-instance.ts';
import type { HistoryResponse } from '../wire.ts';
import { sampleCount, seedEvent, seedRows, seedTicks, streamSampleCount } from '../testing/queries.ts';

const LABELS = {
  formula: '=HYPERLINK("http://x","y")',
  plus: '+1',
  minus: '-1',
  at: '@SUM(A1)',
  tab: '\t=1',
  cr: '\r=1',
  quotes: 'say "hi"',
  commas: 'a,b',
  newline: 'line1\nline2',
  emoji: '🎉 live ½',
  semi: 'x;y',
};
type LabelKey = keyof typeof LABELS;
const IDS = Object.keys(LABELS) as LabelKey[];

const INJECTIONS = ["' OR 1=1--", '1; DROP TABLE samples;--', "dQw4w9WgXcQ' OR '1'='1", '%00', '\u0000'];

describe.each(engines)('history routes on %s', (engine) => {
  let inst: Awaited<ReturnType<typeof testInstance>>;
  const get = (path: string, headers: Record<string, string> = {}) =>
    inst.app.request(`http://localhost${path}`, { headers });

  beforeAll(async () => {
    inst = await testInstance(engine);
    await seedEvent(
      inst.db,
      'ev',
      IDS.map((id, i) => ({ id, label: LABELS[id], videoId: `-abcdefgh${String(i).padStart(2, '0')}` })),
    );
    await seedRows(inst.db, 'ev', [
      { streamId: 'formula', ts: '2024-05-01T10:00:00Z', viewers: 12 },
      { streamId: 'plus', ts: '2024-05-01T10:00:00Z', viewers: null },
      ...IDS.filter((id) => id !== 'formula' && id !== 'plus').map((id, i) => ({
        streamId: id,
        ts: '2024-05-01T10:00:10.5Z',
        viewers: i,
      })),
    ]);
    await seedEvent(inst.db, 'big', [{ id: 'b1' }, { id: 'b2' }, { id: 'b3' }]);
    await seedTicks(inst.db, 'big', new Date('2024-05-02T00:00:00Z'), 4000, 10);
    await seedEvent(inst.db, 'private', [], false);
  });
  afterAll(() => inst?.close());

  const window = 'from=2024-05-01T09:00:00Z&to=2024-05-01T11:00:00Z';

  it('serves history as JSON with buckets that keep the peak', async () => {
    const res = await get(
      `/api/events/big/history?from=2024-05-02T00:00:00Z&to=2024-05-02T11:06:40Z&streams=1&maxPoints=50`,
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as HistoryResponse;
    expect(body.bucketSeconds).toBe(900);
    expect(body.total.length).toBeLessThanOrEqual(50);
    expect(Object.keys(body.streams!)).toEqual(['b1', 'b2', 'b3']);
    expect(Math.max(...body.streams!.b1.map((p) => p.max!))).toBe(999);
  });

  it('refuses bad parameters with 400 naming the field', async () => {
    for (const [query, field] of [
      ['minutes=5&minutes=6', 'minutes'],
      ['minutes=1e3', 'minutes'],
      ['minutes=99999999', 'minutes'],
      ['from=2024-05-01T10:00:00&to=2024-05-01T11:00:00Z', 'from'],
      ['limit=0', 'limit'],
      ['maxPoints=1', 'maxPoints'],
    ]) {
      const res = await get(`/api/events/ev/history?${query}`);
      expect(res.status, query).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'validation_error', field } });
    }
    const csv = await get(`/api/events/ev/history.csv?delimiter=tab`);
    expect(csv.status).toBe(400);
    expect(await csv.json()).toMatchObject({ error: { field: 'delimiter' } });
  });

  it('answers 404 for an unknown event or stream, and a stream of another event', async () => {
    for (const path of [
      '/api/events/nope/history',
      '/api/events/nope/history.csv',
      '/api/events/ev/streams/nope/history.csv',
      '/api/events/ev/streams/b1/history.csv',
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  it('sits behind the event-reader check', async () => {
    expect((await get('/api/events/private/history')).status).toBe(401);
    expect((await get('/api/events/private/history.csv')).status).toBe(401);
    expect((await get('/api/events/private/history', await adminHeaders(inst.config))).status).toBe(200);
  });

  it('stops injection strings in every parameter and path segment before SQL', async () => {
    const before = await sampleCount(inst.db);
    for (const bad of INJECTIONS) {
      const e = encodeURIComponent(bad);
      for (const name of ['minutes', 'from', 'to', 'afterTs', 'limit', 'maxPoints', 'streams']) {
        const res = await get(`/api/events/ev/history?${name}=${e}`);
        expect(res.status, `${name}=${bad}`).toBe(400);
        expect(((await res.json()) as { error: { field: string } }).error.field).toBe(name);
      }
      for (const name of ['delimiter', 'bom', 'batch'])
        expect((await get(`/api/events/ev/history.csv?${name}=${e}`)).status).toBe(400);
      for (const path of [
        `/api/events/${e}/history`,
        `/api/events/${e}/history.csv`,
        `/api/events/ev/streams/${e}/history.csv`,
      ]) {
        expect((await get(path)).status, path).toBe(404);
      }
    }
    expect(await sampleCount(inst.db)).toBe(before);
  });

  it('writes the total CSV with ISO UTC timestamps and a file name saying event and range', async () => {
    const res = await get(`/api/events/ev/history.csv?${window}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      'attachment; filename="livepulse-ev-20240501T090000Z-20240501T110000Z.csv"',
    );
    expect(await res.text()).toBe('ts,total\n2024-05-01T10:00:00.000Z,12\n2024-05-01T10:00:10.500Z,36\n');
  });

  it('writes id cells verbatim, even when they begin with - (ids are data; only labels are defused)', async () => {
    // Ids from before newId() avoided a leading '-', and YouTube video ids, may begin with one.
    await seedEvent(inst.db, 'dashes', [{ id: '-neg1', videoId: '-1234567890', label: '-1+1' }]);
    await seedRows(inst.db, 'dashes', [{ streamId: '-neg1', ts: '2024-05-01T10:00:00Z', viewers: 5 }]);
    for (const path of ['/api/events/dashes/streams/history.csv', '/api/events/dashes/streams/-neg1/history.csv']) {
      const res = await get(`${path}?${window}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe(
        `ts,stream_id,video_id,label,viewers,platform,source\n2024-05-01T10:00:00.000Z,-neg1,-1234567890,'-1+1,5,youtube,\n`,
      );
    }
  });

  it('quotes per RFC 4180, defuses formulas in labels, and leaves hidden counts empty', async () => {
    const res = await get(`/api/events/ev/streams/history.csv?${window}`);
    expect(res.headers.get('content-disposition')).toContain('livepulse-ev-streams-20240501T090000Z-');
    const lines = (await res.text()).split(/\n(?=2024|$)/);
    expect(lines[0]).toBe('ts,stream_id,video_id,label,viewers,platform,source');
    expect(lines).toContain(
      `2024-05-01T10:00:00.000Z,formula,-abcdefgh00,"'=HYPERLINK(""http://x"",""y"")",12,youtube,`,
    );
    expect(lines).toContain(`2024-05-01T10:00:00.000Z,plus,-abcdefgh01,'+1,,youtube,`);
    const later = Object.fromEntries(
      lines.filter((l) => l.startsWith('2024-05-01T10:00:10.500Z')).map((l) => [l.split(',')[1], l]),
    );
    expect(later.minus).toBe(`2024-05-01T10:00:10.500Z,minus,-abcdefgh02,'-1,0,youtube,`);
    expect(later.at).toBe(`2024-05-01T10:00:10.500Z,at,-abcdefgh03,'@SUM(A1),1,youtube,`);
    expect(later.tab).toBe(`2024-05-01T10:00:10.500Z,tab,-abcdefgh04,'\t=1,2,youtube,`);
    expect(later.cr).toBe(`2024-05-01T10:00:10.500Z,cr,-abcdefgh05,"'\r=1",3,youtube,`);
    expect(later.quotes).toBe(`2024-05-01T10:00:10.500Z,quotes,-abcdefgh06,"say ""hi""",4,youtube,`);
    expect(later.commas).toBe(`2024-05-01T10:00:10.500Z,commas,-abcdefgh07,"a,b",5,youtube,`);
    expect(later.newline).toBe(`2024-05-01T10:00:10.500Z,newline,-abcdefgh08,"line1\nline2",6,youtube,`);
    expect(later.emoji).toBe(`2024-05-01T10:00:10.500Z,emoji,-abcdefgh09,🎉 live ½,7,youtube,`);
    expect(later.semi).toBe(`2024-05-01T10:00:10.500Z,semi,-abcdefgh10,x;y,8,youtube,`);
    expect(lines).toHaveLength(1 + IDS.length + 1); // header, rows, and the empty tail after the last newline
  });

  it('writes semicolon-separated CSV with a BOM for spreadsheets in French locales', async () => {
    const res = await get(`/api/events/ev/streams/semi/history.csv?${window}&delimiter=semicolon&bom=1`);
    expect(res.headers.get('content-disposition')).toContain('livepulse-ev-stream-semi-');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.slice(3))).toBe(
      'ts;stream_id;video_id;label;viewers;platform;source\n2024-05-01T10:00:10.500Z;semi;-abcdefgh10;"x;y";8;youtube;\n',
    );
    const commas = await get(`/api/events/ev/streams/commas/history.csv?${window}&delimiter=semicolon`);
    expect(await commas.text()).toBe(
      'ts;stream_id;video_id;label;viewers;platform;source\n2024-05-01T10:00:10.500Z;commas;-abcdefgh07;a,b;5;youtube;\n',
    );
  });

  it('leaves the database usable after clients that leave in the middle of a CSV', async () => {
    const range = 'from=2024-05-02T00:00:00Z&to=2024-05-02T11:06:40Z&batch=1000';
    for (let i = 0; i < 12; i++) {
      const res = await get(`/api/events/big/streams/history.csv?${range}`);
      const reader = res.body!.getReader();
      expect((await reader.read()).done).toBe(false);
      await reader.cancel();
    }
    const whole = await (await get(`/api/events/big/history.csv?${range}`)).text();
    expect(whole.split('\n')).toHaveLength(4000 + 2);
  });

  it('gives the same rows in small slices as in one piece, none lost or repeated at the seams', async () => {
    const range = 'from=2024-05-02T00:00:00Z&to=2024-05-02T11:06:40Z';
    const n = await streamSampleCount(inst.db, 'big');
    const whole = await (await get(`/api/events/big/streams/history.csv?${range}&batch=1000000`)).text();
    const sliced = await (await get(`/api/events/big/streams/history.csv?${range}&batch=1000`)).text();
    expect(sliced).toBe(whole);
    expect(whole.split('\n').length - 2).toBe(n);
    expect(n).toBe(12_000);
  });
});
