// <livepulse-dock>: an event in an OBS custom browser dock, beside the streamer's scenes: the total, each
// stream's platform, count and status, and the last milestone once there is one; readable at 300 px, dark
// by default.
// Built from <livepulse-counter>, so its numbers and states are the widgets' own (live-state.ts).
import { css, html, LitElement, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { StreamInfo } from '../../server/wire.ts';
import type { LivepulseMilestoneDetail, LivepulseStatusDetail } from '../events.ts';
import type { LiveState } from '../live-state.ts';
import { controls } from './controls.ts';
import { formatNumber, t } from './i18n.ts';
import { platformMark, platformMarkStyles } from './platform-mark.ts';
import { statusText, statusTone } from './stream-status.ts';

/**
 * @summary The OBS dock page of one event.
 * @attr state - Read-only, reflected: the total's state (connecting, live, stale, offline, no-data, denied, not-found).
 * @csspart milestone - The last milestone line (empty, and not shown, while there is none).
 */
export class LivepulseDock extends LitElement {
  static override properties: PropertyDeclarations = {
    event: { type: String },
    name: { type: String },
    token: { type: String },
    access: { type: String },
    milestone: { type: String },
    state: { type: String, reflect: true },
    streams: { state: true },
    resumesAt: { state: true },
  };

  static override styles = [
    controls,
    platformMarkStyles,
    css`
      :host {
        display: block;
        padding: 0.6rem 0.75rem;
        font-size: 15px;
        min-width: 0;
      }
      header {
        display: flex;
        align-items: baseline;
        justify-content: space-between;
        gap: 0.5rem;
      }
      h1 {
        font-size: 0.95rem;
        font-weight: 600;
        color: var(--lp-muted);
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
        min-width: 0;
      }
      .badge {
        flex: none;
        font-size: 0.8rem;
        font-weight: 700;
        text-transform: uppercase;
        letter-spacing: 0.04em;
        padding: 0.1rem 0.45rem;
        border-radius: 999px;
        border: 1px solid currentColor;
      }
      .total livepulse-counter {
        --livepulse-font-size: 3.2rem;
        --livepulse-font-weight: 800;
        --livepulse-state-font-size: 0.95rem;
        display: block;
        margin: 0.15rem 0 0.5rem;
      }
      .total livepulse-counter::part(state) {
        white-space: normal;
        opacity: 1;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        border-top: 1px solid var(--lp-border);
      }
      li {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        align-items: baseline;
        gap: 0 0.5rem;
        padding: 0.4rem 0;
        border-bottom: 1px solid var(--lp-border);
      }
      .label {
        font-weight: 600;
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
      li livepulse-counter {
        --livepulse-font-size: 1.35rem;
        text-align: right;
      }
      /* The status line below says what the card's own state line would, in the admin's words. */
      li livepulse-counter::part(state) {
        display: none;
      }
      .status {
        grid-column: 1 / -1;
        font-size: 0.85rem;
        color: var(--lp-muted);
        overflow-wrap: anywhere;
      }
      .status::before {
        content: '';
        display: inline-block;
        width: 0.55rem;
        height: 0.55rem;
        border-radius: 50%;
        margin-right: 0.35rem;
        background: var(--lp-muted);
      }
      .status.ok::before,
      .badge.live {
        color: var(--lp-ok);
        background: var(--lp-ok);
      }
      .badge.live {
        background: none;
      }
      .status.warn::before,
      .badge.stale,
      .badge.offline {
        color: var(--lp-warn);
        background: var(--lp-warn);
      }
      .badge.stale,
      .badge.offline {
        background: none;
      }
      .status.bad::before {
        background: var(--lp-danger);
      }
      .badge.no-data,
      .badge.connecting {
        color: var(--lp-muted);
      }
      /* The connection is down or the counts are late: each row's status is the last one known, not now. */
      li.old .status {
        opacity: 0.7;
      }
      li.old .status::before {
        background: var(--lp-muted);
      }
      .milestone {
        margin: 0.5rem 0 0;
        font-weight: 600;
      }
      .refusal {
        margin: 0.5rem 0 0;
      }
    `,
  ];

  /** The event's id. */
  declare event: string;
  /** The event's name, when the server may tell it to this visitor. */
  declare name: string | undefined;
  /** Embed token of a private event. */
  declare token: string | undefined;
  /** What the server knew when it served the page: 'denied' (private, no valid token) or 'not-found'. */
  declare access: string | undefined;
  /** The last milestone reached while the dock is open, in words; nothing is shown before the first. */
  declare milestone: string | undefined;
  /** Read-only, reflected: the state of the event's total. */
  declare state: LiveState;
  declare streams: StreamInfo[];
  declare resumesAt: string | undefined;

  constructor() {
    super();
    this.streams = [];
    this.state = 'connecting';
  }

  protected override willUpdate(changed: PropertyValues) {
    if (changed.has('access') && (this.access === 'denied' || this.access === 'not-found')) this.state = this.access;
  }

  /** The total's state is the dock's; its status frame carries every stream's status and label. */
  private onTotal = (e: CustomEvent<LivepulseStatusDetail>) => {
    this.state = e.detail.state;
    // Only a serving status lists the streams: a refusal frame during a restart must not empty the list.
    if (e.detail.status?.state === 'ok') {
      this.streams = e.detail.status.streams;
      this.resumesAt = e.detail.status.resumesAt;
    }
  };

  private onMilestone = (e: CustomEvent<LivepulseMilestoneDetail>) => {
    const m = e.detail.milestone;
    this.milestone = t(m.kind === 'peak' ? 'report.newPeak' : 'report.threshold', { value: formatNumber(m.value) });
  };

  override render() {
    const title = html`<h1 title=${this.name || nothing}>${this.name || 'LivePulse'}</h1>`;
    if (this.state === 'denied' || this.state === 'not-found') {
      return html`${title}
        <p class="refusal" role="alert">${t(this.state === 'denied' ? 'dash.denied' : 'dash.notFound')}</p>`;
    }
    const token = this.token || nothing;
    // Offline: every status shown is the last one known. Late with the connection up: the statuses are fresh, but
    // a "Live" is not borne out by the counts; either way no row claims Live now.
    const old = (s: StreamInfo) => this.state === 'offline' || (this.state === 'stale' && s.status === 'live');
    const status = (s: StreamInfo) =>
      old(s) ? t('dock.lastKnown', { status: statusText(s, this.resumesAt) }) : statusText(s, this.resumesAt);
    return html`<header>${title}<span class="badge ${this.state}">${t(`dock.${this.state}`)}</span></header>
      <div class="total">
        <livepulse-counter event=${this.event} token=${token} @livepulse-status=${this.onTotal} @livepulse-milestone=${this.onMilestone}></livepulse-counter>
      </div>
      ${
        this.streams.length
          ? html`<ul aria-label=${t('dash.streams')}>
            ${this.streams.map(
              (s) => html`<li class=${old(s) ? 'old' : ''}>
                <span class="label" title=${s.label}>${platformMark(s.platform)}${s.label}</span>
                <livepulse-counter event=${this.event} token=${token} stream=${s.id}></livepulse-counter>
                <span class="status ${old(s) ? 'quiet' : statusTone(s)}">${status(s)}</span>
              </li>`,
            )}
          </ul>`
          : nothing
      }
      ${this.milestone ? html`<p class="milestone" part="milestone">${this.milestone}</p>` : nothing}`;
  }
}
