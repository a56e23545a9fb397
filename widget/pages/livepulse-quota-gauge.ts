// <livepulse-quota-gauge>: today's YouTube quota use against the budget, when it resets, and the
// polling interval the server stretched to make it last.
import { css, html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import type { QuotaInfo } from '../../server/wire.ts';
import { controls } from './controls.ts';
import { formatNumber, formatSeconds, formatTime, t } from './i18n.ts';

/**
 * @summary The quota gauge of the admin page.
 * @cssproperty --lp-accent - The filled part of the gauge.
 */
export class LivepulseQuotaGauge extends LitElement {
  static override properties: PropertyDeclarations = { quota: { attribute: false } };

  static override styles = [
    controls,
    css`
      :host {
        display: block;
      }
      meter {
        width: 100%;
        height: 0.9rem;
        margin: 0.4rem 0;
      }
      p {
        margin: 0;
        font-size: 0.875rem;
      }
      .warn {
        color: var(--lp-danger);
        font-weight: 600;
      }
    `,
  ];

  /** The latest GET /api/quota answer. */
  declare quota: QuotaInfo | null;

  constructor() {
    super();
    this.quota = null;
  }

  override render() {
    const q = this.quota;
    if (!q) return nothing;
    const reset = formatTime(q.resetAt);
    return html`<div class="card">
      <h2>${t('quota.title')}</h2>
      <label for="gauge">${t('quota.used')}</label>
      <meter id="gauge" min="0" max=${q.budget} value=${Math.min(q.used, q.budget)} high=${q.budget * 0.8} optimum="0"></meter>
      <p class="muted num">
        ${t('quota.detail', { used: formatNumber(q.used), budget: formatNumber(q.budget), reset, interval: Number.isFinite(q.intervalSeconds) ? formatSeconds(q.intervalSeconds) : '–' })}
      </p>
      ${q.exhausted ? html`<p class="warn" role="status">${t('quota.exhausted', { reset })}</p>` : nothing}
    </div>`;
  }
}
