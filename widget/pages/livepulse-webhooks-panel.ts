// <livepulse-webhooks-panel>: an event's webhooks in the admin: add one (its secret shown once, to copy
// into the receiver), see each one's last deliveries, send a test, delete.
import { css, html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import type { EventInfo, WebhookDelivery, WebhookEventType, WebhookInfo } from '../../server/wire.ts';
import { api, messageOf } from './api.ts';
import { controls } from './controls.ts';
import { formatTime, t } from './i18n.ts';

const TYPES: WebhookEventType[] = ['stream.live', 'stream.ended', 'stream.unavailable', 'quota.exhausted', 'milestone'];

/** @summary The webhooks of one event. */
export class LivepulseWebhooksPanel extends LitElement {
  static override properties: PropertyDeclarations = {
    event: { attribute: false },
    hooks: { state: true },
    secret: { state: true },
    error: { state: true },
  };

  static override styles = [
    controls,
    css`
      :host {
        display: block;
      }
      ul {
        list-style: none;
        padding: 0;
        margin: 0.5rem 0;
      }
      li {
        border-top: 1px solid var(--lp-border);
        padding: 0.5rem 0;
      }
      .url {
        font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
        font-size: 0.8rem;
        overflow-wrap: anywhere;
      }
      p,
      .deliveries {
        font-size: 0.875rem;
        margin: 0.3rem 0;
      }
      fieldset {
        border: 0;
        padding: 0;
        margin: 0.5rem 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 1rem;
      }
      p[role='alert'] {
        color: var(--lp-danger);
      }
      .secret {
        font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
        overflow-wrap: anywhere;
      }
    `,
  ];

  declare event: EventInfo;
  declare hooks: WebhookInfo[];
  /** The secret of the webhook just made: shown once. */
  declare secret: string;
  declare error: string;

  constructor() {
    super();
    this.hooks = [];
    this.secret = this.error = '';
  }

  override connectedCallback() {
    super.connectedCallback();
    void this.load();
  }

  private path = () => `/api/events/${encodeURIComponent(this.event.id)}/webhooks`;

  private load = async () => {
    try {
      this.hooks = (await api<{ webhooks: WebhookInfo[] }>('GET', this.path())).webhooks;
    } catch (error) {
      this.error = messageOf(error);
    }
  };

  private add = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    this.error = this.secret = '';
    try {
      const made = await api<WebhookInfo & { secret: string }>('POST', this.path(), {
        url: data.get('url'),
        kind: data.get('kind'),
        on: data.getAll('on'),
      });
      this.secret = made.secret;
      form.reset();
      await this.load();
    } catch (error) {
      this.error = messageOf(error);
    }
  };

  private act = async (method: 'POST' | 'DELETE', path: string) => {
    this.error = '';
    try {
      await api(method, path);
      // A test delivery is sent within a second: show its outcome then.
      setTimeout(() => void this.load(), method === 'POST' ? 1500 : 0);
    } catch (error) {
      this.error = messageOf(error);
    }
  };

  private delivery(d: WebhookDelivery) {
    const outcome =
      d.state === 'done'
        ? t('hooks.delivered', { status: d.lastStatus ?? '' })
        : d.state === 'failed'
          ? t('hooks.failed', { error: d.lastError ?? '' })
          : d.attempts
            ? t('hooks.retrying', { error: d.lastError ?? '' })
            : t('hooks.pending');
    return html`<div>${formatTime(d.createdAt)} · ${d.type} · ${outcome}</div>`;
  }

  override render() {
    return html`<div class="card">
      <h2>${t('hooks.title')}</h2>
      <p class="muted">${t('hooks.note')}</p>
      <ul>
        ${this.hooks.map(
          (h) => html`<li>
            <div class="url">${h.url}</div>
            <p>${h.kind} · ${h.on.join(', ')}</p>
            <div class="deliveries muted">${h.deliveries?.length ? h.deliveries.slice(0, 3).map((d) => this.delivery(d)) : t('hooks.none')}</div>
            <div class="row">
              <button type="button" @click=${() => this.act('POST', `/api/webhooks/${encodeURIComponent(h.id)}/test`)}>${t('hooks.test')}</button>
              <button type="button" class="danger" @click=${() => this.act('DELETE', `/api/webhooks/${encodeURIComponent(h.id)}`)}>${t('hooks.delete')}</button>
            </div>
          </li>`,
        )}
      </ul>
      ${this.secret ? html`<p role="status">${t('hooks.secret')} <span class="secret">${this.secret}</span></p>` : nothing}
      <form @submit=${this.add}>
        <div class="field">
          <label for="hook-url">${t('hooks.url')}</label>
          <input id="hook-url" name="url" type="url" required placeholder="https://discord.com/api/webhooks/…" />
        </div>
        <div class="field">
          <label for="hook-kind">${t('hooks.kind')}</label>
          <select id="hook-kind" name="kind">
            <option value="discord">Discord</option>
            <option value="slack">Slack</option>
            <option value="json">JSON</option>
          </select>
        </div>
        <fieldset>
          <legend>${t('hooks.on')}</legend>
          ${TYPES.map((type) => html`<label><input type="checkbox" name="on" value=${type} ?checked=${type !== 'milestone'} /> ${t(`hooks.type.${type}`)}</label>`)}
        </fieldset>
        <button type="submit" class="primary">${t('hooks.add')}</button>
      </form>
      <p role="alert">${this.error}</p>
    </div>`;
  }
}
