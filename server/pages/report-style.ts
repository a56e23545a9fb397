// The report page's own CSS around its element: paper margins for A4 and Letter alike (no `size`: the
// browser's paper is used), and the light palette on paper whatever the screen's scheme, since a dark
// theme's pale text would print grey on white.
export const REPORT_PRINT_STYLE = `
  @page { margin: 14mm 12mm; }
  @media print {
    :root {
      color-scheme: light;
      --lp-bg: #ffffff; --lp-surface: #ffffff; --lp-text: #000000; --lp-muted: #3d4650;
      --lp-border: #9aa3ad; --lp-accent: #1d4ed8;
    }
    html, body { background: #ffffff; }
  }
`;
