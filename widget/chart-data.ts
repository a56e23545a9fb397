// Turns LivePulse history and samples into lightweight-charts points: seconds on the time axis, holes
// filled with whitespace (so the axis stays linear) and drawn as gaps, not as a straight line across.
import type { UTCTimestamp, WhitespaceData } from 'lightweight-charts';
import type { HistoryPoint, HistoryResponse } from '../server/wire.ts';

export type ChartPoint = WhitespaceData<UTCTimestamp> & {
  value?: number;
  color?: string;
  lineColor?: string;
  topColor?: string;
  bottomColor?: string;
};
/** Per-point colors that make the segment leaving a point invisible (lightweight-charts 5.2 joins across whitespace). */
export type HideStyle = Pick<ChartPoint, 'color' | 'lineColor' | 'topColor' | 'bottomColor'>;

const CLEAR = 'rgba(0, 0, 0, 0)';
export const HIDE_LINE: HideStyle = { color: CLEAR };
export const HIDE_AREA: HideStyle = { lineColor: CLEAR, topColor: CLEAR, bottomColor: CLEAR };

/** A hole longer than this many steps (polling intervals or history buckets) is a gap. */
const GAP_STEPS = 2.5;
/** Whitespace per hole at most: a day-long pause must not cost a million points. */
const MAX_FILL = 1000;

export const toSeconds = (ts: string) => Math.floor(Date.parse(ts) / 1000) as UTCTimestamp;

export interface Appended {
  /** The previous point again, restyled so that the segment into the gap is not drawn. */
  restyled?: ChartPoint;
  /** Points to add, in order; empty when `time` would go back in time (the chart only accepts ascending times). */
  added: ChartPoint[];
}

/** What appending a value (null = no count) at `time` after `prev` takes. */
export function append(
  prev: ChartPoint | undefined,
  time: UTCTimestamp,
  value: number | null,
  step: number,
  hide: HideStyle,
): Appended {
  if (!Number.isFinite(time) || (prev && time <= prev.time && !(time === prev.time && value !== null)))
    return { added: [] };
  const point: ChartPoint = value === null ? { time } : { time, value };
  if (!prev || time === prev.time) return { added: [point] };
  const added: ChartPoint[] = [];
  if (time - prev.time > GAP_STEPS * step) {
    const fill = Math.min(MAX_FILL, Math.floor((time - prev.time) / step - 0.5));
    const every = (time - prev.time) / (fill + 1);
    for (let i = 1; i <= fill; i++) added.push({ time: Math.round(prev.time + every * i) as UTCTimestamp });
  }
  added.push(point);
  const opensHole = added[0].value === undefined && prev.value !== undefined;
  return { restyled: opensHole ? { ...prev, ...hide } : undefined, added };
}

/** History points as chart points, holes included; a repeated second replaces the earlier point. */
export function historyPoints(points: HistoryPoint[], step: number, hide: HideStyle): ChartPoint[] {
  const out: ChartPoint[] = [];
  for (const p of points) {
    const time = toSeconds(p.ts);
    if (out.at(-1)?.time === time) out.pop();
    const { restyled, added } = append(out.at(-1), time, p.viewers, step, hide);
    if (restyled) out[out.length - 1] = restyled;
    out.push(...added);
  }
  return out;
}

/** The usual distance between points, for data that does not say (raw samples): the median gap. */
export function typicalStep(points: HistoryPoint[]): number | undefined {
  const gaps: number[] = [];
  for (let i = 1; i < points.length; i++) gaps.push(toSeconds(points[i].ts) - toSeconds(points[i - 1].ts));
  gaps.sort((a, b) => a - b);
  return gaps.length ? gaps[Math.floor(gaps.length / 2)] || undefined : undefined;
}

/**
 * Seconds between two counts, to tell a step from a gap: the widest of the history's buckets, the usual
 * spacing of its points and the polling interval. Buckets alone are not enough: a short window comes in
 * 1 s buckets while counts are 10 s apart, and every step would be taken for a gap (no line at all).
 */
export function stepOf(history: HistoryResponse, intervalSeconds = 0): number {
  return Math.max(history.bucketSeconds, typicalStep(history.total) ?? 0, intervalSeconds) || 10;
}

/**
 * The history cut to the last `minutes` before its end: the page's one connection carries the widest
 * window any of its charts asked for, and each chart shows its own.
 */
export function lastMinutes(history: HistoryResponse, minutes: number): HistoryResponse {
  const from = Date.parse(history.to) - minutes * 60_000;
  const cut = (points: HistoryPoint[]) => points.filter((p) => Date.parse(p.ts) >= from);
  const streams = { ...history.streams };
  for (const id in streams) streams[id] = cut(streams[id]);
  return { ...history, total: cut(history.total), streams };
}

/**
 * Room under the lowest point, as a share of the drawn range: what the library's own bottom margin gave (0.1 of
 * the pane under a top margin of 0.2), but stopping at 0. The library's margin is off (scaleMargins.bottom 0):
 * it is a share of the pane whatever the values, so under a line near 0 it drew an axis going down to "-10,000".
 */
const ROOM_BELOW = 0.1 / 0.7;

/**
 * The value axis for `min`..`max`: from 0 with `zero`, never narrower than 2 % of the top (at least 10
 * viewers), so a flat curve gets distinct labels instead of "6,431" on every grid line, and with some room under
 * the lowest point but never under 0 (counts are never negative).
 */
export function valueRange(min: number, max: number, zero: boolean): { minValue: number; maxValue: number } {
  if (zero) min = 0;
  const span = Math.max(10, max * 0.02);
  if (max - min < span) {
    const mid = (min + max) / 2;
    min = Math.max(0, mid - span / 2);
    max = min + span;
  }
  return { minValue: Math.max(0, min - (max - min) * ROOM_BELOW), maxValue: max };
}

/** The `max` keys with the largest values (no value counting as the smallest), in the map's order among equals. */
export function largest(values: ReadonlyMap<string, number | undefined>, max: number): Set<string> {
  const entries = [...values].map(([key, value], i) => ({ key, value: value ?? -1, i }));
  entries.sort((a, b) => b.value - a.value || a.i - b.i);
  return new Set(entries.slice(0, max).map((e) => e.key));
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * `text` in at most `max` characters (as a reader counts them: an emoji or an accented letter is one), cut at the
 * end with "…" and without a space before it.
 */
export function shorten(text: string, max: number): string {
  const parts = [...graphemes.segment(text)].map((g) => g.segment);
  if (parts.length <= max) return text;
  return `${parts
    .slice(0, Math.max(1, max - 1))
    .join('')
    .trimEnd()}…`;
}
