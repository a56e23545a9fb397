// <livepulse-embed-snippets>: what to paste elsewhere: the counter and chart tags, the OBS overlay URL
// with its recommended size, the read-only dashboard link, the OBS dock and the live data URLs (now.json,
// now.xml, now.csv); with an embed token for a private event. Then the server's /metrics URL.
import { css, html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import type { EmbedToken, EventInfo } from '../../server/wire.ts';
import { api, messageOf } from './api.ts';
import { controls } from './controls.ts';
import { formatTime, t } from './i18n.ts';
import type { MessageKey } from './messages.ts';

type View = 'both' | 'counter' | 'chart';

/** OBS browser-source sizes that fit each overlay view without scaling. */
const OBS_SIZE: Record<View, [number, number]> = { both: [1280, 720], counter: [640, 200], chart: [1280, 400] };

/** @summary The embed snippets of one event, each with a copy button. */
export class LivepulseEmbedSnippets extends LitElement {
  static override properties: PropertyDeclarations = {
    event: { attribute: false },
    token: { state: true },
    expiresAt: { state: true },
    view: { state: true },
    copied: { state: true },
    note: { state: true },
  };

  static override styles = [
    controls,
    css`
      :host {
        display: block;
      }
      .snippet {
        margin-top: 0.9rem;
      }
      .snippet .row {
        align-items: start;
        flex-wrap: nowrap;
      }
      textarea {
        flex: 1;
      }
      p {
        font-size: 0.875rem;
        margin: 0.5rem 0;
      }
    `,
  ];

  declare event: EventInfo;
  declare token: string | null;
  declare expiresAt: string | null;
  declare view: View;
  /** Which snippet was just copied, for the "Copied" status. */
  declare copied: string;
  declare note: string;

  constructor() {
    super();
    this.token = this.expiresAt = null;
    this.view = 'both';
    this.copied = this.note = '';
  }

  // Arrow fields: Lit calls listeners with the host as `this`, but the linter cannot know it.
  private makeToken = async () => {
    this.note = '';
    try {
      const made = await api<EmbedToken>('POST', `/api/events/${encodeURIComponent(this.event.id)}/embed-tokens`);
      this.token = made.token;
      this.expiresAt = made.expiresAt;
    } catch (error) {
      this.note = messageOf(error);
    }
  };

  private rotate = async () => {
    if (!confirm(t('embed.confirmRotate'))) return;
    try {
      await api('POST', `/api/events/${encodeURIComponent(this.event.id)}/embed-key/rotate`);
      this.token = this.expiresAt = null;
      this.note = t('embed.rotated');
    } catch (error) {
      this.note = messageOf(error);
    }
  };

  private async copy(key: string, text: string, area: HTMLTextAreaElement) {
    try {
      await navigator.clipboard.writeText(text);
      this.copied = key;
    } catch {
      area.select();
      this.copied = document.execCommand('copy') ? key : `failed:${key}`;
    }
  }

  private snippet(key: string, labelKey: MessageKey, text: string, rows: number) {
    const id = `snippet-${key}`;
    const status =
      this.copied === key ? t('embed.copied') : this.copied === `failed:${key}` ? t('embed.copyFailed') : '';
    return html`<div class="snippet field">
      <label for=${id}>${t(labelKey)}</label>
      <div class="row">
        <textarea id=${id} readonly rows=${rows} .value=${text} @focus=${(e: FocusEvent) => (e.target as HTMLTextAreaElement).select()}></textarea>
        <button type="button" @click=${(e: Event) => this.copy(key, text, (e.target as HTMLElement).previousElementSibling as HTMLTextAreaElement)}>
          ${t('embed.copy')}<span class="sr-only"> ${t(labelKey)}</span>
        </button>
      </div>
      <span class="muted" role="status">${status}</span>
    </div>`;
  }

  override render() {
    const e = this.event;
    const origin = location.origin;
    const id = encodeURIComponent(e.id);
    const token = e.public ? null : this.token;
    const script = `<script type="module" src="${origin}/widget/livepulse.js"></script>`;
    const tokenAttr = token ? ` token="${token}"` : '';
    const overlay = new URL(`/event/${id}/overlay`, origin);
    overlay.searchParams.set('view', this.view);
    const share = new URL(`/event/${id}/dashboard`, origin);
    const dock = new URL(`/event/${id}/dock`, origin);
    const now = (format: 'json' | 'xml' | 'csv') => new URL(`/api/events/${id}/now.${format}`, origin);
    const data = { json: now('json'), xml: now('xml'), csv: now('csv') };
    if (token) {
      for (const url of [overlay, share, dock, data.json, data.xml, data.csv]) url.searchParams.set('token', token);
    }
    const [width, height] = OBS_SIZE[this.view];
    return html`<div class="card">
      <h2>${t('embed.title')}</h2>
      ${
        e.public
          ? nothing
          : html`<p>${t('embed.privateNote')}</p>
            <div class="row">
              <button type="button" class="primary" @click=${this.makeToken}>${t('embed.makeToken')}</button>
              <button type="button" class="danger" @click=${this.rotate}>${t('embed.rotate')}</button>
            </div>
            ${this.expiresAt ? html`<p class="muted">${t('embed.tokenUntil', { time: formatTime(this.expiresAt) })}</p>` : nothing}`
      }
      <p role="status">${this.note}</p>
      ${
        e.public || token
          ? html`${this.snippet('counter', 'embed.counter', `${script}\n<livepulse-counter event="${e.id}"${tokenAttr}></livepulse-counter>`, 3)}
          ${this.snippet('chart', 'embed.chart', `${script}\n<livepulse-chart event="${e.id}" streams${tokenAttr}></livepulse-chart>`, 3)}
          <div class="snippet field">
            <label for="view">${t('embed.view')}</label>
            <select id="view" .value=${this.view} @change=${(ev: Event) => (this.view = (ev.target as HTMLSelectElement).value as View)}>
              ${(['both', 'counter', 'chart'] as const).map((v) => html`<option value=${v} ?selected=${v === this.view}>${t(`embed.view.${v}`)}</option>`)}
            </select>
          </div>
          ${this.snippet('overlay', 'embed.overlay', overlay.href, 2)}
          <p class="muted">${t('embed.obsSize', { width, height })}</p>
          ${this.snippet('share', 'embed.share', share.href, 2)}
          ${this.snippet('dock', 'embed.dock', dock.href, 2)}
          ${this.snippet('now-json', 'embed.nowJson', data.json.href, 2)}
          ${this.snippet('now-xml', 'embed.nowXml', data.xml.href, 2)}
          ${this.snippet('now-csv', 'embed.nowCsv', data.csv.href, 2)}
          <p class="muted">${t('embed.nowNote', { sep: token ? '&' : '?' })}</p>`
          : nothing
      }
      ${this.snippet('metrics', 'embed.metrics', new URL('/metrics', origin).href, 1)}
    </div>`;
  }
}
