// What every LivePulse element shares: the connection attributes, one subscription to the shared live
// client kept in step with them, the state decided by live-state.ts (reflected, and re-decided on a timer
// so a frozen stream turns stale by itself), and the livepulse-sample/livepulse-status events.
import { BaseElement, type PropertyDeclarations, type PropertyValues } from './base-element.ts';
import type { SampleMessage, StatusMessage } from '../server/wire.ts';
import type {
  LivepulseEvents,
  LivepulseMilestoneDetail,
  LivepulseSampleDetail,
  LivepulseStatusDetail,
} from './events.ts';
import { resolveLocale } from './format.ts';
import { defaultServer, subscribe, type LiveChange } from './live-client.ts';
import { decideState, stateText, type Link, type LiveState, type LiveView } from './live-state.ts';

export abstract class LiveElement extends BaseElement {
  static override properties: PropertyDeclarations = {
    server: { type: String },
    event: { type: String },
    token: { type: String },
    locale: { type: String },
    stream: { type: String },
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
  /** One stream instead of the event's total: its stream id or its YouTube video id. */
  declare stream: string | undefined;
  /** Read-only, reflected: connecting, live, stale, offline, no-data, denied or not-found. */
  declare state: LiveState;

  protected status: StatusMessage | null = null;
  /** What the element tells about its data now (live-state.ts). */
  protected view: LiveView = { state: 'connecting', lastSampleAt: null, recheckIn: null };
  #link: Link = 'connecting';
  #lastSampleAt: number | null = null;
  /** The streams with a count seen (history or samples): a stream counter tells its own age from the event's. */
  #counted = new Set<string>();
  #recheck: ReturnType<typeof setTimeout> | undefined;
  #unsubscribe: (() => void) | null = null;
  #subscribedTo = '';

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

  /** The line that says why the number is not live: "As of 21:04", "No YouTube API key configured"…; empty when live. */
  protected stateText(): string {
    return stateText(this.view, this.resolvedLocale);
  }

  /** The id of the stream the element shows, once the status resolved a video id; else the attribute. */
  protected get streamId(): string | undefined {
    return this.view.streamId ?? (this.stream || undefined);
  }

  override connectedCallback() {
    super.connectedCallback();
    // Subscribing happens in updated(), after a render: the element has drawn its shell by then.
    this.requestUpdate();
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this.#recheck);
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#subscribedTo = '';
  }

  protected override updated(changed: PropertyValues) {
    // Only when what the subscription is keyed on changed: the counter updates on every frame of its tween.
    if (changed.has('stream') && this.#subscribedTo && this.#decide()) this.#announce();
    if (this.#subscribedTo && !changed.has('server') && !changed.has('event') && !changed.has('token')) return;
    // After the update, not inside it: what the client replays at once changes properties again.
    queueMicrotask(() => this.#syncSubscription());
  }

  /** Subscribes afresh to get everything replayed; joins before leaving so the shared connection stays open. */
  protected resubscribe() {
    const leave = this.#unsubscribe;
    this.#unsubscribe = null;
    this.#subscribedTo = '';
    this.#syncSubscription();
    leave?.();
  }

  #syncSubscription() {
    if (!this.isConnected) return;
    const server = this.server || defaultServer();
    const key = JSON.stringify([server, this.event, this.token]);
    if (key === this.#subscribedTo) return;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#subscribedTo = key;
    if (!this.event) {
      this.#onChange({ type: 'link', link: 'not-found', lastSampleAt: null });
      return;
    }
    this.#unsubscribe = subscribe(
      { server, event: this.event, token: this.token || undefined, minutes: this.historyMinutes() },
      (change) => this.#onChange(change),
    );
  }

  #onChange(change: LiveChange) {
    if (change.type === 'status') this.status = change.status;
    if (change.type === 'sample')
      for (const [id, n] of Object.entries(change.sample.streams)) if (n !== null) this.#counted.add(id);
    if (change.type === 'history') {
      for (const [id, points] of Object.entries(change.history.streams ?? {}))
        if (points.some((p) => p.viewers !== null)) this.#counted.add(id);
      for (const [id, n] of Object.entries(change.history.latest?.streams ?? {})) if (n !== null) this.#counted.add(id);
    }
    if (change.type === 'link') {
      this.#link = change.link;
      this.#lastSampleAt = change.lastSampleAt;
    }
    // A sample or a history is always followed by `link`, which carries its time: decide then.
    const changed = change.type === 'status' || change.type === 'link' ? this.#decide() : false;
    this.receive(change);
    if (change.type === 'sample') {
      this.#emit<LivepulseSampleDetail>('livepulse-sample', {
        event: this.event ?? '',
        sample: change.sample,
        value: this.sampleValue(change.sample),
      });
    } else if (change.type === 'milestone') {
      this.#emit<LivepulseMilestoneDetail>('livepulse-milestone', {
        event: this.event ?? '',
        milestone: change.milestone,
      });
    } else if (change.type === 'status' || changed) this.#announce();
  }

  /** Decides the view again from what is known; true when the state or its reason changed. */
  #decide(): boolean {
    const was = this.view;
    clearTimeout(this.#recheck);
    this.view = decideState({
      link: this.#link,
      status: this.status,
      lastSampleAt: this.#lastSampleAt,
      stream: this.stream || undefined,
      counted: this.#counted,
    });
    this.state = this.view.state;
    // On a timer too: a frozen stream sends nothing, yet must turn stale by itself.
    if (this.view.recheckIn !== null)
      this.#recheck = setTimeout(() => this.#decide() && this.#announce(), this.view.recheckIn);
    this.requestUpdate();
    return was.state !== this.view.state || was.reason !== this.view.reason || was.at !== this.view.at;
  }

  #announce() {
    this.#emit<LivepulseStatusDetail>('livepulse-status', {
      event: this.event ?? '',
      ...this.view,
      status: this.status,
    });
  }

  #emit<T>(type: keyof LivepulseEvents, detail: T) {
    this.dispatchEvent(new CustomEvent(type, { bubbles: true, composed: true, detail }));
  }
}
