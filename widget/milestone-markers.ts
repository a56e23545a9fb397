// What the chart marks on its timeline (issue 16): the peak of what it draws ("Peak 15,413", at its time,
// instead of a label on the value axis that covered the axis's own), and with milestones on, every threshold
// reached ("10K"; of several reached at once, as on a first count, the highest). Pure, so the rule is tested
// without a chart; the report's list of milestones makes the same choice of peaks (notableMilestones).
import type { SeriesMarker, UTCTimestamp } from 'lightweight-charts';
import type { MilestoneMessage } from '../server/wire.ts';
import { toSeconds } from './chart-data.ts';
import { numberFormat } from './format.ts';

/** The key a milestone is known by: kind and value (a peak's value is its own), at its time. */
export const milestoneKey = (m: MilestoneMessage) => `${m.kind}:${m.value}:${m.ts}`;

/** Every threshold, and of the new peaks (one a minute while a crowd grows) only the record; oldest first. */
export function notableMilestones(list: Iterable<MilestoneMessage>): MilestoneMessage[] {
  const all = [...list].sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts));
  const record = all
    .filter((m) => m.kind === 'peak')
    .reduce<MilestoneMessage | null>((best, m) => (best && best.value >= m.value ? best : m), null);
  return all.filter((m) => m.kind === 'threshold' || m === record);
}

export interface MarkerOptions {
  /** The first point's time: a marker before it would be drawn on it, so there is none. */
  fromSeconds: number;
  locale: string | undefined;
  /** "Peak", in the chart's language. */
  peakWord: string;
  /** The chart's text colour: readable on whatever the chart sits on. */
  color: string;
  /** The highest value drawn and when, or null. */
  peak: { value: number; time: number } | null;
  /** The time of the point a moment is drawn on (a bucket's start in a long window); default: the moment itself. */
  snap?: (seconds: number) => number;
}

/** Marker size: the library scales markers with the bar spacing up to 30 px, far too big on a young curve. */
const SIZE = 0.5;

export function milestoneMarkers(
  thresholds: Iterable<MilestoneMessage>,
  o: MarkerOptions,
): SeriesMarker<UTCTimestamp>[] {
  const compact = numberFormat(o.locale, true);
  const highest = new Map<number, number>();
  for (const m of thresholds) {
    if (m.kind !== 'threshold' || toSeconds(m.ts) < o.fromSeconds) continue;
    const time = o.snap ? o.snap(toSeconds(m.ts)) : toSeconds(m.ts);
    highest.set(time, Math.max(m.value, highest.get(time) ?? 0));
  }
  // Thresholds under the curve, the peak over it: a threshold passed just before the peak (10K, then a peak of
  // 10,200) must not print its label across the peak's.
  const markers: SeriesMarker<UTCTimestamp>[] = [...highest].map(([time, value]) => ({
    time: time as UTCTimestamp,
    position: 'belowBar',
    shape: 'circle',
    color: o.color,
    size: SIZE,
    text: compact.format(value),
  }));
  if (o.peak)
    markers.push({
      time: o.peak.time as UTCTimestamp,
      position: 'aboveBar',
      shape: 'arrowDown',
      color: o.color,
      size: SIZE,
      text: `${o.peakWord} ${numberFormat(o.locale).format(o.peak.value)}`,
    });
  return markers.sort((a, b) => a.time - b.time);
}
