import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.ts';
import { LIMIT_MAX, parseCsvOptions, parseHistoryOptions, parseWindow, type QueryValues } from './params.ts';

const NOW = new Date('2024-05-01T12:00:00Z');
const MAX = 10_080;

function refusal(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

const q = (pairs: [string, string][]): QueryValues => {
  const out: Record<string, string[]> = {};
  for (const [k, v] of pairs) (out[k] ??= []).push(v);
  return out;
};

describe('parseWindow', () => {
  it('defaults to the last 180 minutes, ending now', () => {
    expect(parseWindow({}, MAX, NOW)).toEqual({ from: new Date('2024-05-01T09:00:00Z'), to: NOW });
  });

  it('takes minutes back from now, up to the maximum', () => {
    expect(parseWindow(q([['minutes', '30']]), MAX, NOW).from).toEqual(new Date('2024-05-01T11:30:00Z'));
    expect(parseWindow(q([['minutes', String(MAX)]]), MAX, NOW).from).toEqual(new Date(NOW.getTime() - MAX * 60_000));
  });

  it.each([
    '0',
    '-5',
    '1.5',
    '1e3',
    'NaN',
    'Infinity',
    '99999999999999999999',
    '',
    'abc',
    ' 5',
    '0x10',
    "5' OR 1=1--",
    '5\u0000',
  ])('refuses minutes=%j naming the field and the range', (value) => {
    const e = refusal(() => parseWindow(q([['minutes', value]]), MAX, NOW));
    expect(e.status).toBe(400);
    expect(e.code).toBe('validation_error');
    expect(e.field).toBe('minutes');
    expect(e.message).toContain(`from 1 to ${MAX}`);
  });

  it('refuses minutes above the maximum with the maximum in the message', () => {
    const e = refusal(() => parseWindow(q([['minutes', String(MAX + 1)]]), MAX, NOW));
    expect(e.field).toBe('minutes');
    expect(e.message).toContain(String(MAX));
  });

  it('refuses a repeated parameter', () => {
    const e = refusal(() =>
      parseWindow(
        q([
          ['minutes', '5'],
          ['minutes', '6'],
        ]),
        MAX,
        NOW,
      ),
    );
    expect([e.status, e.field]).toEqual([400, 'minutes']);
    expect(e.message).toMatch(/2 times/);
  });

  it('takes from and to with any offset, as instants', () => {
    const w = parseWindow(
      q([
        ['from', '2024-05-01T10:00:00+02:00'],
        ['to', '2024-05-01T09:30:00.250Z'],
      ]),
      MAX,
      NOW,
    );
    expect(w).toEqual({ from: new Date('2024-05-01T08:00:00Z'), to: new Date('2024-05-01T09:30:00.250Z') });
  });

  it.each([
    ['from', '2024-05-01', 'timezone'],
    ['from', '2024-05-01T10:00:00', 'timezone'],
    ['from', '2024-05-01T10:00', 'timezone'],
    ['from', 'yesterday', 'ISO 8601'],
    ['from', '2024-05-01 10:00:00Z', 'ISO 8601'],
    ['from', '1714557600', 'ISO 8601'],
    ['from', '2024-02-30T10:00:00Z', 'calendar'],
    ['from', '2024-05-01T24:00:00Z', 'calendar'],
    ['from', '9999-01-01T00:00:00Z', '2000 and 2100'],
    ['to', '9999-12-31T23:59:59Z', '2000 and 2100'],
    ['from', "2024-05-01T10:00:00Z' OR '1'='1", 'ISO 8601'],
  ])('refuses %s=%j (%s)', (field, value, hint) => {
    const other = field === 'from' ? ['to', '2024-05-01T11:00:00Z'] : ['from', '2024-05-01T10:00:00Z'];
    const e = refusal(() => parseWindow(q([[field, value], other as [string, string]]), MAX, NOW));
    expect([e.status, e.code, e.field]).toEqual([400, 'validation_error', field]);
    expect(e.message).toContain(hint);
  });

  it('refuses from >= to, a range over the maximum, one end alone, and minutes mixed with from/to', () => {
    const t = '2024-05-01T10:00:00Z';
    expect(
      refusal(() =>
        parseWindow(
          q([
            ['from', t],
            ['to', t],
          ]),
          MAX,
          NOW,
        ),
      ).field,
    ).toBe('from');
    expect(
      refusal(() =>
        parseWindow(
          q([
            ['from', '2024-05-01T11:00:00Z'],
            ['to', t],
          ]),
          MAX,
          NOW,
        ),
      ).message,
    ).toMatch(/before to/);
    const wide = refusal(() =>
      parseWindow(
        q([
          ['from', '2024-04-01T00:00:00Z'],
          ['to', '2024-05-01T00:00:00Z'],
        ]),
        MAX,
        NOW,
      ),
    );
    expect([wide.field, wide.message.includes(String(MAX))]).toEqual(['from', true]);
    expect(refusal(() => parseWindow(q([['from', t]]), MAX, NOW)).field).toBe('to');
    expect(refusal(() => parseWindow(q([['to', t]]), MAX, NOW)).field).toBe('from');
    expect(
      refusal(() =>
        parseWindow(
          q([
            ['minutes', '5'],
            ['from', t],
            ['to', '2024-05-01T11:00:00Z'],
          ]),
          MAX,
          NOW,
        ),
      ).field,
    ).toBe('minutes');
  });
});

describe('parseHistoryOptions', () => {
  it('reads streams, maxPoints, afterTs and limit', () => {
    expect(
      parseHistoryOptions(
        q([
          ['streams', '1'],
          ['maxPoints', '500'],
          ['afterTs', '2024-05-01T10:00:00Z'],
          ['limit', '20'],
        ]),
      ),
    ).toEqual({
      streams: true,
      maxPoints: 500,
      afterTs: new Date('2024-05-01T10:00:00Z'),
      limit: 20,
    });
    expect(parseHistoryOptions({})).toEqual({
      streams: false,
      maxPoints: undefined,
      afterTs: undefined,
      limit: undefined,
    });
  });

  it.each([
    ['limit', '0'],
    ['limit', '-1'],
    ['limit', String(LIMIT_MAX + 1)],
    ['limit', '10000000'],
    ['limit', '1; DROP TABLE samples;--'],
    ['maxPoints', '1'],
    ['maxPoints', '10001'],
    ['maxPoints', 'all'],
    ['streams', 'yes'],
    ['streams', "1' OR 1=1--"],
    ['afterTs', 'abc'],
    ['afterTs', '2024-05-01T10:00:00'],
  ])('refuses %s=%j', (field, value) => {
    const e = refusal(() => parseHistoryOptions(q([[field, value]])));
    expect([e.status, e.code, e.field]).toEqual([400, 'validation_error', field]);
  });
});

describe('parseCsvOptions', () => {
  it('defaults to comma, no BOM, 100k-row slices', () => {
    expect(parseCsvOptions({})).toEqual({ delimiter: ',', bom: false, batch: 100_000 });
    expect(
      parseCsvOptions(
        q([
          ['delimiter', 'semicolon'],
          ['bom', '1'],
          ['batch', '5000'],
        ]),
      ),
    ).toEqual({ delimiter: ';', bom: true, batch: 5000 });
  });

  it.each([
    ['delimiter', 'tab'],
    ['delimiter', ''],
    ['bom', '2'],
    ['batch', '999'],
    ['batch', '1000001'],
    ['batch', 'x'],
  ])('refuses %s=%j', (field, value) => {
    const e = refusal(() => parseCsvOptions(q([[field, value]])));
    expect([e.status, e.field]).toEqual([400, field]);
  });
});
