// How fresh the admin's numbers are: the widgets' own rule (live-state.ts) fed from the editor's live
// connection, as a Lit reactive controller that decides again when a live count turns late by itself.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { StatusMessage, StreamInfo } from '../../server/wire.ts';
import type { LiveChange } from '../live-client.ts';
import { decideState, stateText, type Link, type LiveView } from '../live-state.ts';
import { resolveLocale } from '../format.ts';

export class LiveFreshness implements ReactiveController {
  view: LiveView = { state: 'connecting', lastSampleAt: null, recheckIn: null };
  #link: Link = 'connecting';
  #status: StatusMessage | null = null;
  #lastSampleAt: number | null = null;
  #recheck: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostDisconnected() {
    clearTimeout(this.#recheck);
  }

  /** Every change of the connection: the client follows each history, status and sample with a 'link' one. */
  feed(change: LiveChange) {
    if (change.type === 'status') this.#status = change.status;
    if (change.type !== 'link') return;
    this.#link = change.link;
    this.#lastSampleAt = change.lastSampleAt;
    this.#decide();
  }

  /** Another event: nothing known yet. */
  reset() {
    this.#link = 'connecting';
    this.#status = null;
    this.#lastSampleAt = null;
    this.#decide();
  }

  /** The numbers on screen are not now's: the connection is down, or the newest count is late. */
  get old() {
    return this.view.state === 'offline' || this.view.state === 'stale';
  }

  /**
   * A stream's status is the last one known, not now's: all of them while offline; while late with the
   * connection up the statuses are fresh, but a "Live" is not borne out by the counts (the dock's rule).
   */
  lastKnown(stream: StreamInfo) {
    return this.view.state === 'offline' || (this.view.state === 'stale' && stream.status === 'live');
  }

  /** "Offline, reconnecting · As of 13:22", "As of 13:22", or '' when live. */
  text() {
    return this.old ? stateText(this.view, resolveLocale(document.documentElement, undefined)) : '';
  }

  #decide() {
    clearTimeout(this.#recheck);
    this.view = decideState({ link: this.#link, status: this.#status, lastSampleAt: this.#lastSampleAt });
    if (this.view.recheckIn !== null) this.#recheck = setTimeout(() => this.#decide(), this.view.recheckIn);
    this.host.requestUpdate();
  }
}
