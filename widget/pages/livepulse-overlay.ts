// <livepulse-overlay>: the counter and/or chart for an OBS browser source: transparent, no margins,
// restyled from the URL (view, colours, font size, stream, range); anything invalid falls back to a default.
// What goes on air is decided here from the shared state (live-state.ts): the number while live, at most one
// small marker, and nothing meant for an operator's debugging.
import { css, html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import type { LivepulseStatusDetail } from '../events.ts';
import { formatClock, resolveLocale } from '../format.ts';
import { stateText, type LiveState } from '../live-state.ts';
import { fill, wordsFor } from '../words.ts';

type View = 'both' | 'counter' | 'chart';
/** While stale or offline: dim the number and date it (default), hide everything, or keep it as it is. */
type Offline = 'dim' | 'hide' | 'keep';

/** A CSS colour, also as bare hex (`ff0000`): a `#` must be escaped in a URL, which people forget. */
function cssColor(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const candidate = /^[0-9a-f]{3,8}$/i.test(value) ? `#${value}` : value;
  return CSS.supports('color', candidate) ? candidate : undefined;
}

function whole(value: string | undefined, min: number, max: number, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n >= min && n <= max ? n : fallback;
}

/**
 * @summary A transparent overlay for OBS; every option is an attribute the overlay page copies from its URL.
 * @attr state - Read-only, reflected: the state of what it shows (connecting, live, stale, offline, no-data, denied, not-found).
 * @csspart marker - The one small line shown while stale/offline ("As of 21:04") or when refused.
 */
export class LivepulseOverlay extends LitElement {
  static override properties: PropertyDeclarations = {
    event: { type: String },
    token: { type: String },
    view: { type: String },
    color: { type: String },
    background: { type: String },
    accent: { type: String },
    size: { type: String },
    stream: { type: String },
    minutes: { type: String },
    offline: { type: String },
    zero: { type: String },
    state: { type: String, reflect: true },
    marker: { state: true },
  };

  static override styles = css`
    :host {
      display: flex;
      flex-direction: column;
      height: 100vh;
      margin: 0;
      overflow: hidden;
      font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif;
    }
    .wrap {
      display: flex;
      flex-direction: column;
      height: 100%;
      padding: 0.15em 0.3em;
      box-sizing: border-box;
    }
    livepulse-counter {
      --livepulse-font-weight: 800;
      flex: none;
    }
    /* The elements' own state lines never go on air: the overlay shows at most its one marker. */
    livepulse-counter::part(state),
    livepulse-chart::part(state),
    livepulse-chart::part(empty) {
      display: none;
    }
    /* Nothing to show yet, nothing counted, or hidden while stale/offline with offline=hide: the scene stays clear. */
    .wrap.off > livepulse-counter,
    .wrap.off > livepulse-chart {
      visibility: hidden;
    }
    .wrap.keep livepulse-counter {
      --livepulse-dimmed-opacity: 1;
    }
    .wrap.keep livepulse-chart {
      opacity: 1;
    }
    .marker {
      flex: none;
      order: -1;
      font-size: max(18px, calc(var(--livepulse-font-size) * 0.24));
      font-weight: 600;
      line-height: 1.3;
      white-space: nowrap;
    }
    livepulse-chart {
      flex: 1 1 auto;
      min-height: 0;
      --livepulse-chart-height: 100%;
      --livepulse-font-size: 14px;
    }
    /* A dark outline and a soft shadow keep white digits legible over bright and dark scenes alike. */
    .shadow {
      text-shadow:
        -2px -2px 0 rgb(0 0 0 / 0.85),
        2px -2px 0 rgb(0 0 0 / 0.85),
        -2px 2px 0 rgb(0 0 0 / 0.85),
        2px 2px 0 rgb(0 0 0 / 0.85),
        0 3px 10px rgb(0 0 0 / 0.5);
    }
  `;

  declare event: string;
  declare token: string | undefined;
  /** counter, chart or both (default). */
  declare view: string | undefined;
  /** Text colour (default white, for video scenes). */
  declare color: string | undefined;
  /** Background (default transparent). */
  declare background: string | undefined;
  /** The chart's colour. */
  declare accent: string | undefined;
  /** Height of the number in px, 8 to 400 (default 96). */
  declare size: string | undefined;
  /** Count one stream instead of the total. */
  declare stream: string | undefined;
  /** The chart's range in minutes, 5 to 10080 (default 60). */
  declare minutes: string | undefined;
  /** While stale or offline: dim (default: dimmed number, one small "As of" marker), hide (nothing), keep (as if live). */
  declare offline: string | undefined;
  /** 1: the chart's value axis starts at zero, so a small dip does not look like a crash. */
  declare zero: string | undefined;
  /** Read-only, reflected: the state of the counter (or of the chart when alone). */
  declare state: LiveState;
  declare private marker: string;

  constructor() {
    super();
    this.state = 'connecting';
    this.marker = '';
  }

  /** The state of the element that leads (the counter, or the chart when it is alone) is the overlay's. */
  private onStatus(e: CustomEvent<LivepulseStatusDetail>) {
    const leader = (e.target as Element).localName === 'livepulse-counter' || this.view === 'chart';
    if (!leader) return;
    const { state, lastSampleAt } = e.detail;
    this.state = state;
    const locale = resolveLocale(this, undefined);
    // Refusals are one short line for whoever sets the source up; stale/offline only tell the count's time.
    if (state === 'denied' || state === 'not-found') this.marker = stateText(e.detail, locale);
    else if ((state === 'stale' || state === 'offline') && lastSampleAt !== null)
      this.marker = fill(wordsFor(locale).asOf, { time: formatClock(locale, lastSampleAt) });
    else this.marker = '';
  }

  override render() {
    const view: View = this.view === 'counter' || this.view === 'chart' ? this.view : 'both';
    const background = cssColor(this.background);
    const style = {
      color: cssColor(this.color) ?? '#ffffff',
      background: background ?? 'transparent',
      '--livepulse-font-size': `${whole(this.size, 8, 400, 96)}px`,
      '--livepulse-accent': cssColor(this.accent) ?? '#3b82f6',
    };
    const token = this.token || nothing;
    const offline: Offline = this.offline === 'hide' || this.offline === 'keep' ? this.offline : 'dim';
    const late = this.state === 'stale' || this.state === 'offline';
    const refused = this.state === 'denied' || this.state === 'not-found';
    const off = refused || this.state === 'connecting' || this.state === 'no-data' || (late && offline === 'hide');
    const marker = refused || (late && offline === 'dim') ? this.marker : '';
    const classes = ['wrap', background ? '' : 'shadow', off ? 'off' : '', offline === 'keep' ? 'keep' : '']
      .filter(Boolean)
      .join(' ');
    return html`<div class=${classes} style=${styleMap(style)} @livepulse-status=${this.onStatus}>
      ${marker ? html`<div part="marker" class="marker">${marker}</div>` : nothing}
      ${view === 'chart' ? nothing : html`<livepulse-counter event=${this.event} token=${token} stream=${this.stream || nothing}></livepulse-counter>`}
      ${
        view === 'counter'
          ? nothing
          : html`<livepulse-chart event=${this.event} token=${token} minutes=${whole(this.minutes, 5, 10080, 60)} ?zero=${this.zero === '1'}></livepulse-chart>`
      }
    </div>`;
  }
}
