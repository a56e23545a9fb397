// <livepulse-stream-row>: one stream of an event in the admin: its live count, its status in words, its
// platform's mark, title and channel, the source counting it now and why, the channel a link follows, the
// last update, its chat activity's state in words with a switch (YouTube only), its id with a ready snippet
// for a counter of this stream alone, an editable label and a remove button.
import { css, html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import type { StreamInfo } from '../../server/wire.ts';
import { api, messageOf } from './api.ts';
import { controls } from './controls.ts';
import { formatNumber, formatTime, t } from './i18n.ts';
import { PLATFORM_NAMES, platformMark, platformMarkStyles } from './platform-mark.ts';
import { followsText, sourceText } from './stream-source.ts';
import { statusText, statusTone } from './stream-status.ts';

/**
 * @summary A stream of the event being edited.
 * @event livepulse-streams-changed - The stream was renamed or removed; the editor reloads its event.
 */
export class LivepulseStreamRow extends LitElement {
  static override properties: PropertyDeclarations = {
    eventId: { attribute: 'event-id' },
    stream: { attribute: false },
    resumesAt: { attribute: false },
    lastKnown: { attribute: false },
    error: { state: true },
    busy: { state: true },
  };

  static override styles = [
    controls,
    platformMarkStyles,
    css`
      :host {
        display: block;
        padding: 0.75rem 0;
        border-top: 1px solid var(--lp-border);
      }
      .top {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: 0.25rem 1rem;
        align-items: start;
      }
      .viewers {
        font-size: 1.6rem;
        font-weight: 700;
        text-align: end;
        /* Room for 9,999,999 whatever the digits: the row does not shift as the number changes. */
        min-width: 9ch;
      }
      .status {
        display: inline-flex;
        align-items: center;
        gap: 0.4rem;
        font-size: 0.875rem;
        font-weight: 600;
      }
      .dot {
        width: 0.6rem;
        height: 0.6rem;
        border-radius: 50%;
        background: var(--lp-muted);
        flex: none;
      }
      [data-tone='ok'] .dot {
        background: var(--lp-ok);
      }
      [data-tone='warn'] .dot {
        background: var(--lp-warn);
      }
      [data-tone='bad'] {
        color: var(--lp-danger);
      }
      [data-tone='bad'] .dot {
        background: var(--lp-danger);
      }
      /* Last known, not now: dimmed like the widgets' old numbers. */
      .status.old {
        opacity: 0.7;
      }
      .viewers.old {
        opacity: 0.55;
      }
      .meta {
        font-size: 0.875rem;
        margin: 0.2rem 0 0;
        overflow-wrap: anywhere;
      }
      .source {
        font-size: 0.8rem;
        margin: 0.2rem 0 0.5rem;
        overflow-wrap: anywhere;
      }
      details {
        font-size: 0.875rem;
        margin: 0 0 0.5rem;
      }
      .chat {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 1rem;
        align-items: center;
        font-size: 0.875rem;
        margin: 0 0 0.5rem;
      }
      .chat label {
        font-weight: 400;
        display: flex;
        gap: 0.5rem;
        align-items: center;
      }
      textarea {
        width: 100%;
        box-sizing: border-box;
        font: 0.8rem ui-monospace, monospace;
      }
    `,
  ];

  declare eventId: string;
  declare stream: StreamInfo;
  /** When polling resumes after the quota is spent. */
  declare resumesAt: string | null;
  /** The event's numbers are not now's (connection down, counts late): the status and count are the last known. */
  declare lastKnown: boolean;
  declare error: string;
  declare busy: boolean;

  constructor() {
    super();
    this.resumesAt = null;
    this.lastKnown = false;
    this.error = '';
    this.busy = false;
  }

  private get path() {
    return `/api/events/${encodeURIComponent(this.eventId)}/streams/${encodeURIComponent(this.stream.id)}`;
  }

  private async act(run: () => Promise<unknown>) {
    this.busy = true;
    this.error = '';
    try {
      await run();
      this.dispatchEvent(new CustomEvent('livepulse-streams-changed', { bubbles: true, composed: true }));
    } catch (error) {
      this.error = messageOf(error);
    } finally {
      this.busy = false;
    }
  }

  private rename(e: SubmitEvent) {
    e.preventDefault();
    const label = new FormData(e.target as HTMLFormElement).get('label');
    // The server refuses an empty label too (400, field label); said here in the page's words, without a round trip.
    if (typeof label !== 'string' || !label.trim()) {
      this.error = t('stream.labelEmpty');
      return;
    }
    void this.act(() => api('PATCH', this.path, { label }));
  }

  private switchChat(e: Event) {
    const on = (e.target as HTMLInputElement).checked;
    void this.act(() => api('PATCH', this.path, { chat: on }));
  }

  /** The chat's state in the organiser's words (what the server says; 'off' for a server that says nothing). */
  private chatText(): string {
    const s = this.stream;
    if (s.platform === 'twitch') return t('stream.chat.twitch');
    const state = s.chat ?? 'off';
    if (state === 'unavailable')
      return s.chatReason
        ? t('stream.chat.unavailable', { reason: s.chatReason })
        : t('stream.chat.unavailableNoReason');
    // "disabled by the owner" and "members only" say it all: YouTube's own sentence beside them repeated it,
    // with its internal codes ("UNPLAYABLE"), in English on a French page.
    return t(`stream.chat.${state}`);
  }

  private removeStream() {
    if (!confirm(t('stream.confirmRemove', { label: this.stream.label }))) return;
    void this.act(() => api('DELETE', this.path));
  }

  /** What to paste for a counter of this stream alone (a private event also needs the token of the embed section). */
  private snippet(): string {
    return `<script type="module" src="${location.origin}/widget/livepulse-counter.js"></script>\n<livepulse-counter event="${this.eventId}" stream="${this.stream.id}"></livepulse-counter>`;
  }

  override render() {
    const s = this.stream;
    const id = `label-${s.id}`;
    const viewers = s.viewers === null ? '–' : formatNumber(s.viewers);
    // Each thing said once: without a title the row is named by its link (or the channel it follows), which the
    // source line then leaves out.
    const link = streamLink(s);
    const follows = followsText(s);
    const name = s.title ?? link ?? follows ?? PLATFORM_NAMES[s.platform] ?? s.target;
    return html`<div class="top">
        <div>
          <div class="status ${this.lastKnown ? 'old' : ''}" data-tone=${this.lastKnown ? 'quiet' : statusTone(s)}><span class="dot" aria-hidden="true"></span>${this.lastKnown ? t('dock.lastKnown', { status: statusText(s, this.resumesAt) }) : statusText(s, this.resumesAt)}</div>
          <p class="meta">${platformMark(s.platform)}${join([name, s.channelTitle ? t('stream.by', { channel: s.channelTitle }) : null])}</p>
          <p class="source muted">${join([sourceText(s), follows === name ? null : follows, link === name ? null : link, s.updatedAt ? t('stream.updated', { time: formatTime(s.updatedAt) }) : t('stream.neverUpdated')])}</p>
        </div>
        <div class="viewers num ${this.lastKnown ? 'old' : ''}"><span class="sr-only">${t('stream.viewers')}: </span>${viewers}</div>
      </div>
      <div class="chat">
        <span class="chat-state">${this.chatText()}</span>
        ${
          s.platform === 'twitch'
            ? nothing
            : html`<label><input type="checkbox" role="switch" .checked=${(s.chat ?? 'off') !== 'off'} ?disabled=${this.busy} @change=${this.switchChat} />${t('stream.chatSwitch')}</label>`
        }
      </div>
      <details>
        <summary>${t('stream.id')}: <code>${s.id}</code></summary>
        <label for=${`snippet-${s.id}`}>${t('stream.snippet')}</label>
        <textarea id=${`snippet-${s.id}`} readonly rows="2" .value=${this.snippet()} @focus=${(e: FocusEvent) => (e.target as HTMLTextAreaElement).select()}></textarea>
      </details>
      <form class="row edit" @submit=${this.rename}>
        <div class="field grow">
          <label for=${id}>${t('stream.label')}</label>
          <input id=${id} name="label" .value=${s.label} maxlength="200" autocomplete="off" aria-invalid=${this.error ? 'true' : 'false'} @input=${() => (this.error = '')} />
        </div>
        <button type="submit" ?disabled=${this.busy}>${t('stream.save')}</button>
        <button type="button" class="danger" ?disabled=${this.busy} @click=${this.removeStream}>${t('stream.remove')}</button>
      </form>
      <p class="error" role="alert">${this.error}</p>`;
  }
}

/** The watch link of what is counted now: the YouTube video, or the Twitch channel; nothing while a followed channel is offline. */
function streamLink(s: StreamInfo) {
  if (s.videoId) {
    const href = `https://www.youtube.com/watch?v=${encodeURIComponent(s.videoId)}`;
    return html`${t('stream.video')} <a href=${href} target="_blank" rel="noopener noreferrer">${s.videoId}</a>`;
  }
  if (s.login) {
    const href = `https://www.twitch.tv/${encodeURIComponent(s.login)}`;
    return html`<a href=${href} target="_blank" rel="noopener noreferrer">twitch.tv/${s.login}</a>`;
  }
  return null;
}

/** The parts there are, separated by " · ". */
function join(parts: unknown[]) {
  return parts.filter((p) => p !== null && p !== '').map((p, i) => (i ? html` · ${p}` : p));
}
