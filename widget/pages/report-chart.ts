// <livepulse-report-chart>: <livepulse-chart> frozen at the report's end, with a screenshot for the report's
// "download as PNG" button. A subclass in the pages' bundle, so the embeds (livepulse.js) carry neither.
import type { PropertyDeclarations } from '../base-element.ts';
import type { HistoryResponse } from '../../server/wire.ts';
import type { LiveChange } from '../live-client.ts';
import { LivepulseChart } from '../livepulse-chart.ts';

/**
 * @summary The report's chart: nothing after `until` is drawn.
 * @attr until - ISO 8601: the end of the report's window (for a running event, when the page was loaded).
 */
export class LivepulseReportChart extends LivepulseChart {
  // Merged with the chart's own (base-element.ts).
  static override properties: PropertyDeclarations = { until: { type: String } };

  /** The end of the report's window: what came later is left out. */
  declare until: string;

  /** The chart as drawn (lightweight-charts' own screenshot); null before it is drawn. */
  screenshot(): HTMLCanvasElement | null {
    return this.chart?.takeScreenshot() ?? null;
  }

  /**
   * A report is a document of its window, handed to a sponsor, printed, saved as a PDF: its chart shows what
   * its cards and tables add up (the stats of [from, to]), not a curve that kept moving after them. So the
   * chart takes the live connection's history up to `until` and none of its later samples, chat or milestones;
   * the report says "as of" when, and a reload brings it up to date.
   */
  protected override receive(change: LiveChange) {
    const end = Date.parse(this.until);
    if (Number.isNaN(end)) return super.receive(change);
    const after = (ts: string) => Date.parse(ts) > end;
    if (change.type === 'history') return super.receive({ type: 'history', history: upTo(change.history, end) });
    if (change.type === 'sample' && after(change.sample.ts)) return;
    if (change.type === 'chat' && after(change.chat.ts)) return;
    if (change.type === 'milestone' && after(change.milestone.ts)) return;
    super.receive(change);
  }

  protected override drawsMilestoneAt(ts: string) {
    const end = Date.parse(this.until);
    return Number.isNaN(end) || Date.parse(ts) <= end;
  }
}

/** The history without its points after `end`, ending there. */
function upTo(history: HistoryResponse, end: number): HistoryResponse {
  const keep = <T extends { ts: string }>(points: T[]) => points.filter((p) => Date.parse(p.ts) <= end);
  const to = Math.min(Date.parse(history.to), end);
  return {
    ...history,
    to: new Date(to).toISOString(),
    total: keep(history.total),
    streams: history.streams && Object.fromEntries(Object.entries(history.streams).map(([id, p]) => [id, keep(p)])),
    chat: history.chat && {
      total: keep(history.chat.total),
      streams: Object.fromEntries(Object.entries(history.chat.streams).map(([id, p]) => [id, keep(p)])),
    },
  };
}
