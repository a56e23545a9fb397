// The HTML around every page element: language, title, the theme's custom properties (light and dark),
// and one module script. No inline script (the CSP forbids it); inline styles are allowed.

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** The palette every page element reads; contrast ratios checked against WCAG AA in both schemes. */
export const THEME = `
  :root {
    color-scheme: light dark;
    --lp-font: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
    --lp-bg: #f4f5f7; --lp-surface: #ffffff; --lp-text: #1b1f24; --lp-muted: #55606c;
    --lp-border: #d0d5dc; --lp-accent: #1d4ed8; --lp-on-accent: #ffffff; --lp-focus: #1d4ed8;
    --lp-danger: #b42318; --lp-ok: #116329; --lp-warn: #7a4a00; --lp-warn-bg: #fff4d6; --lp-radius: 8px;
  }
  @media (prefers-color-scheme: dark) {
    :root {
      --lp-bg: #0f1217; --lp-surface: #181c23; --lp-text: #e7e9ec; --lp-muted: #a3acb8;
      --lp-border: #343b46; --lp-accent: #8ab0ff; --lp-on-accent: #0b1020; --lp-focus: #8ab0ff;
      --lp-danger: #ff8a80; --lp-ok: #6fdc8c; --lp-warn: #ffd27a; --lp-warn-bg: #3a2e12;
    }
  }
  html { font-family: var(--lp-font); background: var(--lp-bg); color: var(--lp-text); }
  body { margin: 0; }
`;

export interface Shell {
  lang: string;
  title: string;
  /** Path of the page's module script (under /widget/, or the login page's own). */
  script?: string;
  /** The page's element(s), already escaped. */
  body: string;
  /** Extra CSS after the theme (the overlay's transparency). */
  style?: string;
}

export function pageShell({ lang, title, script, body, style = '' }: Shell): string {
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${THEME}${style}</style>
${script ? `<script type="module" src="${escapeHtml(script)}"></script>\n` : ''}</head>
<body>
${body}
</body>
</html>
`;
}
