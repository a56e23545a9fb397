// <livepulse-dashboard>: an event on a big screen or a phone: the total, one counter per stream with its
// platform's mark, the chart over a chosen range with its peak, and CSV links. Public events, the admin, or
// ?token= share links.
// Its `state` is its total's (live-state.ts): denied and not-found replace everything with one short line.
// On a landscape screen it never scrolls: more streams than one row of cards holds become a list beside the total
// and the chart, as many rows as its height holds, the smallest streams summed in a last "+N more" row.
import { css, html, LitElement, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import type { HistoryResponse, Platform } from '../../server/wire.ts';
import type { LivepulseSampleDetail, LivepulseStatusDetail } from '../events.ts';
import type { LiveState } from '../live-state.ts';
import { controls } from './controls.ts';
import { formatMinutes, formatNumber, formatTime, t, WINDOWS } from './i18n.ts';
import { platformMark, platformMarkStyles } from './platform-mark.ts';
import { planCards, sumOf, type CardPlan } from './stream-cards.ts';

type StreamCard = { id: string; label: string; platform: Platform };

/** A stage screen or a laptop: the page fits its height (the same query as the styles'). */
const LANDSCAPE = '(orientation: landscape) and (min-width: 900px)';
/** The narrowest card of the row of cards, in rem (the styles' minmax). */
const CARD_REM = 14;

interface Peak {
  value: number;
  at: number;
}

/**
 * @summary The dashboard page of one event.
 * @cssproperty --lp-accent - Colour of the chart's total.
 * @attr state - Read-only, reflected: the total's state (connecting, live, stale, offline, no-data, denied, not-found).
 * @attr layout - Read-only, reflected: 'cards' (a row of cards under the total) or 'list' (a landscape screen with
 *   more streams than one row holds: a list beside the total and the chart).
 */
export class LivepulseDashboard extends LitElement {
  static override properties: PropertyDeclarations = {
    event: { type: String },
    name: { type: String },
    token: { type: String },
    access: { type: String },
    state: { type: String, reflect: true },
    minutes: { state: true },
    streams: { state: true },
    sameReason: { state: true },
    peak: { state: true },
    chat: { state: true },
    layout: { type: String, reflect: true },
    capacity: { state: true },
    moreViewers: { state: true },
  };

  static override styles = [
    controls,
    platformMarkStyles,
    css`
      :host {
        display: block;
        max-width: 110rem;
        margin: 0 auto;
        padding: clamp(0.75rem, 2vw, 2rem);
      }
      h1 {
        font-size: clamp(1.1rem, 2.2vw, 2rem);
        overflow-wrap: anywhere;
      }
      .hero {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        justify-content: space-between;
        gap: 0.5rem 2rem;
        margin: 0.5rem 0 1rem;
      }
      .caption {
        font-size: clamp(0.9rem, 1.6vw, 1.4rem);
        color: var(--lp-muted);
        display: block;
      }
      .total livepulse-counter {
        /* Bounded by the height too: on a 16:9 screen of 720 px the number leaves room for the chart. */
        --livepulse-font-size: clamp(3.5rem, min(13vw, 19vh), 11rem);
        --livepulse-font-weight: 800;
        line-height: 1;
      }
      .peak {
        font-size: clamp(1rem, 2vw, 1.6rem);
        margin: 0;
      }
      .streams {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 14rem), 1fr));
        gap: 0.75rem;
        list-style: none;
        padding: 0;
        margin: 0 0 1rem;
      }
      .streams li {
        min-width: 0;
      }
      .streams .caption {
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .streams livepulse-counter {
        --livepulse-font-size: clamp(2rem, 4.5vw, 3.6rem);
      }
      /* The total and the cards' numbers shrink to their box (livepulse-counter's fit): their boxes may be narrower than the number. */
      .total {
        min-width: 0;
        max-width: 100%;
      }
      .more .value {
        display: block;
        font-size: clamp(2rem, 4.5vw, 3.6rem);
        font-weight: 700;
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
        line-height: 1.1;
      }
      :host(:not([state='live'])) .more .value {
        opacity: 0.5;
      }
      .chart-tools {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        align-items: center;
        gap: 0.5rem 1rem;
        margin: 0 0 0.75rem;
      }
      fieldset {
        border: 0;
        padding: 0;
        margin: 0;
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.4rem;
      }
      legend {
        float: left;
        margin-right: 0.5rem;
        font-weight: 600;
      }
      .seg {
        position: relative;
      }
      .seg input {
        position: absolute;
        opacity: 0;
        inset: 0;
        margin: 0;
      }
      .seg span {
        display: inline-block;
        padding: 0.35rem 0.75rem;
        border: 1px solid var(--lp-border);
        border-radius: 999px;
        cursor: pointer;
      }
      .seg input:checked + span {
        background: var(--lp-accent);
        border-color: var(--lp-accent);
        color: var(--lp-on-accent);
      }
      .seg input:focus-visible + span {
        outline: 3px solid var(--lp-focus);
        outline-offset: 2px;
      }
      /* A landscape screen (a stage screen, a laptop): the page fits its height, the chart takes what is left,
         so its time axis is never below the fold. */
      @media (orientation: landscape) and (min-width: 900px) {
        :host {
          display: flex;
          flex-direction: column;
          min-height: 100vh;
          box-sizing: border-box;
        }
        .chart {
          flex: 1 1 0;
          display: flex;
          flex-direction: column;
          min-height: 16rem;
        }
        .chart livepulse-chart {
          flex: 1 1 0;
          min-height: 10rem;
        }
        .hero {
          margin-bottom: 0.5rem;
        }
        /* More streams than one row of cards: a column of one-line rows beside the total and the chart, which keep
           the width a room reads them at; the rows that do not fit are summed in the last (the element counts them). */
        :host([layout='list']) {
          display: grid;
          grid-template-columns: minmax(0, 1fr) clamp(17rem, 28vw, 30rem);
          grid-template-rows: auto auto minmax(0, 1fr) auto;
          column-gap: clamp(0.75rem, 2vw, 2rem);
          height: 100vh;
          min-height: 0;
        }
        :host([layout='list']) > * {
          grid-column: 1;
        }
        :host([layout='list']) .chart {
          min-height: 12rem;
        }
        :host([layout='list']) .streams {
          grid-column: 2;
          grid-row: 1 / -1;
          grid-template-columns: minmax(0, 1fr);
          align-content: start;
          gap: 0.4rem;
          margin: 0;
          min-height: 0;
          overflow: hidden;
        }
        :host([layout='list']) .streams li {
          display: flex;
          align-items: baseline;
          justify-content: space-between;
          gap: 0.75rem;
          padding: 0.3rem 0.75rem;
        }
        :host([layout='list']) .streams .caption {
          flex: 1 1 auto;
          min-width: 0;
          font-size: clamp(0.95rem, 1.4vw, 1.4rem);
        }
        :host([layout='list']) .streams livepulse-counter {
          flex: none;
          max-width: 65%;
          --livepulse-font-size: clamp(1.3rem, 2.4vw, 2.4rem);
        }
        :host([layout='list']) .streams livepulse-counter::part(state) {
          white-space: nowrap;
          overflow: hidden;
          text-overflow: ellipsis;
        }
        :host([layout='list']) .more .value {
          font-size: clamp(1.3rem, 2.4vw, 2.4rem);
        }
      }
      livepulse-chart {
        --livepulse-chart-height: clamp(220px, 42vh, 560px);
        --livepulse-accent: var(--lp-accent);
        --livepulse-font-size: clamp(11px, 1vw, 15px);
      }
      footer {
        margin-top: 1rem;
      }
      /* On a stage screen the state is said once, under the total, at a size read from the back of a room:
         not again on every card and on the chart while the whole event is late or offline. */
      .total livepulse-counter::part(state) {
        font-size: clamp(1rem, 2.2vw, 1.8rem);
        opacity: 1;
        white-space: normal;
      }
      .streams.same livepulse-counter::part(state),
      :host([state='stale']) .streams livepulse-counter::part(state),
      :host([state='offline']) .streams livepulse-counter::part(state),
      :host(:not([state='live'])) livepulse-chart::part(state) {
        display: none;
      }
      /* Every card out for the total's reason: one quiet word each (the reason is said once, under the total), not an empty box. */
      .out {
        display: block;
        color: var(--lp-muted);
      }
      /* Its counter has no number to show then; it stays connected (display: none keeps its events). */
      .streams li.quiet livepulse-counter {
        display: none;
      }
      .refusal {
        font-size: 1.1rem;
        max-width: 40rem;
      }
    `,
  ];

  /** The event's id. */
  declare event: string;
  /** The event's name, when the server may tell it to this visitor. */
  declare name: string | undefined;
  /** Embed token of a private event (a read-only share link). */
  declare token: string | undefined;
  /** What the server knew when it served the page: 'denied' (private, no valid token) or 'not-found'. */
  declare access: string | undefined;
  /** Read-only, reflected: the state of the event's total. */
  declare state: LiveState;
  declare minutes: number;
  declare streams: StreamCard[];
  /** Read-only, reflected: a row of cards, or a list beside the total and the chart (see the class's doc). */
  declare layout: 'cards' | 'list';
  /** How many rows the list holds (measured); every stream has one when there is room. */
  declare capacity: number;
  /** The sum of the streams in "+N more", or null when none of them has a count. */
  declare moreViewers: number | null;
  /** Which streams have a card, which are summed as "+N more". */
  private plan: CardPlan<StreamCard> = { shown: [], rest: [] };
  /** Each stream's latest count (status, then samples): what "+N more" sums and what decides who is in it. */
  private viewers = new Map<string, number | null>();
  private resized = new ResizeObserver(() => {
    cancelAnimationFrame(this.measureFrame);
    // Not inside the observer's callback: a new layout resizes what it observes.
    this.measureFrame = requestAnimationFrame(() => this.measure());
  });
  private measureFrame = 0;
  declare peak: Peak | null;
  /** The chart also draws chat messages per minute (the "Chat activity" toggle). */
  declare chat: boolean;
  /** Every card has no count for the total's reason: the cards need not repeat it. */
  declare sameReason: boolean;
  /** The no-data reason of the total and of each card (by stream id). */
  private reasons = new Map<string, string | undefined>();

  constructor() {
    super();
    this.minutes = 60;
    this.streams = [];
    this.peak = null;
    this.chat = false;
    this.sameReason = false;
    this.state = 'connecting';
    this.layout = 'cards';
    this.capacity = Infinity;
    this.moreViewers = null;
    this.addEventListener('livepulse-status', (e: CustomEvent<LivepulseStatusDetail>) => {
      // Only a serving status lists the streams: a refusal frame during a restart must not empty the cards.
      if (e.detail.status?.state !== 'ok') return;
      for (const s of e.detail.status.streams) this.viewers.set(s.id, s.status === 'live' ? s.viewers : null);
      const list = e.detail.status.streams.map((s) => ({ id: s.id, label: s.label, platform: s.platform }));
      if (JSON.stringify(list) !== JSON.stringify(this.streams)) this.streams = list;
      this.moreViewers = sumOf(this.plan.rest, this.viewers);
    });
    this.addEventListener('livepulse-sample', (e: CustomEvent<LivepulseSampleDetail>) => {
      const { total, ts, streams } = e.detail.sample;
      if (!this.peak || total > this.peak.value) this.peak = { value: total, at: Date.parse(ts) };
      for (const [id, n] of Object.entries(streams)) this.viewers.set(id, n);
      this.moreViewers = sumOf(this.plan.rest, this.viewers);
    });
  }

  override connectedCallback() {
    super.connectedCallback();
    this.resized.observe(this);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.resized.disconnect();
    cancelAnimationFrame(this.measureFrame);
  }

  /**
   * The layout for the screen (a list when a landscape screen has more streams than one row of cards holds), and
   * in a list, how many rows its height holds: from the rows as drawn, so it follows the fonts and the screen.
   */
  private measure() {
    const landscape = matchMedia(LANDSCAPE).matches;
    const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    const gap = 0.75 * rem;
    const columns = Math.max(1, Math.floor((this.clientWidth + gap) / (CARD_REM * rem + gap)));
    const layout = landscape && this.streams.length > columns ? 'list' : 'cards';
    if (layout !== this.layout) {
      this.layout = layout;
      this.capacity = Infinity;
      return; // measured again once drawn that way (the list's size changes the observed element's)
    }
    if (layout === 'cards') return;
    const list = this.shadowRoot?.querySelector<HTMLElement>('.streams');
    const rows = [...(list?.children ?? [])] as HTMLElement[];
    if (!list || !rows.length) return;
    const rowGap = parseFloat(getComputedStyle(list).rowGap) || 0;
    const row = Math.max(...rows.map((r) => r.offsetHeight));
    const capacity = Math.max(1, Math.floor((list.clientHeight + rowGap) / (row + rowGap)));
    // All rows drawn and all fit: nothing to take away (a larger capacity would change nothing).
    if (capacity !== this.capacity && !(this.plan.rest.length === 0 && capacity >= this.streams.length))
      this.capacity = capacity;
  }

  private query(extra: Record<string, string> = {}) {
    const params = new URLSearchParams(extra);
    if (this.token) params.set('token', this.token);
    return params.toString();
  }

  protected override willUpdate(changed: PropertyValues) {
    if (changed.has('access') && (this.access === 'denied' || this.access === 'not-found')) this.state = this.access;
    if (changed.has('streams') || changed.has('capacity') || changed.has('layout')) {
      this.plan = planCards(this.streams, this.viewers, this.layout === 'list' ? this.capacity : Infinity);
      this.moreViewers = sumOf(this.plan.rest, this.viewers);
    }
    if ((changed.has('minutes') || changed.has('event')) && !this.refused) void this.loadPeak();
  }

  protected override updated(changed: PropertyValues) {
    // New streams, or a layout or row count just drawn: measure what is on screen now.
    if (changed.has('streams') || changed.has('layout') || changed.has('capacity')) {
      cancelAnimationFrame(this.measureFrame);
      this.measureFrame = requestAnimationFrame(() => this.measure());
    }
  }

  private get refused() {
    return this.state === 'denied' || this.state === 'not-found';
  }

  /** The total's state is the page's. */
  private onTotal(e: CustomEvent<LivepulseStatusDetail>) {
    this.state = e.detail.state;
    this.noteReason('', e);
  }

  private noteReason(key: string, e: CustomEvent<LivepulseStatusDetail>) {
    const reason = e.detail.state === 'no-data' ? e.detail.reason : undefined;
    // A row of the list says a quiet word for its own reason: it is drawn again when that changes.
    if (reason !== this.reasons.get(key) && key && this.layout === 'list') this.requestUpdate();
    this.reasons.set(key, reason);
    const total = this.reasons.get('');
    // The streams in "+N more" have no card to say anything.
    this.sameReason = total !== undefined && this.plan.shown.every((s) => this.reasons.get(s.id) === total);
  }

  /** The peak of the whole range, from the history's bucket maxima (the chart alone only sees what it draws). */
  private async loadPeak() {
    const minutes = this.minutes;
    this.peak = null;
    try {
      const res = await fetch(
        `/api/events/${encodeURIComponent(this.event)}/history?${this.query({ minutes: String(minutes) })}`,
        { cache: 'no-store' },
      );
      if (!res.ok) return;
      const history = (await res.json()) as HistoryResponse;
      if (minutes !== this.minutes) return;
      for (const p of history.total) {
        const value = p.max ?? p.viewers;
        if (value !== null && (!this.peak || value > this.peak.value)) this.peak = { value, at: Date.parse(p.ts) };
      }
    } catch {
      // No peak is shown rather than a wrong one; the counters say why the data is missing.
    }
  }

  override render() {
    if (this.refused) {
      // One short line in the page's normal size: no giant counter font, nothing to download.
      return html`<h1>${this.name || 'LivePulse'}</h1>
        <p class="card refusal" role="alert">${t(this.state === 'denied' ? 'dash.denied' : 'dash.notFound')}</p>`;
    }
    const token = this.token || nothing;
    const now = this.state === 'live' || this.state === 'connecting';
    const csv = (path: string) =>
      `/api/events/${encodeURIComponent(this.event)}/${path}?${this.query({ minutes: String(this.minutes) })}`;
    // A new range needs a new connection (its history is sent once, at connect): re-creating every live
    // element at once makes the shared connection close and reopen with the new range.
    const live = keyed(
      this.minutes,
      html`<section class="hero">
          <div class="total">
            <span class="caption">${t(now ? 'dash.viewers' : 'dash.viewersThen')}</span>
            <livepulse-counter event=${this.event} token=${token} @livepulse-status=${this.onTotal}></livepulse-counter>
          </div>
          <p class="peak num">${this.peak ? t('dash.peak', { value: formatNumber(this.peak.value), time: formatTime(this.peak.at) }) : t('dash.noPeak')}</p>
        </section>
        ${
          this.streams.length
            ? html`<ul class="streams ${this.sameReason ? 'same' : ''}" aria-label=${t('dash.streams')}>
              ${this.plan.shown.map((s) => {
                // A one-line row of the list has no room for a reason ("No YouTube API key configured" ran out of
                // it): one quiet word, as every card says when they are all out for the total's reason.
                const reason = this.sameReason
                  ? this.reasons.get('')
                  : this.layout === 'list'
                    ? this.reasons.get(s.id)
                    : undefined;
                const quiet = this.sameReason || reason !== undefined;
                return html`<li class="card ${quiet ? 'quiet' : ''}">
                  <span class="caption">${platformMark(s.platform)}${s.label}</span>
                  <livepulse-counter event=${this.event} token=${token} stream=${s.id} @livepulse-status=${(e: CustomEvent<LivepulseStatusDetail>) => this.noteReason(s.id, e)}></livepulse-counter>
                  ${quiet ? html`<span class="out">${t(reason === 'paused' ? 'status.paused' : 'dock.no-data')}</span>` : nothing}
                </li>`;
              })}
              ${
                this.plan.rest.length
                  ? html`<li class="card more">
                      <span class="caption">${t('dash.more', { n: this.plan.rest.length })}</span>
                      <span class="value">${this.moreViewers === null ? '–' : formatNumber(this.moreViewers)}</span>
                    </li>`
                  : nothing
              }
            </ul>`
            : nothing
        }`,
    );
    const chart = keyed(
      this.minutes,
      html`<livepulse-chart event=${this.event} token=${token} minutes=${this.minutes} streams milestones ?chat=${this.chat}></livepulse-chart>`,
    );
    return html`<h1>${this.name || 'LivePulse'}</h1>
      ${live}
      <section class="card chart" aria-label=${t('dash.chart')}>
        <div class="chart-tools">
        <fieldset>
          <legend>${t('dash.window')}</legend>
          ${WINDOWS.map(
            (m) => html`<label class="seg"
              ><input type="radio" name="window" .value=${String(m)} ?checked=${m === this.minutes} @change=${() => (this.minutes = m)} /><span
                >${formatMinutes(m)}</span
              ></label
            >`,
          )}
        </fieldset>
        <button type="button" class="chat-toggle" aria-pressed=${this.chat ? 'true' : 'false'} @click=${() => (this.chat = !this.chat)}>${t('chart.chat')}</button>
        </div>
        ${chart}
      </section>
      <footer class="row">
        <a class="button" href=${csv('history.csv')} download>${t('dash.csvTotal')}</a>
        <a class="button" href=${csv('streams/history.csv')} download>${t('dash.csvStreams')}</a>
        <a class="button" href=${`/event/${encodeURIComponent(this.event)}/report${this.token ? `?${this.query({})}` : ''}`}>${t('dash.report')}</a>
      </footer>`;
  }
}
