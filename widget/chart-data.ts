// Turns LivePulse history and samples into lightweight-charts points: seconds on the time axis, and a
// whitespace point in every hole so a pause in the data is drawn as a gap, not as a straight line.
import type { LineData, UTCTimestamp, WhitespaceData } from 'lightweight-charts';
import type { HistoryPoint } from '../server/wire.ts';

export type ChartPoint = LineData<UTCTimestamp> | WhitespaceData<UTCTimestamp>;

/** A hole longer than this many steps (polling intervals or history buckets) is a gap. */
export const GAP_STEPS = 2.5;

export const toSeconds = (ts: string) => Math.floor(Date.parse(ts) / 1000) as UTCTimestamp;

/**
 * The point(s) to append after `last` (seconds) for a value at `time`: none when it would go back in
 * time (the chart only accepts ascending times), a whitespace point first when the hole is a gap.
 */
export function nextPoints(last: number | undefined, time: UTCTimestamp, value: number | null, step: number): ChartPoint[] {
  if (!Number.isFinite(time) || (last !== undefined && time < last)) return [];
  const point: ChartPoint = value === null ? { time } : { time, value };
  if (last !== undefined && time - last > GAP_STEPS * step) return [{ time: (last + step) as UTCTimestamp }, point];
  return [point];
}

/** History points as chart points, gaps included; later duplicates of a second replace earlier ones. */
export function historyPoints(points: HistoryPoint[], step: number): ChartPoint[] {
  const out: ChartPoint[] = [];
  for (const p of points) {
    const time = toSeconds(p.ts);
    const last = out.at(-1)?.time;
    if (last === time) out.pop();
    out.push(...nextPoints(out.at(-1)?.time, time, p.viewers, step));
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
