// The event's number now, as the `now.*` data sources give it: the newest tick, its state, and every
// stream with its count and status, numbers formatted in the reader's locale.
import type { NowResponse, StatusMessage } from '../../wire.ts';
import { nowState } from './now-state.ts';
import type { LatestSample } from './queries.ts';

const formats = new Map<string, Intl.NumberFormat>();

/** Whole numbers as the widgets write them (widget/format.ts numberFormat, not compact). */
export function formatCount(locale: string, n: number): string {
  let format = formats.get(locale);
  if (!format) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
    // Locales are validated first, but a cache keyed by request input must still stay bounded.
    if (formats.size > 200) formats.clear();
    formats.set(locale, format);
  }
  return format.format(n);
}

export function nowSnapshot(
  status: Pick<StatusMessage, 'streams' | 'intervalSeconds'>,
  sample: LatestSample | null,
  locale: string,
  now: number,
): NowResponse {
  const state = nowState(status, sample ? sample.ts.getTime() : null, now);
  // With no stream counted now, an old total would read as today's: no number at all, as the widgets do.
  const counted = state !== 'no-data' && sample !== null;
  const total = counted ? sample.total : null;
  return {
    total,
    totalFormatted: total === null ? null : formatCount(locale, total),
    updatedAt: sample ? sample.ts.toISOString() : null,
    state,
    streams: status.streams.map((s) => {
      const viewers = counted ? (sample.streams[s.id] ?? null) : null;
      return {
        label: s.label,
        platform: s.platform,
        viewers,
        viewersFormatted: viewers === null ? null : formatCount(locale, viewers),
        status: s.status,
      };
    }),
  };
}
