// A stream's platform as a small mark before its name (YouTube's red play button, Twitch's purple bubble),
// named "YouTube"/"Twitch" for screen readers by an aria-label (not a <title>: the text of a label with its
// mark stays the label). Brand names: the same words in every language.
import { css, html, svg } from 'lit';
import type { Platform } from '../../server/wire.ts';

export const PLATFORM_NAMES: Record<Platform, string> = { youtube: 'YouTube', twitch: 'Twitch' };

// Both colours keep 3:1 or more against the pages' light and dark backgrounds (#ff0000: 4.0 on white, 4.8 on
// near-black; #9146ff: 4.6 and 4.1), and the white glyph inside keeps the mark readable printed in grey.
const GLYPHS = {
  youtube: svg`<rect y="2.5" width="16" height="11" rx="3" fill="#ff0000" /><path d="M6.4 5.3v5.4L11 8z" fill="#fff" />`,
  twitch: svg`<path d="M2.5 1 1 4v10h4v2h2l2-2h3.2L15 9.2V1z" fill="#9146ff" /><path d="M6.3 4.2h1.5v4.3H6.3zm4 0h1.5v4.3h-1.5z" fill="#fff" />`,
};

/** The mark of `platform` (YouTube for an unknown one: every stream before issue 15 was). */
export function platformMark(platform: Platform | undefined) {
  const p: Platform = platform === 'twitch' ? 'twitch' : 'youtube';
  return html`<svg class="platform ${p}" data-platform=${p} role="img" aria-label=${PLATFORM_NAMES[p]} viewBox="0 0 16 16">${GLYPHS[p]}</svg>`;
}

/** Sizes the mark to the text around it; add to the styles of an element that shows marks. */
export const platformMarkStyles = css`
  svg.platform {
    width: 1.05em;
    height: 1.05em;
    flex: none;
    vertical-align: -0.15em;
    margin-inline-end: 0.3em;
    /* Keep the brand colours when printed (the report) and under forced colours they stay a recognisable shape. */
    print-color-adjust: exact;
    -webkit-print-color-adjust: exact;
  }
`;
