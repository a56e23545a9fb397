// <livepulse-counter>: an event's live viewer total (or one stream's count) as a single big number.
import { sheet, shell, type PropertyDeclarations, type PropertyValues } from './base-element.ts';
import type { SampleMessage } from '../server/wire.ts';
import { numberFormat } from './format.ts';
import type { LiveChange } from './live-client.ts';
import { LiveElement } from './live-element.ts';
import { unread } from './live-state.ts';
import { fill, wordsFor } from './words.ts';

const TWEEN_MS = 600;
/** Screen readers hear the number at most this often; state changes are told at once. */
const ANNOUNCE_EVERY_MS = 30_000;

/**
 * @summary The live viewer count of an event, or of one of its streams.
 *
 * @csspart base - The wrapper of the number and the state line.
 * @csspart value - The number.
 * @csspart state - The state line: under the number "As of 21:04" (stale, offline, connecting); alone, at normal
 *   size, why there is no number (no-data: "No YouTube API key configured"…, denied, not-found).
 *
 * @cssproperty --livepulse-color - Text color (default: inherited).
 * @cssproperty --livepulse-background - Background (default: transparent, for OBS overlays).
 * @cssproperty --livepulse-font - Font family (default: inherited).
 * @cssproperty --livepulse-font-size - Size of the number (default: 2em); the state line is 0.4 of it.
 * @cssproperty --livepulse-font-weight - Weight of the number (default: 700).
 * @cssproperty --livepulse-padding - Padding around the number (default: 0).
 * @cssproperty --livepulse-dimmed-opacity - Opacity of a stale or offline number (default: 0.5).
 * @cssproperty --livepulse-state-font-size - Size of the state line (default: 0.3 of the number's size under a
 *   number, 1em when alone).
 *
 * @event livepulse-sample - A sample arrived; detail: { event, sample, value }.
 * @event livepulse-status - The state or the server's status changed; detail: { event, state, status, lastSampleAt }.
 */
export class LivepulseCounter extends LiveElement {
  static override properties: PropertyDeclarations = {
    compact: { type: Boolean },
    celebrate: { type: Boolean },
    shown: { state: true },
    target: { state: true },
  };

  // No fallbacks for color, background, font and padding: an unset variable makes the declaration unset, i.e.
  // inherited (color, font) or initial (transparent, 0), which is the default wanted.
  static override styles = sheet(`
    :host {
      display: inline-block;
      /* Never wider than its box: a number that would be is made smaller (#fit), not clipped or spilled. */
      max-width: 100%;
      color: var(--livepulse-color);
      background: var(--livepulse-background);
      font-family: var(--livepulse-font);
      padding: var(--livepulse-padding);
      line-height: 1.1;
    }
    /* Made smaller to fit: it keeps the whole width, so it hears its box grow again. */
    :host([fitted]) {
      width: 100%;
    }
    .base {
      display: inline-flex;
      flex-direction: column;
      align-items: flex-start;
    }
    .value {
      font-size: calc(var(--livepulse-font-size, 2em) * var(--lp-fit, 1));
      font-weight: var(--livepulse-font-weight, 700);
      /* Digits of equal width: the number does not jitter or push its neighbours as it changes. */
      font-variant-numeric: tabular-nums;
      white-space: nowrap;
      transition: opacity 0.3s;
    }
    .state {
      font-size: var(--livepulse-state-font-size, calc(var(--livepulse-font-size, 2em) * 0.3));
      opacity: 0.8;
      white-space: nowrap;
    }
    /* No number (no-data, denied, not-found): one short line at the text's normal size, never in the giant font. */
    .value:empty + .state {
      font-size: var(--livepulse-state-font-size, 1em);
      opacity: 1;
      white-space: normal;
    }
    .value:empty,
    .state:empty {
      display: none;
    }
    :host(:not([state='live'])) .value {
      opacity: var(--livepulse-dimmed-opacity, 0.5);
    }
    .sr {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
    @media (prefers-reduced-motion: reduce) {
      .value {
        transition: none;
      }
    }
    /* A milestone (a threshold passed, a new peak): a short pop, and nothing at all for reduced motion. */
    @media (prefers-reduced-motion: no-preference) {
      :host([celebrating]) .value {
        animation: lp-pop 1.2s ease-out;
      }
    }
    @keyframes lp-pop {
      30% {
        transform: scale(1.15);
      }
    }
  `);

  // One line: whitespace between the spans would be text nodes for nothing.
  static override shell = shell(
    '<span part="base" class="base"><span part="value" class="value" aria-hidden="true"></span><span part="state" class="state" aria-hidden="true"></span><span class="sr" role="status"></span></span>',
  );

  /** Marks each milestone of the event (a threshold passed, a new peak) with a short animation. */
  declare celebrate: boolean;

  /**
   * Short form: 12.3K, 12,3 k, 1.2 Mio. (Intl's compact notation). German (de, de-CH…) has no short form for
   * thousands in CLDR: there, counts under a million keep all their digits.
   */
  declare compact: boolean;
  /** The number on screen, on its way to `target` during a transition. */
  declare shown: number | null;
  /** The latest count, the one screen readers are told. */
  declare private target: number | null;

  #fromSample = false;
  #frame = 0;
  #announced = '';
  #announcedState = '';
  #announcedAt = 0;
  #announceTimer: ReturnType<typeof setTimeout> | undefined;
  #party: ReturnType<typeof setTimeout> | undefined;
  /** The length of the text last fitted: a number only needs fitting again when it gains or loses characters. */
  #fittedLength = -1;
  #fitFrame = 0;
  // Fitted on the next frame, not inside the observer's callback: fitting resizes the element, which the
  // observer would otherwise have to report again in the same frame (an error event on the page).
  #resized = new ResizeObserver(() => {
    cancelAnimationFrame(this.#fitFrame);
    this.#fitFrame = requestAnimationFrame(() => this.#fit());
  });

  constructor() {
    super();
    this.compact = false;
    this.celebrate = false;
    this.shown = null;
    this.target = null;
  }

  protected historyMinutes() {
    return 1;
  }

  protected sampleValue(sample: SampleMessage): number | null {
    const id = this.streamId;
    return id ? (sample.streams[id] ?? null) : sample.total;
  }

  protected receive(change: LiveChange) {
    if (change.type === 'milestone') {
      if (!this.celebrate) return;
      this.setAttribute('celebrating', '');
      clearTimeout(this.#party);
      this.#party = setTimeout(() => this.removeAttribute('celebrating'), 1500);
    } else if (change.type === 'sample') {
      this.#fromSample = true;
      this.#setTarget(this.sampleValue(change.sample));
    } else if (change.type === 'status' && !this.#fromSample) {
      // Before the first sample, the status's per-stream counts are the freshest numbers there are.
      // Not while a stream could not be read: the sum of the others is not the total (the server stores a gap).
      const id = this.streamId;
      const live = change.status.streams.filter((s) => s.status === 'live' && (!id || s.id === id));
      const whole = id || !change.status.streams.some(unread);
      if (whole && live.some((s) => s.viewers !== null))
        this.#setTarget(live.reduce((sum, s) => sum + (s.viewers ?? 0), 0));
    } else if (change.type === 'history' && this.target === null) {
      // The newest count, however old (the minute asked for may hold none): shown dated, never hidden.
      const { latest, streams, total } = change.history;
      const id = this.streamId;
      const points = id ? streams?.[id] : total;
      const newest = latest && (!id || id in latest.streams) ? (id ? latest.streams[id] : latest.total) : undefined;
      const last = points?.at(-1);
      if (newest !== undefined) this.#setTarget(newest);
      else if (last) this.#setTarget(last.viewers);
    }
    this.requestUpdate();
  }

  override connectedCallback() {
    super.connectedCallback();
    this.#resized.observe(this);
  }

  override disconnectedCallback() {
    super.disconnectedCallback();
    this.#resized.disconnect();
    cancelAnimationFrame(this.#fitFrame);
    cancelAnimationFrame(this.#frame);
    clearTimeout(this.#announceTimer);
    clearTimeout(this.#party);
    this.#announceTimer = undefined;
  }

  #setTarget(value: number | null) {
    const from = this.shown;
    this.target = value;
    cancelAnimationFrame(this.#frame);
    const still = matchMedia('(prefers-reduced-motion: reduce)').matches || document.hidden;
    if (from === null || value === null || still || from === value) {
      this.shown = value;
      return;
    }
    const start = performance.now();
    const step = (now: number) => {
      const t = Math.min(1, (now - start) / TWEEN_MS);
      const eased = 1 - (1 - t) ** 3;
      this.shown = t === 1 ? value : Math.round(from + (value - from) * eased);
      if (t < 1) this.#frame = requestAnimationFrame(step);
    };
    this.#frame = requestAnimationFrame(step);
  }

  /** The live region gets a new number at most every 30 s (polite, not chatty), a new state at once. */
  protected override willUpdate(changed: PropertyValues) {
    // A frame of the transition: what is said depends on `target` and the state, not on `shown`.
    if (changed.size === 1 && changed.has('shown')) return;
    const number =
      this.target === null || !this.#showsNumber()
        ? ''
        : fill(wordsFor(this.resolvedLocale).viewers, {
            n: numberFormat(this.resolvedLocale, this.compact).format(this.target),
          });
    const state = this.stateText();
    const spoken = [number, state].filter(Boolean).join('. ');
    if (spoken === this.#announced) return;
    clearTimeout(this.#announceTimer);
    const wait = state !== this.#announcedState ? 0 : this.#announcedAt + ANNOUNCE_EVERY_MS - Date.now();
    const say = () => {
      this.#announced = spoken;
      this.#announcedState = state;
      this.#announcedAt = Date.now();
    };
    if (wait <= 0) say();
    else this.#announceTimer = setTimeout(() => (say(), this.requestUpdate()), wait);
  }

  /** A number is shown while live, and kept (dimmed, dated) while connecting, stale or offline; never without one. */
  #showsNumber() {
    return (
      this.state === 'live' ||
      this.state === 'stale' ||
      this.state === 'offline' ||
      (this.state === 'connecting' && this.shown !== null)
    );
  }

  protected override render() {
    const format = numberFormat(this.resolvedLocale, this.compact);
    const text = !this.#showsNumber() ? '' : this.shown === null ? '–' : format.format(this.shown);
    this.setText('value', text);
    if (text.length !== this.#fittedLength) {
      this.#fittedLength = text.length;
      this.#fit();
    }
    this.setText('state', this.stateText());
    this.setText('sr', this.#announced);
  }

  /**
   * A number wider than the element's box (an embed 320 px wide, a card in a dense grid; "1 234 567" in French
   * is wider than "1,234,567") is drawn smaller until it fits: never clipped, never over its neighbour. Measured
   * at full size each time, so it grows back when the box does; tabular digits make the width follow the length.
   */
  #fit() {
    const base = this.renderRoot.querySelector<HTMLElement>('.base');
    const value = this.renderRoot.querySelector<HTMLElement>('.value');
    if (!base || !value) return;
    base.style.removeProperty('--lp-fit');
    this.removeAttribute('fitted');
    const natural = value.getBoundingClientRect().width;
    const style = getComputedStyle(this);
    const room = this.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (room <= 0 || natural <= room + 0.5) return;
    base.style.setProperty('--lp-fit', String(Math.floor((room / natural) * 1000) / 1000));
    this.setAttribute('fitted', '');
  }
}
