// <livepulse-report>: the post-event report of one event: its totals (peak and when, average, viewer-
// minutes, live time), the curve, a table per stream, in the page's language; laid out to print on A4 or
// Letter, with the chart downloadable as a PNG for slides. The figures are the stats route's.
import {
  css,
  html,
  LitElement,
  nothing,
  type PropertyDeclarations,
  type PropertyValues,
  type TemplateResult,
} from 'lit';
import type { MilestoneMessage, Platform, Stats, StatsResponse } from '../../server/wire.ts';
import type { LivepulseReportChart } from './report-chart.ts';
import { resolveLocale } from '../format.ts';
import { notableMilestones } from '../milestone-markers.ts';
import { controls } from './controls.ts';
import { formatDuration, formatNumber, t } from './i18n.ts';
import { platformMark, platformMarkStyles } from './platform-mark.ts';

type Load = 'loading' | 'ready' | 'failed' | 'denied' | 'not-found';

const locale = () => resolveLocale(document.documentElement, undefined);

const percent = (share: number | null) =>
  share === null ? '–' : new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: 1 }).format(share);

const whole = (n: number | null) => (n === null ? '–' : formatNumber(Math.round(n)));

/**
 * @summary The printable report of one event, from its stats.
 * @attr state - Read-only, reflected: loading, ready, failed, denied, not-found.
 */
export class LivepulseReport extends LitElement {
  static override properties: PropertyDeclarations = {
    event: { type: String },
    name: { type: String },
    token: { type: String },
    from: { type: String },
    to: { type: String },
    minutes: { type: Number },
    labels: { type: String },
    access: { type: String },
    state: { type: String, reflect: true },
    stats: { state: true },
    milestones: { state: true },
    chat: { state: true },
    error: { state: true },
    asOf: { state: true },
    running: { state: true },
  };

  static override styles = [
    controls,
    platformMarkStyles,
    css`
      :host {
        display: block;
        /* The width of A4 and Letter paper inside their margins: the screen shows the page as it prints. */
        max-width: 182mm;
        margin: 0 auto;
        padding: 1.5rem 1rem 3rem;
      }
      header {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        align-items: start;
        gap: 0.75rem 1.5rem;
        margin-bottom: 1rem;
      }
      h1 {
        font-size: 1.6rem;
        overflow-wrap: anywhere;
      }
      .kicker,
      .window {
        color: var(--lp-muted);
        margin: 0.2rem 0 0;
      }
      .as-of {
        margin: 0.2rem 0 0;
        font-size: 0.9rem;
      }
      .kicker {
        text-transform: uppercase;
        letter-spacing: 0.06em;
        font-size: 0.8rem;
        font-weight: 600;
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      .totals {
        display: grid;
        grid-template-columns: repeat(4, minmax(0, 1fr));
        gap: 0.6rem;
        margin: 0 0 1rem;
        padding: 0;
      }
      .totals div {
        margin: 0;
        /* The figures shrink with their card rather than wrap: 1,186,876 stays on one line on paper. */
        container-type: inline-size;
      }
      dt {
        font-size: 0.8rem;
        color: var(--lp-muted);
      }
      dd {
        margin: 0.2rem 0 0;
        font-size: min(1.6rem, 16cqi);
        white-space: nowrap;
        font-weight: 700;
        font-variant-numeric: tabular-nums;
        line-height: 1.15;
      }
      dd small {
        display: block;
        white-space: normal;
        font-size: 0.8rem;
        font-weight: 400;
        color: var(--lp-muted);
      }
      section {
        margin-bottom: 1rem;
      }
      h2 {
        margin-bottom: 0.5rem;
      }
      .chart-head {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        align-items: baseline;
        gap: 0.5rem;
      }
      /* A finished event is never "live": the chart's dimming and its "As of …" line are for live screens. */
      livepulse-report-chart::part(chart) {
        opacity: 1;
      }
      livepulse-report-chart::part(state) {
        display: none;
      }
      livepulse-report-chart {
        --livepulse-chart-height: 75mm;
        --livepulse-accent: var(--lp-accent);
        color: var(--lp-text);
      }
      table {
        width: 100%;
        border-collapse: collapse;
        font-size: 0.9rem;
      }
      th,
      td {
        padding: 0.35rem 0.4rem;
        border-bottom: 1px solid var(--lp-border);
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      td {
        white-space: nowrap;
      }
      th:first-child,
      td:first-child {
        text-align: left;
        white-space: normal;
        min-width: 7em;
        overflow-wrap: break-word;
      }
      thead th {
        font-size: 0.8rem;
        color: var(--lp-muted);
        font-weight: 600;
      }
      tfoot td {
        font-weight: 700;
        border-bottom: none;
        border-top: 2px solid var(--lp-text);
      }
      .milestones ol {
        margin: 0;
        padding: 0;
        list-style: none;
        columns: 2;
        font-size: 0.9rem;
      }
      .milestones li {
        break-inside: avoid;
        padding: 0.1rem 0;
        /* A long line ("Nouveau pic : 13 220 spectateurs") wraps under itself, not under the time. */
        display: flex;
        gap: 0.3em;
      }
      .milestones time {
        flex: none;
        min-width: 5.5em;
        color: var(--lp-muted);
        font-variant-numeric: tabular-nums;
      }
      .method,
      footer {
        font-size: 0.75rem;
        color: var(--lp-muted);
      }
      @media (max-width: 40rem) {
        .totals {
          grid-template-columns: repeat(2, minmax(0, 1fr));
        }
      }
      @media print {
        :host {
          padding: 0;
        }
        .actions,
        .chat-toggle {
          display: none;
        }
        .card,
        tr,
        .totals {
          break-inside: avoid;
        }
        .totals {
          grid-template-columns: repeat(4, minmax(0, 1fr));
        }
        /* Letter is 18 mm shorter than A4: a slightly flatter curve and tighter cards keep one page on both. */
        livepulse-report-chart {
          --livepulse-chart-height: 62mm;
        }
        .card {
          padding: 0.6rem 0.8rem;
        }
        section,
        .totals {
          margin-bottom: 0.6rem;
        }
      }
    `,
  ];

  declare event: string;
  declare name: string;
  declare token: string | undefined;
  declare from: string;
  declare to: string;
  /** How far back the chart reaches (from the report's start to now). */
  declare minutes: number;
  /** The streams' labels and platforms, as JSON [[id, label, platform], …] in the event's order. */
  declare labels: string;
  /** What the server already knows: "denied" or "not-found". */
  declare access: string | undefined;
  declare state: Load;
  declare stats: StatsResponse | null;
  declare milestones: MilestoneMessage[];
  /** The chart also draws chat messages per minute (the "Chat activity" toggle; printed as shown). */
  declare chat: boolean;
  declare error: string;
  /**
   * When the figures were taken (the stats' server time, within the window): the chart stops there too, so the
   * peak on the card, on the curve and in the milestones is one. '' until the stats are loaded.
   */
  declare asOf: string;
  /** The window reaches the time the figures were taken: the event is running, its report is of "as of" then. */
  declare running: boolean;

  constructor() {
    super();
    this.event = '';
    this.name = '';
    this.from = '';
    this.to = '';
    this.minutes = 180;
    this.labels = '[]';
    this.state = 'loading';
    this.stats = null;
    this.milestones = [];
    this.chat = false;
    this.error = '';
    this.asOf = '';
    this.running = false;
  }

  protected override willUpdate(changed: PropertyValues) {
    if (changed.has('access') && (this.access === 'denied' || this.access === 'not-found')) this.state = this.access;
    else if ((changed.has('event') || changed.has('from') || changed.has('to')) && this.event) void this.load();
  }

  private query(): string {
    const q = new URLSearchParams({ from: this.from, to: this.to });
    if (this.token) q.set('token', this.token);
    return q.toString();
  }

  private async load() {
    this.state = 'loading';
    try {
      const res = await fetch(`/api/events/${encodeURIComponent(this.event)}/stats?${this.query()}`, {
        cache: 'no-store',
      });
      const body = (await res.json()) as StatsResponse | { error: { message: string } };
      if ('error' in body) {
        this.state = res.status === 401 ? 'denied' : res.status === 404 ? 'not-found' : 'failed';
        this.error = body.error.message;
        return;
      }
      this.stats = body;
      // The server's clock (the Date header), not the browser's: the chart's samples are stamped by the server.
      const served = Date.parse(res.headers.get('date') ?? '');
      const to = Date.parse(this.to);
      this.asOf = new Date(Number.isNaN(served) ? to : Math.min(to, served)).toISOString();
      // A running event's window ends at the next whole minute after now (report-window.ts).
      this.running = !Number.isNaN(served) && to >= served - 60_000;
      // Every threshold, and of the new peaks (one a minute while a crowd grows) only the record: what the chart marks.
      this.milestones = notableMilestones(await this.loadMilestones());
      this.state = 'ready';
    } catch (e) {
      this.error = (e as Error).message;
      this.state = 'failed';
    }
  }

  /** The milestones of the window; none rather than a failure when they cannot be read. */
  private async loadMilestones(): Promise<MilestoneMessage[]> {
    try {
      const res = await fetch(`/api/events/${encodeURIComponent(this.event)}/milestones?${this.query()}`, {
        cache: 'no-store',
      });
      return res.ok ? ((await res.json()) as { milestones: MilestoneMessage[] }).milestones : [];
    } catch {
      return [];
    }
  }

  /** One long-ish date-time for the window's ends; the time alone within the same day. */
  private when(iso: string, timeOnly = false): string {
    const options: Intl.DateTimeFormatOptions = timeOnly
      ? { timeStyle: 'short' }
      : { dateStyle: 'medium', timeStyle: 'short' };
    return new Intl.DateTimeFormat(locale(), options).format(new Date(iso));
  }

  private get sameDay(): boolean {
    return new Date(this.from).toDateString() === new Date(Date.parse(this.to) - 1).toDateString();
  }

  private peakTime(s: Stats): string {
    return s.peak.ts ? this.when(s.peak.ts, this.sameDay) : '–';
  }

  /** The chart as a PNG on the page's surface colour (a transparent PNG vanishes on a dark slide). */
  private downloadPng() {
    const chart = this.renderRoot.querySelector<LivepulseReportChart>('livepulse-report-chart');
    const shot = chart?.screenshot?.();
    if (!shot) return;
    const canvas = document.createElement('canvas');
    canvas.width = shot.width;
    canvas.height = shot.height;
    const g = canvas.getContext('2d');
    if (!g) return;
    g.fillStyle = getComputedStyle(this).getPropertyValue('--lp-surface').trim() || '#ffffff';
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.drawImage(shot, 0, 0);
    canvas.toBlob((blob) => {
      if (!blob) return;
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `livepulse-${this.event}-chart.png`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    }, 'image/png');
  }

  private row(label: string | TemplateResult, s: Stats, share: number | null) {
    // A stream never counted in the window has no viewer-minutes, share or live time to speak of: "–",
    // not a 0 that reads as "nobody watched" (a hidden count or a channel that never resolved).
    const counted = s.liveSeconds > 0;
    return html`<td>${label}</td>
      <td>${whole(s.peak.viewers)}</td>
      <td>${this.peakTime(s)}</td>
      <td>${whole(s.average)}</td>
      <td>${whole(counted ? s.viewerMinutes : null)}</td>
      <td>${percent(counted ? share : null)}</td>
      <td>${counted ? formatDuration(s.liveSeconds) : '–'}</td>`;
  }

  override render() {
    const title = html`<h1>${this.name || 'LivePulse'}</h1>`;
    if (this.state === 'denied' || this.state === 'not-found') {
      return html`${title}
        <p class="card" role="alert">${t(this.state === 'denied' ? 'dash.denied' : 'dash.notFound')}</p>`;
    }
    const s = this.stats;
    let labels: [string, string, Platform?][] = [];
    try {
      labels = JSON.parse(this.labels) as [string, string, Platform?][];
    } catch {
      // No labels: the table shows stream ids.
    }
    const label = new Map(labels.map(([id, text, platform]) => [id, html`${platformMark(platform)}${text}`]));
    const csv = `/api/events/${encodeURIComponent(this.event)}/stats.csv?${this.query()}`;
    return html`<header>
        <div>
          <p class="kicker">${t('report.title')}</p>
          ${title}
          <p class="window">${t('report.window', { from: this.when(this.from), to: this.when(this.to, this.sameDay) })}</p>
          ${this.running ? html`<p class="as-of">${t('report.asOf', { time: this.when(this.asOf, this.sameDay) })}</p>` : nothing}
        </div>
        <div class="actions">
          <button type="button" @click=${() => this.downloadPng()}>${t('report.png')}</button>
          <button type="button" @click=${() => window.print()}>${t('report.print')}</button>
          <a class="button" href=${csv} download>${t('report.csv')}</a>
        </div>
      </header>
      ${
        s
          ? html`<dl class="totals">
              <div class="card">
                <dt>${t('report.peak')}</dt>
                <dd>${whole(s.total.peak.viewers)}<small>${s.total.peak.ts ? t('report.peakAt', { time: this.peakTime(s.total) }) : t('report.none')}</small></dd>
              </div>
              <div class="card"><dt>${t('report.average')}</dt><dd>${whole(s.total.average)}</dd></div>
              <div class="card"><dt>${t('report.viewerMinutes')}</dt><dd>${whole(s.total.liveSeconds > 0 ? s.total.viewerMinutes : null)}</dd></div>
              <div class="card"><dt>${t('report.liveTime')}</dt><dd>${s.total.liveSeconds > 0 ? formatDuration(s.total.liveSeconds) : '–'}</dd></div>
            </dl>`
          : html`<p class="card" role=${this.state === 'failed' ? 'alert' : nothing}>${this.state === 'failed' ? t('report.failed', { message: this.error }) : t('report.loading')}</p>`
      }
      <section class="card" aria-label=${t('report.chart')}>
        <div class="chart-head">
          <h2>${t('report.chart')}</h2>
          <button type="button" class="chat-toggle" aria-pressed=${this.chat ? 'true' : 'false'} @click=${() => (this.chat = !this.chat)}>${t('chart.chat')}</button>
        </div>
        ${
          this.state === 'loading'
            ? nothing
            : html`<livepulse-report-chart event=${this.event} token=${this.token || nothing} minutes=${this.minutes} until=${this.asOf || this.to} streams milestones ?chat=${this.chat}></livepulse-report-chart>`
        }
      </section>
      ${
        this.milestones.length
          ? html`<section class="card milestones">
              <h2>${t('report.milestones')}</h2>
              <ol>
                ${this.milestones.map(
                  (m) =>
                    html`<li><time datetime=${m.ts}>${this.when(m.ts, this.sameDay)}</time> ${t(m.kind === 'peak' ? 'report.newPeak' : 'report.threshold', { value: formatNumber(m.value) })}</li>`,
                )}
              </ol>
            </section>`
          : nothing
      }
      ${
        s
          ? html`<section class="card">
              <h2>${t('report.streams')}</h2>
              <table>
                <thead>
                  <tr>
                    <th scope="col">${t('report.stream')}</th>
                    <th scope="col">${t('report.peak')}</th>
                    <th scope="col">${t('report.peakTime')}</th>
                    <th scope="col">${t('report.average')}</th>
                    <th scope="col">${t('report.viewerMinutes')}</th>
                    <th scope="col">${t('report.share')}</th>
                    <th scope="col">${t('report.liveTime')}</th>
                  </tr>
                </thead>
                <tbody>
                  ${Object.entries(s.streams).map(([id, st]) => html`<tr>${this.row(label.get(id) || id, st, st.share)}</tr>`)}
                </tbody>
                <tfoot>
                  <tr>${this.row(t('report.total'), s.total, s.total.viewerMinutes > 0 ? 1 : null)}</tr>
                </tfoot>
              </table>
            </section>`
          : nothing
      }
      <p class="method">${t('report.method')}</p>
      <footer>${t('report.generated', { time: this.when(new Date().toISOString()) })}</footer>`;
  }
}
