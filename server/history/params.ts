// The query parameters of the history routes (JSON, CSV, SSE), checked at the edge: each bad value is a
// 400 validation_error naming the parameter and what it accepts, before anything reaches SQL.
import * as v from 'valibot';
import { badParam } from '../errors.ts';

export interface HistoryWindow {
  from: Date;
  to: Date;
}

/** Every value of every parameter, as Hono's `c.req.queries()` gives them. */
export type QueryValues = Record<string, string[] | undefined>;

export const DEFAULT_MINUTES = 180;
export const LIMIT_MAX = 100_000;
export const DEFAULT_LIMIT = 10_000;
export const MAX_POINTS = { min: 2, max: 10_000 };
export const BATCH = { min: 1_000, max: 1_000_000, fallback: 100_000 };
// Older or later than this is a typo (year 9999, 0001), not a date anyone has samples for.
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);

// A full date and time with an explicit offset: a time without one would mean a different instant
// on every server, so it is refused rather than guessed.
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:\d{2})$/;

const wholeNumber = (min: number, max: number) =>
  v.pipe(
    v.string(),
    v.regex(/^\d{1,12}$/, `expected a whole number from ${min} to ${max}`),
    v.transform(Number),
    v.minValue(min, `expected a whole number from ${min} to ${max}`),
    v.maxValue(max, `expected a whole number from ${min} to ${max}`),
  );

const instant = v.pipe(
  v.string(),
  v.check(
    (s) => ISO_INSTANT.test(s) || !/^\d{4}-\d{2}-\d{2}(T[\d:.]+)?$/.test(s),
    'has no timezone: add Z or an offset such as +02:00',
  ),
  v.regex(ISO_INSTANT, 'expected an ISO 8601 date and time with a timezone, e.g. 2024-05-01T18:00:00Z'),
  v.check(realCalendarDate, 'is not a real calendar date and time'),
  v.transform((s) => new Date(s)),
  v.check((d) => d.getTime() >= EARLIEST && d.getTime() < LATEST, 'expected a date between 2000 and 2100'),
);

const flag = v.picklist(['0', '1', 'true', 'false'], 'expected 1 or 0');

/** Rejects what Date would silently roll over (2024-02-30 → March 1, 24:00). */
function realCalendarDate(s: string): boolean {
  const m = ISO_INSTANT.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, sec = '0'] = m.slice(1).map((x) => x ?? '0');
  const probe = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +sec));
  return (
    probe.getUTCFullYear() === +y &&
    probe.getUTCMonth() === +mo - 1 &&
    probe.getUTCDate() === +d &&
    probe.getUTCHours() === +h &&
    probe.getUTCMinutes() === +mi &&
    probe.getUTCSeconds() === +sec
  );
}

/** The one value of a parameter, or undefined; a parameter given twice is ambiguous and refused. */
export function single(query: QueryValues, name: string): string | undefined {
  const values = query[name];
  if (!values || values.length === 0) return undefined;
  if (values.length > 1) throw badParam(name, `${name}: given ${values.length} times, expected once`);
  return values[0];
}

function parsed<S extends v.GenericSchema<string, unknown>>(
  schema: S,
  query: QueryValues,
  name: string,
): v.InferOutput<S> | undefined {
  const raw = single(query, name);
  if (raw === undefined) return undefined;
  const result = v.safeParse(schema, raw, { abortPipeEarly: true });
  if (!result.success) throw badParam(name, `${name}: ${result.issues[0].message}`);
  return result.output;
}

/**
 * `minutes` (back from now) or `from` + `to`; the span is at most `maxMinutes` either way.
 * Half-open: samples with from <= ts < to.
 */
export function parseWindow(query: QueryValues, maxMinutes: number, now = new Date()): HistoryWindow {
  const minutes = parsed(wholeNumber(1, maxMinutes), query, 'minutes');
  const from = parsed(instant, query, 'from');
  const to = parsed(instant, query, 'to');
  if (minutes !== undefined && (from || to))
    throw badParam('minutes', 'minutes: give either minutes or from and to, not both');
  if (from || to) {
    if (!from) throw badParam('from', 'from: required with to');
    if (!to) throw badParam('to', 'to: required with from');
    if (from >= to) throw badParam('from', 'from: must be before to');
    if (to.getTime() - from.getTime() > maxMinutes * 60_000) {
      throw badParam('from', `from: the range from from to to is at most ${maxMinutes} minutes`);
    }
    return { from, to };
  }
  const span = (minutes ?? Math.min(DEFAULT_MINUTES, maxMinutes)) * 60_000;
  return { from: new Date(now.getTime() - span), to: now };
}

export interface HistoryOptions {
  streams: boolean;
  maxPoints?: number;
  afterTs?: Date;
  limit?: number;
}

export function parseHistoryOptions(query: QueryValues): HistoryOptions {
  const streams = parsed(flag, query, 'streams');
  return {
    streams: streams === '1' || streams === 'true',
    maxPoints: parsed(wholeNumber(MAX_POINTS.min, MAX_POINTS.max), query, 'maxPoints'),
    afterTs: parsed(instant, query, 'afterTs'),
    limit: parsed(wholeNumber(1, LIMIT_MAX), query, 'limit'),
  };
}

export interface CsvOptions {
  delimiter: ',' | ';';
  bom: boolean;
  /** Rows per slice where the engine hands back a whole result at once (the embedded one). */
  batch: number;
}

const delimiterParam = v.pipe(
  v.picklist(['comma', 'semicolon', ',', ';'], 'expected comma or semicolon'),
  v.transform((s) => (s === 'semicolon' || s === ';' ? ';' : ',')),
);

export function parseCsvOptions(query: QueryValues): CsvOptions {
  const bom = parsed(flag, query, 'bom');
  return {
    delimiter: parsed(delimiterParam, query, 'delimiter') ?? ',',
    bom: bom === '1' || bom === 'true',
    batch: parsed(wholeNumber(BATCH.min, BATCH.max), query, 'batch') ?? BATCH.fallback,
  };
}
