// <livepulse-overlay>: the counter and/or chart for an OBS browser source: transparent, no margins,
// restyled from the URL (view, colours, font size, stream, range); anything invalid falls back to a default.
import { css, html, LitElement, nothing, type PropertyDeclarations } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';

type View = 'both' | 'counter' | 'chart';

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
    return html`<div class="wrap ${background ? '' : 'shadow'}" style=${styleMap(style)}>
      ${view === 'chart' ? nothing : html`<livepulse-counter event=${this.event} token=${token} stream=${this.stream || nothing}></livepulse-counter>`}
      ${view === 'counter' ? nothing : html`<livepulse-chart event=${this.event} token=${token} minutes=${whole(this.minutes, 5, 10080, 60)}></livepulse-chart>`}
    </div>`;
  }
}
