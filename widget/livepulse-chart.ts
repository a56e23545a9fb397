// <livepulse-chart>: an event's viewers over time (the total as an area, optionally a line per stream),
// drawn from the stream's history and then extended by every live sample.
import {
  AreaSeries,
  ColorType,
  createChart,
  LineSeries,
  LineStyle,
  type TickMarkType,
  type AutoscaleInfo,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { HistoryResponse, SampleMessage } from '../server/wire.ts';
import { sheet, shell, type PropertyDeclarations, type PropertyValues } from './base-element.ts';
import {
  append,
  HIDE_AREA,
  HIDE_LINE,
  historyPoints,
  lastMinutes,
  stepOf,
  toSeconds,
  valueRange,
  type ChartPoint,
  type HideStyle,
} from './chart-data.ts';
import { formatClock, numberFormat } from './format.ts';
import type { LiveChange } from './live-client.ts';
import { LiveElement } from './live-element.ts';
import { findStream } from './live-state.ts';
import { fill, pick } from './words.ts';

const EN = {
  peak: 'Peak',
  chart: 'Viewers: {parts}',
  now: '{n} now',
  peakAt: 'peak {n} at {time}',
  noData: 'no data',
  empty: 'No viewer counts yet',
};
const FR: typeof EN = {
  peak: 'Pic',
  chart: 'Spectateurs : {parts}',
  now: '{n} en ce moment',
  peakAt: 'pic de {n} à {time}',
  noData: 'aucune donnée',
  empty: 'Aucun relevé de spectateurs pour l’instant',
};

const STREAM_COLORS = ['#f97316', '#10b981', '#a855f7', '#ef4444', '#eab308', '#06b6d4'];

/** `rgb(r, g, b)` (what getComputedStyle gives for sRGB colors) with an alpha; other color syntaxes stay opaque. */
function withAlpha(rgb: string, alpha: number): string {
  const [r, g, b] = rgb.match(/[\d.]+/g) ?? [];
  return rgb.startsWith('rgb') ? `rgba(${r},${g},${b},${alpha})` : rgb;
}

/**
 * @summary Live viewers over time: the event's total as an area, optionally one line per stream, the peak marked.
 *
 * @csspart base - The wrapper; carries role="figure" and an aria-label with the current value and the peak.
 * @csspart chart - The chart's container (lightweight-charts draws into it).
 * @csspart empty - "No viewer counts yet" over the chart while it has nothing to draw (once connected; not when refused).
 * @csspart state - The state line above the curve when it is not live: "As of 21:04", offline, the reason there is
 *   no count (no-data), denied, not found. The curve is dimmed unless live, hidden when denied or not found.
 *
 * @cssproperty --livepulse-color - Axis text color (default: inherited).
 * @cssproperty --livepulse-background - Background (default: transparent, for OBS overlays).
 * @cssproperty --livepulse-font - Font family (default: inherited).
 * @cssproperty --livepulse-font-size - Axis text size (default: 12px).
 * @cssproperty --livepulse-accent - Color of the total's line and area (default: #3b82f6).
 * @cssproperty --livepulse-grid - Grid line color (default: the text color, faint).
 * @cssproperty --livepulse-chart-height - Height when the page sets none (default: 300px).
 * @cssproperty --livepulse-series-1 - Color of the first stream's line; --livepulse-series-2 … -6 likewise.
 *
 * @event livepulse-sample - A sample arrived; detail: { event, sample, value } (value = the total).
 * @event livepulse-status - The state or the server's status changed; detail: { event, state, status, lastSampleAt }.
 */
export class LivepulseChart extends LiveElement {
  static override properties: PropertyDeclarations = {
    minutes: { type: Number },
    streams: { type: String },
    zero: { type: Boolean },
  };

  // No fallbacks for color, background, font and padding: an unset variable makes the declaration unset, i.e.
  // inherited (color, font) or initial (transparent, 0), which is the default wanted.
  static override styles = sheet(`
    :host {
      display: block;
      position: relative;
      height: var(--livepulse-chart-height, 300px);
      color: var(--livepulse-color);
      background: var(--livepulse-background);
      font-family: var(--livepulse-font);
      font-size: var(--livepulse-font-size, 12px);
    }
    .base,
    .chart {
      width: 100%;
      height: 100%;
    }
    .state {
      position: absolute;
      top: 0.5em;
      left: 0.5em;
      padding: 0.2em 0.5em;
      background: color-mix(in srgb, currentColor 12%, transparent);
    }
    .state:empty,
    .empty:empty {
      display: none;
    }
    /* Nothing drawn yet: a line in the middle, not a blank box with only the library's logo. */
    .empty {
      position: absolute;
      inset: 0;
      display: grid;
      place-items: center;
      pointer-events: none;
    }
    :host(:not([state='live'])) .chart {
      opacity: 0.6;
    }
    :host([state='denied']) .chart,
    :host([state='not-found']) .chart {
      visibility: hidden;
    }
    /* The library's attribution link (its licence asks for one), moved off the data into the empty corner under the value axis. */
    .chart #tv-attr-logo {
      left: calc(100% + 6px);
      top: calc(100% + 4px);
    }
  `);

  static override shell = shell(
    '<div part="base" class="base" role="figure"><div part="chart" class="chart"></div><div part="state" class="state"></div><div part="empty" class="empty"></div><span class="probe" hidden></span></div>',
  );

  /** Minutes of history to start from (default 180). */
  declare minutes: number;
  /** Also draw a line per stream: empty or "all" for every stream, or a comma-separated list of stream ids. */
  declare streams: string | undefined;
  /** Start the value axis at 0, so a small dip does not look like a crash. */
  declare zero: boolean;

  // Protected for the report page's subclass (widget/pages/report-chart.ts), which adds a screenshot and costs the embed nothing.
  protected chart: IChartApi | null = null;
  private total: ISeriesApi<'Area'> | null = null;
  private lines = new Map<string, ISeriesApi<'Line'>>();
  /** The last point given to each series ('total' or a stream id), to continue from. */
  #last = new Map<string, ChartPoint>();
  #peakLine: IPriceLine | null = null;
  #peak: { value: number; time: number } | null = null;
  #current: number | null = null;
  #step = 10;
  /** `streams` parsed: null for no stream lines, empty for every stream, else the ids to draw. */
  #streamIds: string[] | null = null;

  constructor() {
    super();
    this.minutes = 180;
    this.zero = false;
  }

  protected historyMinutes() {
    return this.minutes > 0 ? this.minutes : 180;
  }

  protected sampleValue(sample: SampleMessage) {
    return sample.total;
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.#destroyChart();
  }

  protected override willUpdate(changed: PropertyValues) {
    if (changed.has('streams')) {
      this.#streamIds =
        this.streams == null
          ? null
          : this.streams
              .split(',')
              .map((s) => s.trim())
              .filter((s) => s && s !== 'all');
    }
  }

  protected override updated(changed: PropertyValues) {
    // (`zero` needs no redraw: the value axis reads it each time it rescales.)
    if (this.chart && (changed.has('streams') || changed.has('locale') || changed.has('minutes'))) {
      // Rare: redraw from scratch with what the shared connection replays.
      this.#destroyChart();
      this.#createChartNow();
      this.resubscribe();
    }
    if (!this.chart) this.#createChartNow();
    // zero: no margin under 0 either, or the axis labels "-2,000" under it; the range itself is valueRange's.
    if (this.zero || changed.has('zero'))
      this.chart?.priceScale('right').applyOptions({ scaleMargins: { top: 0.2, bottom: this.zero ? 0 : 0.1 } });
    super.updated(changed);
  }

  protected receive(change: LiveChange) {
    if (!this.chart) return;
    try {
      if (change.type === 'history') this.#drawHistory(change.history);
      else if (change.type === 'sample') this.#drawSample(change.sample);
      else if (change.type === 'status') {
        this.#step = Math.max(this.#step, change.status.intervalSeconds);
        for (const [id, line] of this.lines) line.applyOptions({ title: this.#label(id) });
      }
    } catch {
      // The chart rejects out-of-order data by throwing; a bad point must cost a point, not the element.
    }
    this.#summarise();
  }

  #createChartNow() {
    const container = this.renderRoot.querySelector<HTMLElement>('.chart');
    const probe = this.renderRoot.querySelector<HTMLElement>('.probe');
    if (!container || !probe) return;
    const style = getComputedStyle(this);
    const text = style.color;
    const grid = style.getPropertyValue('--livepulse-grid').trim() || withAlpha(text, 0.1);
    const accentValue = style.getPropertyValue('--livepulse-accent').trim() || '#3b82f6';
    probe.style.color = accentValue;
    const accent = getComputedStyle(probe).color;
    const locale = this.resolvedLocale;
    const timeLabel = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    // lightweight-charts labels times in UTC; these formatters put them in the viewer's time zone. By
    // TickMarkType: Year, Month, DayOfMonth, Time (and TimeWithSeconds: no seconds, see tickLabel).
    const ticks = [{ year: 'numeric' }, { month: 'short' }, { day: 'numeric', month: 'short' }].map(
      (options) => new Intl.DateTimeFormat(locale, options as Intl.DateTimeFormatOptions),
    );
    const whole = numberFormat(locale);
    this.chart = createChart(container, {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: 'transparent' },
        textColor: text,
        fontFamily: style.fontFamily,
        fontSize: parseFloat(style.fontSize) || 12,
      },
      grid: {
        vertLines: { color: grid },
        horzLines: { color: grid },
      },
      // Wide enough for the attribution link in the corner under it; no label cut in half at the top or bottom.
      rightPriceScale: { borderVisible: false, minimumWidth: 48, entireTextOnly: true },
      timeScale: {
        borderVisible: false,
        // With stream lines, room right of the newest point for their labels ("Main stage"), which would hide it.
        rightOffsetPixels: this.#streamIds ? 90 : undefined,
        timeVisible: true,
        secondsVisible: false,
        tickMarkFormatter: (time: Time, type: TickMarkType) =>
          this.#tickLabel(time as number, (ms) =>
            (type as number) < 3 ? ticks[type].format(ms) : formatClock(locale, ms),
          ),
      },
      localization: {
        locale,
        timeFormatter: (time: Time) => timeLabel.format((time as number) * 1000),
        // Whole numbers, never compact: "6K" on every line of a flat 6,431 (or "1.2M" on one of 1,195,000) says nothing.
        priceFormatter: (price: number) => whole.format(price),
      },
    });
    this.total = this.chart.addSeries(AreaSeries, {
      lineColor: accent,
      topColor: withAlpha(accent, 0.4),
      bottomColor: withAlpha(accent, 0.02),
      lineWidth: 2,
      priceLineVisible: false,
      priceFormat: { type: 'price', precision: 0, minMove: 1 },
      autoscaleInfoProvider: (base: () => AutoscaleInfo | null) => {
        const info = base();
        const range = info?.priceRange;
        return range ? { ...info, priceRange: valueRange(range.minValue, range.maxValue, this.zero) } : info;
      },
    });
    this.#summarise();
  }

  /**
   * A time-axis label, or none: the library centres labels on their tick, so one within half a label of
   * either edge would be cut; and a tick that is not the first count of its minute would repeat the
   * minute ("21:54" four times in a short window), so only the first of each minute is labelled.
   */
  #tickLabel(time: number, format: (ms: number) => string): string {
    // Called by the chart, so there is one.
    const chart = this.chart!;
    const range = chart.timeScale().getVisibleRange();
    if (!range) return '';
    const half =
      (chart.options().layout.fontSize * 3 * ((range.to as number) - (range.from as number))) /
      (chart.timeScale().width() || 1);
    if (time - (range.from as number) < half || (range.to as number) - time < half || time % 60 >= this.#step)
      return '';
    return format(time * 1000);
  }

  #destroyChart() {
    this.chart?.remove();
    this.chart = this.total = this.#peakLine = this.#peak = this.#current = null;
    this.lines.clear();
    this.#last.clear();
  }

  #wanted(id: string): boolean {
    return this.#streamIds !== null && (this.#streamIds.length === 0 || this.#streamIds.includes(id));
  }

  /**
   * A stream's label; none rather than its internal id while the status is not known (an outage). When the
   * event mixes platforms the label names its own ("Main stage · Twitch") unless it already does: the canvas
   * draws text, not a mark, and on a one-platform event the word would only lengthen every label.
   */
  #label(id: string): string {
    const streams = this.status?.streams;
    const stream = findStream(streams, id);
    if (!stream) return '';
    const name = stream.platform === 'twitch' ? 'Twitch' : 'YouTube';
    const mixed = streams!.some((s) => s.platform !== stream.platform);
    // "Twitch co-stream · Twitch" would say it twice, and a long label already covers the newest points.
    return mixed && !stream.label.toLowerCase().includes(name.toLowerCase())
      ? `${stream.label} · ${name}`
      : stream.label;
  }

  #line(id: string): ISeriesApi<'Line'> | null {
    if (!this.chart || !this.#wanted(id)) return null;
    let line = this.lines.get(id);
    if (!line) {
      const n = this.lines.size;
      const color =
        getComputedStyle(this)
          .getPropertyValue(`--livepulse-series-${n + 1}`)
          .trim() || STREAM_COLORS[n % STREAM_COLORS.length];
      line = this.chart.addSeries(LineSeries, {
        color,
        lineWidth: 2,
        title: this.#label(id),
        priceLineVisible: false,
        lastValueVisible: false,
      });
      this.lines.set(id, line);
    }
    return line;
  }

  #drawHistory(whole: HistoryResponse) {
    const history = lastMinutes(whole, this.historyMinutes());
    this.#step = stepOf(history, this.status?.intervalSeconds);
    this.#setSeries('total', this.total, historyPoints(history.total, this.#step, HIDE_AREA));
    for (const [id, points] of Object.entries(history.streams!))
      this.#setSeries(id, this.#line(id), historyPoints(points, this.#step, HIDE_LINE));
    this.#peak = null;
    for (const p of history.total) this.#notePeak(p.max ?? p.viewers, toSeconds(p.ts));
    this.#current = history.total.at(-1)?.viewers ?? null;
    this.chart?.timeScale().fitContent();
  }

  #setSeries(key: string, series: ISeriesApi<'Area' | 'Line'> | null, points: ChartPoint[]) {
    if (!series) return;
    series.setData(points);
    if (points.length) this.#last.set(key, points.at(-1)!);
    else this.#last.delete(key);
  }

  #drawSample(sample: SampleMessage) {
    const time = toSeconds(sample.ts);
    this.#extend('total', this.total, time, sample.total, HIDE_AREA);
    for (const [id, value] of Object.entries(sample.streams)) this.#extend(id, this.#line(id), time, value, HIDE_LINE);
    this.#current = sample.total;
    this.#notePeak(sample.total, time);
  }

  #extend(
    key: string,
    series: ISeriesApi<'Area' | 'Line'> | null,
    time: UTCTimestamp,
    value: number | null,
    hide: HideStyle,
  ) {
    if (!series) return;
    const { restyled, added } = append(this.#last.get(key), time, value, this.#step, hide);
    // update() with the last point's time replaces that point: how the segment into a gap is hidden.
    if (restyled) series.update(restyled);
    for (const point of added) series.update(point);
    if (added.length) this.#last.set(key, added.at(-1)!);
  }

  #notePeak(value: number | null, time: number) {
    if (value === null || (this.#peak && value <= this.#peak.value)) return;
    this.#peak = { value, time };
    const options = {
      price: value,
      color: withAlpha(getComputedStyle(this).color, 0.6),
      lineStyle: LineStyle.Dashed,
      title: pick(this.resolvedLocale, EN, FR).peak,
    };
    if (this.#peakLine) this.#peakLine.applyOptions(options);
    else this.#peakLine = this.total?.createPriceLine(options) ?? null;
  }

  #summarise() {
    const format = numberFormat(this.resolvedLocale);
    const words = pick(this.resolvedLocale, EN, FR);
    const parts = [this.#current === null ? words.noData : fill(words.now, { n: format.format(this.#current) })];
    if (this.#peak)
      parts.push(
        fill(words.peakAt, {
          n: format.format(this.#peak.value),
          time: formatClock(this.resolvedLocale, this.#peak.time * 1000),
        }),
      );
    // Set on the element, not rendered: a new sample must not cost a render.
    this.renderRoot.querySelector('.base')?.setAttribute('aria-label', fill(words.chart, { parts: parts.join(', ') }));
  }

  protected override render() {
    this.setText('state', this.stateText());
    const drawn = this.#last.has('total') || !this.status || this.state === 'denied' || this.state === 'not-found';
    this.setText('empty', drawn ? '' : pick(this.resolvedLocale, EN, FR).empty);
  }
}
