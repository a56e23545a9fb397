// Viewer-count curves for simulated live streams: a constant, or a realistic moving count (slow waves,
// a trend, per-second jitter) that is a pure function of seed, video and time, so tests can predict it.

export type CountCurve =
  | { kind: 'constant'; value: number }
  | {
      kind: 'moving';
      /** The level the count moves around. */
      base: number;
      /** Height of the slow wave, in viewers (default 15% of base). */
      amplitude?: number;
      /** Length of one slow wave (default 600 s). */
      periodSeconds?: number;
      /** Viewers gained (or lost, when negative) per hour since the stream started (default 0). */
      trendPerHour?: number;
      /** Jitter as a fraction of the value, changing every second (default 0.01). */
      noise?: number;
    };

export const MAX_COUNT = 100_000_000;

/** The count at `nowMs` for a stream that started at `startMs`. Always a whole number from 0 to MAX_COUNT. */
export function countAt(curve: CountCurve, seed: number, videoId: string, startMs: number, nowMs: number): number {
  if (curve.kind === 'constant') return clamp(curve.value);
  const { base, amplitude = base * 0.15, periodSeconds = 600, trendPerHour = 0, noise = 0.01 } = curve;
  const elapsed = Math.max(0, nowMs - startMs) / 1000;
  const phase = unit(seed, videoId, -1) * 2 * Math.PI;
  // Two waves of unrelated periods, so the line does not look like a textbook sine.
  const wave =
    amplitude * 0.7 * Math.sin((2 * Math.PI * elapsed) / periodSeconds + phase) +
    amplitude * 0.3 * Math.sin((2 * Math.PI * elapsed) / (periodSeconds * 0.37) + phase * 3);
  const level = base + wave + (trendPerHour * elapsed) / 3600;
  const jitter = (unit(seed, videoId, Math.floor(nowMs / 1000)) * 2 - 1) * noise * level;
  return clamp(level + jitter);
}

const clamp = (n: number) => (Number.isFinite(n) ? Math.min(MAX_COUNT, Math.max(0, Math.round(n))) : 0);

/** A deterministic number in [0, 1) from (seed, videoId, step): FNV-1a over the text, then a murmur finaliser. */
function unit(seed: number, videoId: string, step: number): number {
  let h = 0x811c9dc5;
  for (const ch of `${seed}|${videoId}|${step}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}
