// <livepulse-report-chart>: <livepulse-chart> with a screenshot, for the report's "download as PNG" button.
// A subclass in the pages' bundle, so the embeds (livepulse.js) do not carry a method only the report uses.
import { LivepulseChart } from '../livepulse-chart.ts';

export class LivepulseReportChart extends LivepulseChart {
  /** The chart as drawn (lightweight-charts' own screenshot); null before it is drawn. */
  screenshot(): HTMLCanvasElement | null {
    return this.chart?.takeScreenshot() ?? null;
  }
}
