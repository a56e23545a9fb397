// <livepulse-export-panel>: CSV downloads of an event's history for a chosen range, and export jobs
// for large ranges, followed with a progress bar until the file can be downloaded.
import { css, html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import type { EventInfo, ExportQueued, ExportStatus } from '../../server/wire.ts';
import { api, messageOf } from './api.ts';
import { controls } from './controls.ts';
import { formatMinutes, formatNumber, t, WINDOWS } from './i18n.ts';

const POLL_MS = 1000;

/** @summary Downloads and export jobs of one event. */
export class LivepulseExportPanel extends LitElement {
  static override properties: PropertyDeclarations = {
    event: { attribute: false },
    minutes: { state: true },
    kind: { state: true },
    job: { state: true },
    error: { state: true },
  };

  static override styles = [
    controls,
    css`
      :host {
        display: block;
      }
      h3 {
        margin: 1.25rem 0 0.5rem;
      }
      progress {
        width: 100%;
        height: 0.9rem;
      }
      p {
        font-size: 0.875rem;
        margin: 0.4rem 0;
      }
      .links {
        margin-top: 0.6rem;
      }
    `,
  ];

  declare event: EventInfo;
  declare minutes: number;
  declare kind: 'total' | 'streams';
  declare job: ExportStatus | null;
  declare error: string;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.minutes = 180;
    this.kind = 'total';
    this.job = null;
    this.error = '';
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this.timer);
  }

  private async start() {
    clearTimeout(this.timer);
    this.error = '';
    try {
      const { jobId } = await api<ExportQueued>('POST', `/api/events/${encodeURIComponent(this.event.id)}/export`, {
        type: this.kind,
        minutes: this.minutes,
      });
      await this.follow(jobId);
    } catch (error) {
      this.error = messageOf(error);
    }
  }

  private async follow(jobId: string) {
    try {
      this.job = await api<ExportStatus>('GET', `/api/exports/${encodeURIComponent(jobId)}/status`);
    } catch (error) {
      this.error = messageOf(error);
      return;
    }
    if (this.job.state === 'queued' || this.job.state === 'running')
      this.timer = setTimeout(() => void this.follow(jobId), POLL_MS);
  }

  private jobText(job: ExportStatus): string {
    const rows = formatNumber(job.rowsWritten);
    if (job.state === 'queued') return t('export.queued');
    if (job.state === 'running') return t('export.running', { rows });
    if (job.state === 'done') return t('export.done', { rows });
    return t('export.failed', { error: job.error ?? '?' });
  }

  override render() {
    const base = `/api/events/${encodeURIComponent(this.event.id)}`;
    const job = this.job;
    return html`<div class="card">
      <h2>${t('export.title')}</h2>
      <div class="row">
        <div class="field">
          <label for="range">${t('export.range')}</label>
          <select id="range" @change=${(e: Event) => (this.minutes = Number((e.target as HTMLSelectElement).value))}>
            ${WINDOWS.map((m) => html`<option value=${m} ?selected=${m === this.minutes}>${formatMinutes(m)}</option>`)}
          </select>
        </div>
      </div>
      <div class="row links">
        <a class="button" href="${base}/history.csv?minutes=${this.minutes}" download>${t('export.totalCsv')}</a>
        <a class="button" href="${base}/streams/history.csv?minutes=${this.minutes}" download>${t('export.streamsCsv')}</a>
      </div>
      <h3>${t('export.jobTitle')}</h3>
      <div class="row">
        <div class="field">
          <label for="kind">${t('export.contents')}</label>
          <select id="kind" @change=${(e: Event) => (this.kind = (e.target as HTMLSelectElement).value as 'total' | 'streams')}>
            <option value="total">${t('export.contents.total')}</option>
            <option value="streams">${t('export.contents.streams')}</option>
          </select>
        </div>
        <button type="button" class="primary" @click=${this.start} ?disabled=${job?.state === 'queued' || job?.state === 'running'}>${t('export.start')}</button>
      </div>
      ${
        job
          ? html`<label for="progress" class="sr-only">${t('export.progress')}</label>
            <progress id="progress" max="100" value=${job.percent ?? nothing}></progress>
            <p role="status" class="num">${this.jobText(job)}</p>
            ${job.state === 'done' ? html`<a class="button" href="/api/exports/${encodeURIComponent(job.jobId)}/download" download>${t('export.download')}</a>` : nothing}`
          : nothing
      }
      <p class="error" role="alert">${this.error}</p>
    </div>`;
  }
}
