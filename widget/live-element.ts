// What every LivePulse element shares: the connection attributes, one subscription to the shared live
// client kept in step with them, the reflected `state`, and the livepulse-sample/livepulse-status events.
import { LitElement, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { SampleMessage, StatusMessage } from '../server/wire.ts';
import type { LivepulseSampleDetail, LivepulseStatusDetail } from './events.ts';
import { formatClock, resolveLocale } from './format.ts';
import { defaultServer, subscribe, type LiveChange, type LiveState } from './live-client.ts';
import { fill, wordsFor } from './words.ts';

export abstract class LiveElement extends LitElement {
  static override properties: PropertyDeclarations = {
    server: { type: String },
    event: { type: String },
    token: { type: String },
    locale: { type: String },
    state: { type: String, reflect: true },
  };

  /** The LivePulse server's URL; defaults to the server this script was loaded from. */
  declare server: string | undefined;
  /** The event's id. */
  declare event: string | undefined;
  /** Embed token, needed for a private event. */
  declare token: string | undefined;
  /** BCP 47 language tag for numbers and times; defaults to the page's `lang`, then the browser's language. */
  declare locale: string | undefined;
  /** Read-only, reflected: connecting, live, stale, offline, not_allowed or not_found. */
  declare state: LiveState;

  protected status: StatusMessage | null = null;
  protected lastSampleAt: number | null = null;
  private unsubscribe: (() => void) | null = null;
  private subscribedTo = '';

  constructor() {
    super();
    this.state = 'connecting';
  }

  /** Minutes of history the element needs when it connects. */
  protected abstract historyMinutes(): number;
  /** Draws one change from the live client. */
  protected abstract receive(change: LiveChange): void;
  /** What the element shows for a sample, reported in `livepulse-sample`. */
  protected abstract sampleValue(sample: SampleMessage): number | null;

  protected get resolvedLocale(): string | undefined {
    return resolveLocale(this, this.locale);
  }

  /** The line that says why the data is not live: connecting, "Updated 14:32", offline, not allowed, not found. */
  protected stateText(): string {
    const words = wordsFor(this.resolvedLocale);
    if (this.state === 'live') return '';
    if (this.state === 'stale') return this.lastSampleAt ? fill(words.updated, { time: formatClock(this.resolvedLocale, this.lastSampleAt) }) : words.noRecent;
    return words[this.state];
  }

  override connectedCallback() {
    super.connectedCallback();
    // Subscribing happens in updated(), after a render: the element has drawn its shell by then.
    this.requestUpdate();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.subscribedTo = '';
  }

  protected override updated(changed: PropertyValues) {
    // Only when what the subscription is keyed on changed: the counter updates on every frame of its tween.
    if (this.subscribedTo && !changed.has('server') && !changed.has('event') && !changed.has('token')) return;
    // After the update, not inside it: what the client replays at once changes properties again.
    queueMicrotask(() => this.syncSubscription());
  }

  /** Subscribes afresh to get everything replayed; joins before leaving so the shared connection stays open. */
  protected resubscribe() {
    const leave = this.unsubscribe;
    this.unsubscribe = null;
    this.subscribedTo = '';
    this.syncSubscription();
    leave?.();
  }

  private syncSubscription() {
    if (!this.isConnected) return;
    const server = this.server || defaultServer();
    const key = JSON.stringify([server, this.event, this.token]);
    if (key === this.subscribedTo) return;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.subscribedTo = key;
    if (!this.event) {
      this.onChange({ type: 'state', state: 'not_found', lastSampleAt: null });
      return;
    }
    this.unsubscribe = subscribe(
      { server, event: this.event, token: this.token || undefined, minutes: this.historyMinutes() },
      (change) => this.onChange(change),
    );
  }

  private onChange(change: LiveChange) {
    if (change.type === 'status') this.status = change.status;
    if (change.type === 'state') {
      this.state = change.state;
      this.lastSampleAt = change.lastSampleAt;
    }
    this.receive(change);
    if (change.type === 'sample') {
      this.emit<LivepulseSampleDetail>('livepulse-sample', { event: this.event ?? '', sample: change.sample, value: this.sampleValue(change.sample) });
    } else if (change.type !== 'history') {
      this.emit<LivepulseStatusDetail>('livepulse-status', {
        event: this.event ?? '',
        state: this.state,
        status: this.status,
        lastSampleAt: this.lastSampleAt,
      });
    }
  }

  private emit<T>(type: 'livepulse-sample' | 'livepulse-status', detail: T) {
    this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true, detail }));
  }
}
