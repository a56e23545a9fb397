// <livepulse-chart>: an event's viewers over time (the total as an area, optionally a line per stream),
// drawn from the stream's history and then extended by every live sample.
import {
  AreaSeries,
  ColorType,
  createChart,
  createSeriesMarkers,
  HistogramSeries,
  LineSeries,
  LineStyle,
  MismatchDirection,
  type TickMarkType,
  type AutoscaleInfo,
  type IChartApi,
  type IPriceLine,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import type { ChatPoint, HistoryResponse, MilestoneMessage, SampleMessage } from '../server/wire.ts';
import { sheet, shell, type PropertyDeclarations, type PropertyValues } from './base-element.ts';
import {
  append,
  HIDE_AREA,
  HIDE_LINE,
  historyPoints,
  largest,
  lastMinutes,
  shorten,
  stepOf,
  toSeconds,
  valueRange,
  type ChartPoint,
  type HideStyle,
} from './chart-data.ts';
import { formatClock, numberFormat } from './format.ts';
import { apiUrl, defaultServer, type LiveChange } from './live-client.ts';
import { LiveElement } from './live-element.ts';
import { findStream } from './live-state.ts';
import { milestoneKey, milestoneMarkers } from './milestone-markers.ts';
import { fill, pick } from './words.ts';

const EN = {
  peak: 'Peak',
  chart: 'Viewers: {parts}',
  now: '{n} now',
  peakAt: 'peak {n} at {time}',
  noData: 'no data',
  chat: 'chat/min',
  chatNow: '{n} chat messages a minute',
  empty: 'No viewer counts yet',
};
const FR: typeof EN = {
  peak: 'Pic',
  chat: 'chat/min',
  chatNow: '{n} messages de chat par minute',
  chart: 'Spectateurs : {parts}',
  now: '{n} en ce moment',
  peakAt: 'pic de {n} à {time}',
  noData: 'aucune donnée',
  empty: 'Aucun relevé de spectateurs pour l’instant',
};

const STREAM_COLORS = ['#f97316', '#10b981', '#a855f7', '#ef4444', '#eab308', '#06b6d4'];
/**
 * Stream lines named on the value axis at most (the biggest): the library stacks the names on the right edge, and
 * past a handful they are a pile no one reads (and past 6 the colours repeat). The others are thin and unnamed.
 */
const NAMED_LINES = 5;
/**
 * Past this many lines, a line under a tenth of the total is not named either: it runs along the bottom of the
 * pane with the other small ones, and their names, pushed apart by the library, fell off the pane's bottom edge.
 */
const FEW_LINES = 3;
const SMALL_SHARE = 0.1;
/**
 * A stream's label on its line, in characters, at most (its platform's name may follow): the library draws the
 * name as a box on the value axis that grows leftwards over the plot, and a 200-character label was a bar across
 * the whole chart. 24 keeps "Open Source Summit 2026…" readable and, with " · YouTube", within about a third of
 * a 600 px overlay's plot; the whole label is on the cards and in the admin.
 */
const LABEL_CHARACTERS = 24;

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
 * @cssproperty --livepulse-marker - Color of the milestone markers and their labels (default: the text color).
 * @cssproperty --livepulse-chat - Color of the chat activity bars (default: the text color, faint).
 *
 * @event livepulse-sample - A sample arrived; detail: { event, sample, value } (value = the total).
 * @event livepulse-status - The state or the server's status changed; detail: { event, state, status, lastSampleAt }.
 */
export class LivepulseChart extends LiveElement {
  static override properties: PropertyDeclarations = {
    minutes: { type: Number },
    streams: { type: String },
    zero: { type: Boolean },
    milestones: { type: Boolean },
    chat: { type: Boolean },
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
  /** Mark the milestones on the timeline: each threshold reached ("10K") and the record peak ("Peak 15,413"). */
  declare milestones: boolean;
  /** Also draw chat messages per minute, as bars on a scale of their own (left), never the viewers' scale. */
  declare chat: boolean;

  // Protected for the report page's subclass (widget/pages/report-chart.ts), which adds a screenshot and costs the embed nothing.
  protected chart: IChartApi | null = null;
  private total: ISeriesApi<'Area'> | null = null;
  private lines = new Map<string, ISeriesApi<'Line'>>();
  /** The last point given to each series ('total' or a stream id), to continue from. */
  #last = new Map<string, ChartPoint>();
  #peakLine: IPriceLine | null = null;
  private chatBars: ISeriesApi<'Histogram'> | null = null;
  /** The event's chat minutes (history, then live), kept whether drawn or not: the toggle draws them at once. */
  #chatPoints: ChatPoint[] = [];
  private markers: ISeriesMarkersPluginApi<Time> | null = null;
  /** The event's milestones seen so far (the window's list, then live ones), by milestoneKey. */
  #milestones = new Map<string, MilestoneMessage>();
  /** The first point's time, in seconds: no marker before it. */
  #fromSeconds = 0;
  #peak: { value: number; time: number } | null = null;
  #current: number | null = null;
  #step = 10;
  /** `streams` parsed: null for no stream lines, empty for every stream, else the ids to draw. */
  #streamIds: string[] | null = null;

  constructor() {
    super();
    this.minutes = 180;
    this.zero = false;
    this.milestones = false;
    this.chat = false;
  }

  protected historyMinutes() {
    return this.minutes > 0 ? this.minutes : 180;
  }

  /** Whether a milestone of the list reached at `ts` is marked: all of them here; the report's chart stops at its end. */
  protected drawsMilestoneAt(ts: string) {
    return ts !== '';
  }

  protected sampleValue(sample: SampleMessage) {
    return sample.total;
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    for (const m of this.#media) m.removeEventListener('change', this.#restyle);
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
    else if (changed.has('chat')) this.#drawChat();
    if (this.chart && changed.has('milestones')) {
      if (this.milestones) void this.#loadMilestones();
      this.#drawMarkers();
    }
    // The room under the curve is valueRange's (never under 0), not the library's bottom margin; a new `zero` rescales.
    if (changed.has('zero')) this.chart?.priceScale('right').applyOptions({ scaleMargins: { top: 0.2, bottom: 0 } });
    super.updated(changed);
  }

  protected receive(change: LiveChange) {
    if (!this.chart) return;
    try {
      if (change.type === 'history') this.#drawHistory(change.history);
      else if (change.type === 'sample') this.#drawSample(change.sample);
      else if (change.type === 'chat') this.#addChat({ ts: change.chat.ts, messages: change.chat.total });
      else if (change.type === 'milestone') {
        this.#milestones.set(milestoneKey(change.milestone), change.milestone);
        this.#drawMarkers();
      } else if (change.type === 'status') {
        this.#step = Math.max(this.#step, change.status.intervalSeconds);
        this.#nameLines();
      }
    } catch {
      // The chart rejects out-of-order data by throwing; a bad point must cost a point, not the element.
    }
    this.#summarise();
  }

  /** The colours the page gives the chart now (they change with the colour scheme, and on paper). */
  #colors() {
    const style = getComputedStyle(this);
    const text = style.color;
    const probe = this.renderRoot.querySelector<HTMLElement>('.probe')!;
    probe.style.color = style.getPropertyValue('--livepulse-accent').trim() || '#3b82f6';
    const accent = getComputedStyle(probe).color;
    return {
      text,
      grid: style.getPropertyValue('--livepulse-grid').trim() || withAlpha(text, 0.1),
      area: { lineColor: accent, topColor: withAlpha(accent, 0.4), bottomColor: withAlpha(accent, 0.02) },
    };
  }

  /**
   * Colours are given to the library once, as values: when the page's change (dark to light, screen to paper,
   * where a dark theme's pale labels would print grey on white), they are given again.
   */
  #restyle = () => {
    if (!this.chart || !this.total) return;
    const { text, grid, area } = this.#colors();
    this.chart.applyOptions({
      layout: { textColor: text },
      grid: { vertLines: { color: grid }, horzLines: { color: grid } },
    });
    this.total.applyOptions(area);
    this.#drawChat();
    this.#drawPeakLine();
    this.#drawMarkers();
  };

  #media = ['print', '(prefers-color-scheme: dark)'].map((q) => matchMedia(q));

  override connectedCallback() {
    super.connectedCallback();
    for (const m of this.#media) m.addEventListener('change', this.#restyle);
  }

  #createChartNow() {
    const container = this.renderRoot.querySelector<HTMLElement>('.chart');
    const probe = this.renderRoot.querySelector<HTMLElement>('.probe');
    if (!container || !probe) return;
    const style = getComputedStyle(this);
    const { text, grid, area } = this.#colors();
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
      rightPriceScale: {
        borderVisible: false,
        minimumWidth: 48,
        entireTextOnly: true,
        scaleMargins: { top: 0.2, bottom: 0 },
      },
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
        // No count is below 0: the scale's bottom margin would otherwise label "-4,000" under a line near 0.
        priceFormatter: (price: number) => (price < 0 ? '' : whole.format(price)),
      },
    });
    this.total = this.chart.addSeries(AreaSeries, {
      ...area,
      lineWidth: 2,
      priceLineVisible: false,
      priceFormat: { type: 'price', precision: 0, minMove: 1 },
      autoscaleInfoProvider: this.#autoscale,
    });
    this.markers = createSeriesMarkers(this.total, [], { zOrder: 'aboveSeries' });
    this.#drawChat();
    this.#summarise();
  }

  /** Every series on the value axis scales through valueRange: the union of their ranges never reaches under 0. */
  #autoscale = (base: () => AutoscaleInfo | null): AutoscaleInfo | null => {
    const info = base();
    const range = info?.priceRange;
    return range ? { ...info, priceRange: valueRange(range.minValue, range.maxValue, this.zero) } : info;
  };

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
    this.chart = this.total = this.#peakLine = this.#peak = this.#current = this.markers = this.chatBars = null;
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
    const suffix = mixed && !stream.label.toLowerCase().includes(name.toLowerCase()) ? ` · ${name}` : '';
    return shorten(stream.label, LABEL_CHARACTERS) + suffix;
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
        title: '',
        priceLineVisible: false,
        lastValueVisible: false,
        autoscaleInfoProvider: this.#autoscale,
      });
      this.lines.set(id, line);
      this.#nameLines();
    }
    return line;
  }

  /**
   * Names the biggest lines (their latest values) and leaves the others thin and unnamed. Decided when the history
   * is drawn, a line is added or the status changes, not on every sample: names must not hop between lines.
   */
  #nameLines() {
    const latest = new Map([...this.lines.keys()].map((id) => [id, this.#last.get(id)?.value]));
    const named = largest(latest, NAMED_LINES);
    const total = this.#last.get('total')?.value;
    if (this.lines.size > FEW_LINES && total)
      for (const id of named) if ((latest.get(id) ?? 0) < total * SMALL_SHARE) named.delete(id);
    for (const [id, line] of this.lines)
      line.applyOptions(named.has(id) ? { title: this.#label(id), lineWidth: 2 } : { title: '', lineWidth: 1 });
  }

  #drawHistory(whole: HistoryResponse) {
    const history = lastMinutes(whole, this.historyMinutes());
    this.#step = stepOf(history, this.status?.intervalSeconds);
    this.#setSeries('total', this.total, historyPoints(history.total, this.#step, HIDE_AREA));
    for (const [id, points] of Object.entries(history.streams!))
      this.#setSeries(id, this.#line(id), historyPoints(points, this.#step, HIDE_LINE));
    this.#nameLines();
    this.#peak = null;
    for (const p of history.total) this.#notePeak(p.max ?? p.viewers, toSeconds(p.ts));
    this.#drawPeakLine();
    this.#current = history.total.at(-1)?.viewers ?? null;
    const chatFrom = Date.parse(whole.to) - this.historyMinutes() * 60_000;
    this.#chatPoints = (whole.chat?.total ?? []).filter((p) => Date.parse(p.ts) >= chatFrom);
    this.#drawChat();
    // A marker before the first point would be drawn on it: none before the curve starts.
    this.#fromSeconds = history.total.length ? toSeconds(history.total[0].ts) : Infinity;
    this.chart?.timeScale().fitContent();
    // A history starts a connection (first, or after a long absence): the window's list replaces what was known.
    this.#milestones.clear();
    this.#drawMarkers();
    if (this.milestones) void this.#loadMilestones();
  }

  /** The milestones of the drawn window (GET …/milestones); live ones join as they come. None when it cannot be read. */
  async #loadMilestones() {
    if (!this.event) return;
    try {
      const url = apiUrl(this.server || defaultServer(), this.event, 'milestones', {
        minutes: String(this.historyMinutes()),
        token: this.token || undefined,
      });
      const res = await fetch(url, { cache: 'no-store' });
      if (!res.ok) return;
      const { milestones } = (await res.json()) as { milestones: MilestoneMessage[] };
      for (const m of milestones) if (this.drawsMilestoneAt(m.ts)) this.#milestones.set(milestoneKey(m), m);
    } catch {
      return; // the curve stands without its markers
    }
    this.#drawMarkers();
  }

  #drawMarkers() {
    if (!this.markers) return;
    const style = getComputedStyle(this);
    const markers = milestoneMarkers(this.milestones ? this.#milestones.values() : [], {
      fromSeconds: this.#fromSeconds,
      locale: this.resolvedLocale,
      peakWord: pick(this.resolvedLocale, EN, FR).peak,
      color: style.getPropertyValue('--livepulse-marker').trim() || style.color,
      peak: this.#peak,
      snap: (t) => this.#pointAt(t),
    });
    this.markers.setMarkers(markers);
    this.#roomForLabels(markers, parseFloat(style.fontSize) || 12);
  }

  /** The time of the drawn point at or before `seconds` (its bucket), or `seconds` when there is none. */
  #pointAt(seconds: number): number {
    const index = this.chart?.timeScale().timeToIndex(seconds as UTCTimestamp, true);
    if (index == null || !this.total) return seconds;
    // The index found is the first point at or after the moment; the one before it holds the moment.
    let point = this.total.dataByIndex(index, MismatchDirection.NearestLeft);
    if (point && (point.time as number) > seconds)
      point = this.total.dataByIndex(index - 1, MismatchDirection.NearestLeft);
    return point ? (point.time as number) : seconds;
  }

  /**
   * A marker's label is centred on its point and the pane cuts what passes its edges: "Peak 15,413" on the
   * newest point of a rising curve, "5K" on the first count. Past the newest point the chart keeps that room
   * (its right offset, in pixels, as with the stream lines' labels, and kept as the curve moves on); before the
   * first, the visible range starts a little earlier.
   */
  #roomForLabels(markers: { time: UTCTimestamp; text?: string }[], fontSize: number) {
    const scale = this.chart?.timeScale();
    const range = scale?.getVisibleLogicalRange();
    const width = scale?.width();
    if (!scale || !range || !width || !markers.length) return;
    const half = (m: { text?: string }) => (m.text ?? '').length * fontSize * 0.3 + 4;
    const last = markers.at(-1)!;
    const x = scale.timeToCoordinate(last.time);
    if (x !== null && x + half(last) > width) {
      const right = Math.ceil(Math.max(half(last), this.#streamIds ? 90 : 0));
      if (right > (scale.options().rightOffsetPixels ?? 0)) {
        scale.applyOptions({ rightOffsetPixels: right });
        // The library turns the new pixels into bars at its default bar spacing, not the one fitted: fit again.
        scale.fitContent();
      }
    }
    const fitted = scale.getVisibleLogicalRange() ?? range;
    const first = markers[0];
    const firstIndex = scale.timeToIndex(first.time, true);
    const perPixel = (fitted.to - fitted.from) / width;
    const from = firstIndex === null ? fitted.from : firstIndex - half(first) * perPixel;
    if (from < fitted.from) scale.setVisibleLogicalRange({ from, to: fitted.to });
  }

  #setSeries(key: string, series: ISeriesApi<'Area' | 'Line'> | null, points: ChartPoint[]) {
    if (!series) return;
    series.setData(points);
    if (points.length) this.#last.set(key, points.at(-1)!);
    else this.#last.delete(key);
  }

  #drawSample(sample: SampleMessage) {
    const time = toSeconds(sample.ts);
    this.#fromSeconds = Math.min(this.#fromSeconds, time);
    this.#extend('total', this.total, time, sample.total, HIDE_AREA);
    for (const [id, value] of Object.entries(sample.streams)) this.#extend(id, this.#line(id), time, value, HIDE_LINE);
    this.#current = sample.total;
    if (this.#notePeak(sample.total, time)) {
      this.#drawPeakLine();
      this.#drawMarkers();
    }
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

  /** True when `value` is a new peak. */
  #notePeak(value: number | null, time: number): boolean {
    if (value === null || (this.#peak && value <= this.#peak.value)) return false;
    this.#peak = { value, time };
    return true;
  }

  /**
   * The peak's level as a dashed line, with no label on the value axis (it covered the axis's own labels): the
   * peak's marker names it on the curve.
   */
  #drawPeakLine() {
    if (!this.#peak) return;
    const options = {
      price: this.#peak.value,
      color: withAlpha(getComputedStyle(this).color, 0.6),
      lineStyle: LineStyle.Dashed,
      axisLabelVisible: false,
    };
    if (this.#peakLine) this.#peakLine.applyOptions(options);
    else this.#peakLine = this.total?.createPriceLine(options) ?? null;
  }

  /**
   * Where a chat minute's bar goes: on the first drawn moment of that minute, so the bars add no moments of their
   * own to the time axis (it has one slot per moment, and would stop being linear); the minute itself when the
   * curve has none in it (a gap).
   */
  #chatTime(ts: string): UTCTimestamp {
    const start = toSeconds(ts);
    const index = this.chart?.timeScale().timeToIndex(start, true);
    const point = index == null || !this.total ? null : this.total.dataByIndex(index, MismatchDirection.NearestRight);
    const time = point ? (point.time as number) : null;
    return (time !== null && time >= start && time < start + 60 ? time : start) as UTCTimestamp;
  }

  #chatBar(p: ChatPoint) {
    return { time: this.#chatTime(p.ts), value: p.messages };
  }

  /** The chat bars, drawn or taken away as `chat` says; their own scale on the left, from 0. */
  #drawChat() {
    if (!this.chart) return;
    if (!this.chat) {
      if (this.chatBars) this.chart.removeSeries(this.chatBars);
      this.chatBars = null;
      this.chart.applyOptions({ leftPriceScale: { visible: false } });
      this.#summarise();
      return;
    }
    const style = getComputedStyle(this);
    const color = style.getPropertyValue('--livepulse-chat').trim() || withAlpha(style.color, 0.35);
    this.chatBars ??= this.chart.addSeries(HistogramSeries, {
      priceScaleId: 'left',
      color,
      title: pick(this.resolvedLocale, EN, FR).chat,
      priceLineVisible: false,
      priceFormat: { type: 'price', precision: 0, minMove: 1 },
    });
    this.chatBars.applyOptions({ color });
    // The bars keep to the lower part of the pane: the curve, its markers and the peak stay readable above.
    this.chart.applyOptions({
      leftPriceScale: { visible: true, borderVisible: false, minimumWidth: 40, scaleMargins: { top: 0.6, bottom: 0 } },
    });
    const bars = this.#chatPoints.map((p) => this.#chatBar(p));
    // One bar a moment, in time order (two minutes on one moment cannot happen: a minute's moment is inside it).
    this.chatBars.setData(bars.filter((b, i) => i === 0 || b.time > bars[i - 1].time));
    this.#summarise();
  }

  #addChat(point: ChatPoint) {
    if (this.#chatPoints.some((p) => p.ts === point.ts)) return;
    this.#chatPoints.push(point);
    if (this.chat && this.chatBars) this.chatBars.update(this.#chatBar(point));
    this.#summarise();
  }

  #summarise() {
    const format = numberFormat(this.resolvedLocale);
    const words = pick(this.resolvedLocale, EN, FR);
    const parts = [this.#current === null ? words.noData : fill(words.now, { n: format.format(this.#current) })];
    const chatNow = this.#chatPoints.at(-1);
    if (this.chat && chatNow) parts.push(fill(words.chatNow, { n: format.format(chatNow.messages) }));
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
