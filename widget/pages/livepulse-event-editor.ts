// <livepulse-event-editor>: one event in the admin: rename, public/paused switches, delete; its chart with
// the milestones on it; its streams, live from the event's own SSE stream; adding a stream with the server's
// refusal shown at the field; then its embed snippets and downloads.
import { css, html, LitElement, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { EventInfo, SampleMessage, StatusMessage } from '../../server/wire.ts';
import { subscribe, type LiveChange } from '../live-client.ts';
import { api, messageOf } from './api.ts';
import { controls } from './controls.ts';
import { formatNumber, t } from './i18n.ts';
import { LiveFreshness } from './live-freshness.ts';
import { readMilestones } from './milestones-input.ts';

/**
 * The chart comes from the embeds' own bundle (/widget/livepulse.js, 50 KB of chart library), loaded when an
 * event is opened: the admin's bundle stays small, and a browser that has seen an embed has it cached. The
 * price: that bundle has its own live client, so the admin keeps a second connection to the event open.
 */
function loadChart() {
  if (customElements.get('livepulse-chart')) return;
  const url = '/widget/livepulse.js';
  import(/* @vite-ignore */ url).catch(() => {
    // No chart (a stripped deployment, a test page): the rest of the editor works without it.
  });
}

/**
 * @summary The editor of one event.
 * @event livepulse-event-changed - The event was renamed, switched or deleted; detail: the event, or null once deleted.
 */
export class LivepulseEventEditor extends LitElement {
  static override properties: PropertyDeclarations = {
    eventId: { attribute: 'event-id' },
    event: { state: true },
    total: { state: true },
    resumesAt: { state: true },
    addError: { state: true },
    adding: { state: true },
    error: { state: true },
    milestonesError: { state: true },
    chat: { state: true },
  };

  static override styles = [
    controls,
    css`
      :host {
        display: grid;
        gap: 1rem;
      }
      header {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: 1rem;
        align-items: start;
      }
      .total {
        text-align: end;
      }
      .total strong {
        display: block;
        font-size: 2.4rem;
        min-width: 8ch;
      }
      /* The widgets' look for a number that is not now's: dimmed, with its time under it. */
      .total.old strong {
        opacity: 0.55;
      }
      .as-of {
        display: block;
        min-height: 1.2em;
        font-size: 0.85rem;
      }
      .switches {
        display: grid;
        gap: 0.5rem;
        margin: 1rem 0;
      }
      .switches label {
        font-weight: 400;
        display: flex;
        gap: 0.5rem;
        align-items: center;
      }
      input[type='checkbox'] {
        width: 1.1rem;
        height: 1.1rem;
        accent-color: var(--lp-accent);
      }
      .add {
        margin-top: 1rem;
        padding-top: 1rem;
        border-top: 1px solid var(--lp-border);
      }
      .add .url {
        flex: 2 1 16rem;
      }
      .add .label {
        flex: 1 1 10rem;
      }
      ul {
        list-style: none;
        margin: 0.5rem 0 0;
        padding: 0;
      }
      .links {
        margin-top: 0.5rem;
      }
      .chart-head {
        justify-content: space-between;
        align-items: baseline;
      }
      livepulse-chart {
        --livepulse-chart-height: 240px;
        --livepulse-accent: var(--lp-accent);
        display: block;
        min-height: 240px;
      }
    `,
  ];

  declare eventId: string;
  declare event: EventInfo | null;
  declare total: number | null;
  declare resumesAt: string | null;
  declare addError: string;
  declare adding: boolean;
  declare error: string;
  /** What is wrong with the milestones typed, in the page's words; cleared as soon as the field changes. */
  declare milestonesError: string;
  /** The chart also draws chat messages per minute (the "Chat activity" toggle). */
  declare chat: boolean;
  private leave: (() => void) | null = null;
  /** Whether the numbers shown are now's: during an outage they stay, dimmed and dated, as on the widgets. */
  private fresh = new LiveFreshness(this);

  constructor() {
    super();
    this.event = this.total = this.resumesAt = null;
    this.addError = this.error = this.milestonesError = '';
    this.adding = false;
    this.chat = false;
  }

  private get path() {
    return `/api/events/${encodeURIComponent(this.eventId)}`;
  }

  override connectedCallback() {
    super.connectedCallback();
    loadChart();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.leave?.();
    this.leave = null;
  }

  protected override willUpdate(changed: PropertyValues) {
    if (!changed.has('eventId')) return;
    this.leave?.();
    this.event = this.total = null;
    this.addError = this.error = this.milestonesError = '';
    this.fresh.reset();
    void this.reload();
    this.leave = subscribe({ server: `${location.origin}/`, event: this.eventId, minutes: 1 }, (c) => this.live(c));
  }

  private live(change: LiveChange) {
    this.fresh.feed(change);
    if (change.type === 'status') this.onStatus(change.status);
    else if (change.type === 'sample') this.onSample(change.sample);
    else if (change.type === 'link' && change.link === 'not-found' && this.event) this.changed(null);
  }

  private onStatus(status: StatusMessage) {
    this.resumesAt = status.resumesAt ?? null;
    if (this.event) this.event = { ...this.event, streams: status.streams };
  }

  private onSample(sample: SampleMessage) {
    this.total = sample.total;
    if (!this.event) return;
    const streams = this.event.streams.map((s) =>
      s.id in sample.streams ? { ...s, viewers: sample.streams[s.id], updatedAt: sample.ts } : s,
    );
    this.event = { ...this.event, streams };
  }

  private async reload() {
    try {
      const event = await api<EventInfo>('GET', this.path);
      if (event.id === this.eventId) this.event = event;
    } catch (error) {
      this.error = messageOf(error);
    }
  }

  private changed(event: EventInfo | null) {
    this.dispatchEvent(new CustomEvent('livepulse-event-changed', { bubbles: true, composed: true, detail: event }));
  }

  private async patch(body: Partial<Pick<EventInfo, 'name' | 'public' | 'paused' | 'milestones'>>) {
    this.error = '';
    try {
      this.event = await api<EventInfo>('PATCH', this.path, body);
      this.changed(this.event);
    } catch (error) {
      this.error = messageOf(error);
      await this.reload();
    }
  }

  private rename(e: SubmitEvent) {
    e.preventDefault();
    void this.patch({ name: (new FormData(e.target as HTMLFormElement).get('name') as string | null) ?? '' });
  }

  /** Read here, in the page's words ("1,000, 5,000" is two milestones); the server checks the same limits again. */
  private saveMilestones(e: SubmitEvent) {
    e.preventDefault();
    const raw = new FormData(e.target as HTMLFormElement).get('milestones');
    const read = readMilestones(typeof raw === 'string' ? raw : '');
    if (!read.ok) {
      this.milestonesError = t(read.key, read.values);
      return;
    }
    this.milestonesError = '';
    void this.patch({ milestones: read.milestones });
  }

  private async deleteEvent() {
    if (!this.event || !confirm(t('event.confirmDelete', { name: this.event.name }))) return;
    try {
      await api('DELETE', this.path);
      this.changed(null);
    } catch (error) {
      this.error = messageOf(error);
    }
  }

  private async addStream(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const label = ((data.get('label') as string | null) ?? '').trim();
    this.adding = true;
    this.addError = '';
    try {
      await api('POST', `${this.path}/streams`, {
        url: (data.get('url') as string | null) ?? '',
        ...(label ? { label } : {}),
      });
      form.reset();
      await this.reload();
    } catch (error) {
      this.addError = messageOf(error);
      form.querySelector<HTMLInputElement>('#url')?.focus();
    } finally {
      this.adding = false;
    }
  }

  override render() {
    const e = this.event;
    if (!e) return html`<p class="error" role="alert">${this.error}</p>`;
    const id = encodeURIComponent(e.id);
    return html`<section class="card" aria-labelledby="event-title">
        <header>
          <div>
            <h2 id="event-title">${e.name}</h2>
            <div class="row links">
              <a href="/event/${id}/dashboard" target="_blank">${t('event.openDashboard')}</a>
              <a href="/event/${id}/overlay" target="_blank">${t('event.openOverlay')}</a>
              <a href="/event/${id}/report" target="_blank">${t('event.openReport')}</a>
            </div>
          </div>
          <div class="total ${this.fresh.old ? 'old' : ''}">
            <span class="muted">${t(this.fresh.old ? 'event.totalLastKnown' : 'event.totalNow')}</span>
            <strong class="num">${this.total === null ? '–' : formatNumber(this.total)}</strong>
            <span class="as-of muted">${this.fresh.text()}</span>
          </div>
        </header>
        <form class="row" @submit=${this.rename}>
          <div class="field grow">
            <label for="name">${t('event.name')}</label>
            <input id="name" name="name" .value=${e.name} required maxlength="200" autocomplete="off" />
          </div>
          <button type="submit">${t('event.rename')}</button>
          <button type="button" class="danger" @click=${this.deleteEvent}>${t('event.delete')}</button>
        </form>
        <div class="switches">
          <label><input type="checkbox" role="switch" id="public" .checked=${e.public} @change=${(ev: Event) => this.patch({ public: (ev.target as HTMLInputElement).checked })} />${t('event.public')}</label>
          <label><input type="checkbox" role="switch" id="paused" .checked=${e.paused} @change=${(ev: Event) => this.patch({ paused: (ev.target as HTMLInputElement).checked })} />${t('event.paused')}</label>
        </div>
        <form class="row" @submit=${(ev: SubmitEvent) => this.saveMilestones(ev)}>
          <div class="field grow">
            <label for="milestones">${t('event.milestones')}</label>
            <input id="milestones" name="milestones" .value=${(e.milestones ?? []).map(formatNumber).join(', ')} autocomplete="off" aria-invalid=${this.milestonesError ? 'true' : 'false'} aria-describedby="milestones-error" @input=${() => (this.milestonesError = '')} />
          </div>
          <button type="submit">${t('event.saveMilestones')}</button>
        </form>
        <p id="milestones-error" class="error" role="alert">${this.milestonesError}</p>
        <p class="error" role="alert">${this.error}</p>
      </section>
      <section class="card" aria-labelledby="chart-title">
        <div class="row chart-head">
          <h2 id="chart-title">${t('event.chart')}</h2>
          <button type="button" class="chat-toggle" aria-pressed=${this.chat ? 'true' : 'false'} @click=${() => (this.chat = !this.chat)}>${t('chart.chat')}</button>
        </div>
        <livepulse-chart event=${e.id} minutes="180" streams milestones ?chat=${this.chat}></livepulse-chart>
      </section>
      <section class="card" aria-labelledby="streams-title">
        <h2 id="streams-title">${t('event.streams')}</h2>
        ${
          e.streams.length
            ? html`<ul>
              ${e.streams.map((s) => html`<li><livepulse-stream-row event-id=${e.id} .stream=${s} .resumesAt=${this.resumesAt} .lastKnown=${this.fresh.lastKnown(s)} @livepulse-streams-changed=${this.reload}></livepulse-stream-row></li>`)}
            </ul>`
            : html`<p class="muted">${t('event.noStreams')}</p>`
        }
        <form class="row add" @submit=${this.addStream} novalidate>
          <div class="field url">
            <label for="url">${t('event.addUrl')}</label>
            <input id="url" name="url" required autocomplete="off" spellcheck="false" aria-invalid=${this.addError ? 'true' : 'false'} aria-describedby="url-error" />
          </div>
          <div class="field label">
            <label for="label">${t('event.addLabel')}</label>
            <input id="label" name="label" maxlength="200" autocomplete="off" />
          </div>
          <button type="submit" class="primary" ?disabled=${this.adding}>${this.adding ? t('event.adding') : t('event.add')}</button>
        </form>
        <p id="url-error" class="error" role="alert">${this.addError}</p>
      </section>
      <livepulse-embed-snippets .event=${e}></livepulse-embed-snippets>
      <livepulse-export-panel .event=${e}></livepulse-export-panel>
      <livepulse-webhooks-panel .event=${e}></livepulse-webhooks-panel>`;
  }
}
