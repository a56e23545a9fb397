// The one definition of an event's stats, as pure functions: a series' samples cut into parts (an hour,
// or the piece of one at a window's edge), and parts stitched into the stats of a window. The database
// computes the same parts in SQL (queries.ts); the tests hold both to figures worked out by hand.
//
// Rules (issue 16): a counted sample covers the time until the next sample of its series, capped at
// 2.5 × the poll interval in force when it was taken (a longer gap is a gap, not viewers); a hidden
// count (null) covers nothing, ends the previous sample's coverage and is never a zero. The newest
// sample, with no next one yet, covers until the next poll was due (one interval) or until now if that
// is sooner: it is known to hold only that long. Samples are those with from <= ts < to; coverage is
// clipped at `to`.

import type { Stats } from '../wire.ts';

export type { Stats };

/** How much longer than the poll interval a gap may be and still count as watched. */
export const COVERAGE_FACTOR = 2.5;

/** The poll interval from `since` (ms) on; sorted by `since`. */
export interface IntervalStep {
  since: number;
  seconds: number;
}

/** One sample of a series: time in ms, viewers (null: hidden). */
export interface SamplePoint {
  ts: number;
  v: number | null;
}

/** A series' samples over one range, with each sample's "next" looked for inside the range only. */
export interface Part {
  /** Counted (non-null) samples. */
  n: number;
  firstTs: number | null;
  firstV: number | null;
  lastTs: number | null;
  lastV: number | null;
  /** Coverage (s) and viewer-seconds of every counted sample but the last, whose next is in the range. */
  innerSeconds: number;
  innerArea: number;
  peakV: number | null;
  /** The first time peakV was reached. */
  peakTs: number | null;
}

export const EMPTY_PART: Part = {
  n: 0,
  firstTs: null,
  firstV: null,
  lastTs: null,
  lastV: null,
  innerSeconds: 0,
  innerArea: 0,
  peakV: null,
  peakTs: null,
};

/** The interval (s) in force at `ts`: the last step at or before it, else `fallback` (samples older than any record). */
export function intervalAt(steps: readonly IntervalStep[], fallback: number, ts: number): number {
  let seconds = fallback;
  for (const s of steps) {
    if (s.since > ts) break;
    seconds = s.seconds;
  }
  return seconds;
}

const capAt = (steps: readonly IntervalStep[], fallback: number, ts: number) =>
  COVERAGE_FACTOR * intervalAt(steps, fallback, ts);

/** The part of `points` (sorted by ts, all inside one range), as the SQL of queries.ts computes it. */
export function partOf(points: readonly SamplePoint[], steps: readonly IntervalStep[], fallback: number): Part {
  if (points.length === 0) return EMPTY_PART;
  const part: Part = {
    ...EMPTY_PART,
    firstTs: points[0].ts,
    firstV: points[0].v,
    lastTs: points[points.length - 1].ts,
    lastV: points[points.length - 1].v,
  };
  points.forEach((p, i) => {
    if (p.v === null) return;
    part.n++;
    if (part.peakV === null || p.v > part.peakV) {
      part.peakV = p.v;
      part.peakTs = p.ts;
    }
    const next = points[i + 1];
    if (!next) return;
    const covered = Math.min((next.ts - p.ts) / 1000, capAt(steps, fallback, p.ts));
    part.innerSeconds += covered;
    part.innerArea += p.v * covered;
  });
  return part;
}

export interface StitchContext {
  steps: readonly IntervalStep[];
  /** The interval for samples older than the first step. */
  fallback: number;
  from: number;
  to: number;
  now: number;
  /** Whether the series has a sample at or after `to` (then its last sample in the window is not the newest). */
  hasNextAfterTo: boolean;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** The stats of one series from its parts over contiguous ranges that tile the window, in time order. */
export function stitch(parts: readonly Part[], ctx: StitchContext): Stats {
  const filled = parts.filter((p) => p.firstTs !== null);
  let samples = 0;
  let seconds = 0;
  let area = 0;
  let peakV: number | null = null;
  let peakTs: number | null = null;
  filled.forEach((p, i) => {
    samples += p.n;
    seconds += p.innerSeconds;
    area += p.innerArea;
    if (p.peakV !== null && (peakV === null || p.peakV > peakV)) {
      peakV = p.peakV;
      peakTs = p.peakTs;
    }
    if (p.lastV === null || p.lastTs === null) return;
    const next = filled[i + 1]?.firstTs;
    const cap = capAt(ctx.steps, ctx.fallback, p.lastTs);
    let until: number;
    if (next !== undefined && next !== null) until = Math.min(next, p.lastTs + cap * 1000);
    else if (ctx.hasNextAfterTo) until = Math.min(ctx.to, p.lastTs + cap * 1000);
    else until = Math.min(ctx.to, ctx.now, p.lastTs + intervalAt(ctx.steps, ctx.fallback, p.lastTs) * 1000);
    const covered = Math.max(0, (until - p.lastTs) / 1000);
    seconds += covered;
    area += p.lastV * covered;
  });
  const newest = filled.at(-1);
  const at = Math.min(ctx.to, ctx.now);
  const fresh =
    newest?.lastTs != null &&
    newest.lastV !== null &&
    at - newest.lastTs <= capAt(ctx.steps, ctx.fallback, newest.lastTs) * 1000;
  return {
    current: fresh ? newest.lastV : null,
    peak: { viewers: peakV, ts: peakTs === null ? null : new Date(peakTs).toISOString() },
    average: seconds > 0 ? round3(area / seconds) : null,
    viewerMinutes: round3(area / 60),
    liveSeconds: round3(seconds),
    samples,
  };
}

/** A stream's share of the total's viewer-minutes (null when the total has none). */
export function shareOf(stream: Stats, total: Stats): number | null {
  return total.viewerMinutes > 0 ? round3(stream.viewerMinutes / total.viewerMinutes) : null;
}

/** A piece of a window: a whole hour on the epoch grid (`full`), or the part of one at an edge. */
export interface Tile {
  start: number;
  end: number;
  full: boolean;
}

/** The hours and edge pieces that tile [from, to), in order. */
export function tiles(from: number, to: number): Tile[] {
  const HOUR = 3_600_000;
  const out: Tile[] = [];
  let start = from;
  while (start < to) {
    const hourEnd = Math.floor(start / HOUR) * HOUR + HOUR;
    const end = Math.min(hourEnd, to);
    out.push({ start, end, full: start % HOUR === 0 && end === hourEnd });
    start = end;
  }
  return out;
}

/** The stats of raw samples directly (the reference the tests compare the stored path with). */
export function statsOfPoints(points: readonly SamplePoint[], ctx: Omit<StitchContext, 'hasNextAfterTo'>): Stats {
  const inWindow = points.filter((p) => p.ts >= ctx.from && p.ts < ctx.to);
  const hasNextAfterTo = points.some((p) => p.ts >= ctx.to);
  const parts = tiles(ctx.from, ctx.to).map((t) =>
    partOf(
      inWindow.filter((p) => p.ts >= t.start && p.ts < t.end),
      ctx.steps,
      ctx.fallback,
    ),
  );
  return stitch(parts, { ...ctx, hasNextAfterTo });
}
