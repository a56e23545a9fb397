// <livepulse-admin>: the admin app: banners about where the numbers come from, the quota gauge, the
// list of events with a create form, and the editor of the event named in the URL's hash.
import { css, html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import type { EventInfo, Health, QuotaInfo, YoutubeSource } from '../../server/wire.ts';
import { api, messageOf } from './api.ts';
import { controls } from './controls.ts';
import { t } from './i18n.ts';

const QUOTA_EVERY_MS = 15_000;

/** @summary The whole admin page; needs the admin session (the server sends visitors without one to /login). */
export class LivepulseAdmin extends LitElement {
  static override properties: PropertyDeclarations = {
    events: { state: true },
    selected: { state: true },
    quota: { state: true },
    youtube: { state: true },
    error: { state: true },
    createError: { state: true },
  };

  static override styles = [
    controls,
    css`
      :host {
        display: block;
        max-width: 80rem;
        margin: 0 auto;
        padding: 1rem;
      }
      .top {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: 1rem;
        margin-bottom: 1rem;
      }
      h1 {
        font-size: 1.4rem;
      }
      .banner {
        background: var(--lp-warn-bg);
        color: var(--lp-text);
        border: 1px solid var(--lp-warn);
        border-radius: var(--lp-radius);
        padding: 0.75rem 1rem;
        margin: 0 0 1rem;
      }
      .layout {
        display: grid;
        grid-template-columns: minmax(16rem, 20rem) minmax(0, 1fr);
        gap: 1rem;
        align-items: start;
      }
      @media (max-width: 50rem) {
        .layout {
          grid-template-columns: minmax(0, 1fr);
        }
      }
      aside {
        display: grid;
        gap: 1rem;
      }
      nav ul {
        list-style: none;
        padding: 0;
        margin: 0.5rem 0 1rem;
      }
      nav a {
        display: flex;
        justify-content: space-between;
        gap: 0.5rem;
        padding: 0.45rem 0.6rem;
        border-radius: calc(var(--lp-radius) - 2px);
        color: var(--lp-text);
        text-decoration: none;
      }
      nav a:hover {
        background: var(--lp-bg);
      }
      nav a[aria-current='page'] {
        background: var(--lp-bg);
        font-weight: 700;
        box-shadow: inset 3px 0 0 var(--lp-accent);
      }
      nav .muted {
        font-size: 0.8rem;
        font-weight: 400;
      }
    `,
  ];

  declare events: EventInfo[];
  declare selected: string;
  declare quota: QuotaInfo | null;
  declare youtube: YoutubeSource | null;
  declare error: string;
  declare createError: string;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly onHash = () => (this.selected = decodeURIComponent(location.hash.slice(1)));

  constructor() {
    super();
    this.events = [];
    this.quota = this.youtube = null;
    this.error = this.createError = '';
    this.selected = '';
  }

  override connectedCallback() {
    super.connectedCallback();
    document.title = t('admin.title');
    this.onHash();
    addEventListener('hashchange', this.onHash);
    void this.loadEvents();
    void this.loadQuota();
    void api<Health>('GET', '/api/health')
      .then((h) => (this.youtube = h.youtube))
      .catch(() => {});
    this.timer = setInterval(() => void this.loadQuota(), QUOTA_EVERY_MS);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    removeEventListener('hashchange', this.onHash);
    clearInterval(this.timer);
  }

  private async loadEvents() {
    try {
      this.events = await api<EventInfo[]>('GET', '/api/events');
      this.error = '';
    } catch (error) {
      this.error = t('admin.loadFailed', { message: messageOf(error) });
    }
  }

  private async loadQuota() {
    this.quota = await api<QuotaInfo>('GET', '/api/quota').catch(() => this.quota);
  }

  private async create(e: SubmitEvent) {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    this.createError = '';
    try {
      const event = await api<EventInfo>('POST', '/api/events', {
        name: (new FormData(form).get('name') as string | null) ?? '',
      });
      form.reset();
      await this.loadEvents();
      location.hash = encodeURIComponent(event.id);
    } catch (error) {
      this.createError = messageOf(error);
    }
  }

  private onEventChanged(e: CustomEvent<EventInfo | null>) {
    void this.loadQuota();
    if (e.detail === null) {
      history.replaceState(null, '', location.pathname + location.search);
      this.selected = '';
    }
    void this.loadEvents();
  }

  private async logout() {
    await api('POST', '/api/auth/logout').catch(() => {});
    location.assign('/login');
  }

  override render() {
    const selected = this.events.find((e) => e.id === this.selected);
    return html`<header class="top">
        <h1>${t('admin.title')}</h1>
        <button type="button" @click=${this.logout}>${t('admin.logout')}</button>
      </header>
      ${this.youtube === 'none' ? html`<p class="banner" role="status">${t('admin.noKey')}</p>` : nothing}
      ${this.youtube === 'innertube' ? html`<p class="banner" role="status">${t('admin.innertube')}</p>` : nothing}
      ${this.youtube === 'simulator' ? html`<p class="banner" role="status">${t('admin.simulator')}</p>` : nothing}
      <p class="error" role="alert">${this.error}</p>
      <div class="layout">
        <aside>
          <nav class="card" aria-labelledby="events-title">
            <h2 id="events-title">${t('admin.events')}</h2>
            ${
              this.events.length
                ? html`<ul>
                  ${this.events.map(
                    (e) => html`<li>
                      <a href="#${encodeURIComponent(e.id)}" aria-current=${e.id === this.selected ? 'page' : 'false'}>
                        <span>${e.name}</span><span class="muted">${e.public ? t('admin.public') : t('admin.private')}</span>
                      </a>
                    </li>`,
                  )}
                </ul>`
                : html`<p class="muted">${t('admin.noEvents')}</p>`
            }
            <form class="row" @submit=${this.create}>
              <div class="field grow">
                <label for="new-name">${t('admin.newEvent')}</label>
                <input id="new-name" name="name" required maxlength="200" autocomplete="off" aria-describedby="create-error" />
              </div>
              <button type="submit" class="primary">${t('admin.create')}</button>
            </form>
            <p id="create-error" class="error" role="alert">${this.createError}</p>
          </nav>
          ${
            // InnerTube spends no Data API units: a gauge of them would suggest a budget that does not apply.
            this.youtube === 'innertube'
              ? nothing
              : html`<livepulse-quota-gauge .quota=${this.quota}></livepulse-quota-gauge>`
          }
        </aside>
        <main>
          ${
            selected
              ? html`<livepulse-event-editor event-id=${selected.id} @livepulse-event-changed=${this.onEventChanged}></livepulse-event-editor>`
              : html`<p class="card muted">${t('admin.pick')}</p>`
          }
        </main>
      </div>`;
  }
}
