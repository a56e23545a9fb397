// An event's history as JSON points: raw samples, or time buckets carrying each bucket's average and
// peak. Buckets made of whole rollups (1, 5, 15, 60 min: sql/003) read the widest rollup that fits and
// only the ragged edges of the window from the raw tables, so a week costs about what an hour does.
import type { Queryable } from '../db/db.ts';
import type { HistoryPoint, HistoryResponse } from '../wire.ts';
import { DEFAULT_LIMIT, type HistoryOptions, type HistoryWindow } from './params.ts';
import {
  streamBuckets,
  streamIds,
  streamRawText,
  totalBuckets,
  totalRawText,
  type BucketRead,
} from './queries.ts';

// Widest first: the rollup widths of sql/003, in seconds.
const ROLLUP_WIDTHS = [3600, 900, 300, 60];
// Round steps, so bucket edges fall on readable times (…:15, …:30) for every window.
const STEPS = [
  1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 300, 600, 900, 1200, 1800, 3600, 7200, 10800, 21600, 43200, 86400,
];

/** The smallest round step giving at most `maxPoints` buckets, counting partial buckets at both ends. */
export function bucketSecondsFor(window: HistoryWindow, maxPoints: number): number {
  const needed = (window.to.getTime() - window.from.getTime()) / 1000 / (maxPoints - 1);
  return STEPS.find((s) => s >= needed) ?? Math.ceil(needed / 86400) * 86400;
}

/** [rolledFrom, rolledTo) is read from rollups `width` s wide; [from, rolledFrom) and [rolledTo, to) from raw rows. */
type Bounds = Omit<BucketRead, 'eventId' | 'bucketSeconds'>;

function boundsFor(window: HistoryWindow, after: Date | null, bucketSeconds: number): Bounds {
  const to = window.to.getTime();
  const width = ROLLUP_WIDTHS.find((w) => bucketSeconds % w === 0);
  if (!width) return { ...window, after, rolledFrom: window.to, rolledTo: window.to, width: 60 };
  const step = width * 1000;
  // A rollup is wholly newer than `after` once it starts after it.
  const low = Math.max(window.from.getTime(), after ? after.getTime() + 1 : -Infinity);
  const rolledFrom = Math.min(Math.ceil(low / step) * step, to);
  const rolledTo = Math.max(Math.floor(to / step) * step, rolledFrom);
  return { ...window, after, rolledFrom: new Date(rolledFrom), rolledTo: new Date(rolledTo), width };
}

// Averages leave SQL as float8 and are rounded here: numeric rounding in SQL cost more than the rest of the
// query (and SQL's round() of a float8 rounds half to even).
const bucketPoint = (startSeconds: number, viewers: number | null, max: number | null): HistoryPoint => ({
  ts: new Date(startSeconds * 1000).toISOString(),
  viewers: viewers === null ? null : Math.round(viewers),
  max,
});

type Points = [total: HistoryPoint[], series: [streamId: string, point: HistoryPoint][]];

async function readBuckets(
  db: Queryable,
  eventId: string,
  window: HistoryWindow,
  opts: HistoryOptions,
  bucketSeconds: number,
): Promise<Points> {
  const read = { eventId, ...boundsFor(window, opts.afterTs ?? null, bucketSeconds), bucketSeconds };
  const [total, perStream] = await Promise.all([
    totalBuckets(db, read),
    opts.streams ? streamBuckets(db, read) : Promise.resolve([]),
  ]);
  return [
    total.map(([start, viewers, max]) => bucketPoint(start, viewers, max)),
    perStream.map(([id, start, viewers, max]) => [id, bucketPoint(start, viewers, max)]),
  ];
}

/**
 * The points of [from, to) (newer than `afterTs` when given), oldest first, at most `limit` per series
 * (the oldest ones, so a caller pages on with afterTs = the last ts). With `maxPoints`, buckets of
 * `bucketSeconds` aligned on the Unix epoch, each stamped with its start.
 */
export async function readHistory(
  db: Queryable,
  eventId: string,
  window: HistoryWindow,
  opts: HistoryOptions,
): Promise<HistoryResponse> {
  if (!opts.maxPoints) return JSON.parse(await readRawJson(db, eventId, window, opts)) as HistoryResponse;
  const limit = opts.limit ?? DEFAULT_LIMIT;
  const bucketSeconds = bucketSecondsFor(window, opts.maxPoints);
  // Both series (and the stream ids) are asked for together: one failure fails the whole read.
  const [ids, [total, series]] = await Promise.all([
    opts.streams ? streamIds(db, eventId) : Promise.resolve([]),
    readBuckets(db, eventId, window, opts, bucketSeconds),
  ]);
  const response: HistoryResponse = {
    eventId,
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    bucketSeconds,
    total: total.slice(0, limit),
  };
  if (opts.streams) {
    const streams: Record<string, HistoryPoint[]> = Object.fromEntries(ids.map((id) => [id, []]));
    for (const [id, p] of series) {
      const points = (streams[id] ??= []);
      if (points.length < limit) points.push(p);
    }
    response.streams = streams;
  }
  return response;
}

/**
 * The response of `readHistory` as JSON text. Raw points (no `maxPoints`) go from SQL's text to the
 * response without becoming objects here: a week of 10 s samples is 60,000 points per series.
 */
export async function readHistoryJson(
  db: Queryable,
  eventId: string,
  window: HistoryWindow,
  opts: HistoryOptions,
): Promise<string> {
  return opts.maxPoints
    ? JSON.stringify(await readHistory(db, eventId, window, opts))
    : readRawJson(db, eventId, window, opts);
}

async function readRawJson(db: Queryable, eventId: string, window: HistoryWindow, opts: HistoryOptions) {
  const read = { eventId, ...window, after: opts.afterTs ?? null, limit: opts.limit ?? DEFAULT_LIMIT };
  // Both series (and the stream ids) are asked for together: one failure fails the whole read.
  const [ids, total, perStream] = await Promise.all([
    opts.streams ? streamIds(db, eventId) : Promise.resolve([]),
    totalRawText(db, read),
    opts.streams ? streamRawText(db, read) : Promise.resolve(new Map<string, string>()),
  ]);
  const head: Omit<HistoryResponse, 'total'> = {
    eventId,
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    bucketSeconds: 0,
  };
  let text = `${JSON.stringify(head).slice(0, -1)},"total":[${total}]`;
  if (opts.streams) {
    // Every stream of the event, with or without points (and, as ever, one whose points outlived it).
    const all = [...ids, ...[...perStream.keys()].filter((id) => !ids.includes(id))];
    text += `,"streams":{${all.map((id) => `${JSON.stringify(id)}:[${perStream.get(id) ?? ''}]`).join(',')}}`;
  }
  return `${text}}`;
}
