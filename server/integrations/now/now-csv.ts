// now.csv: one row per stream after a first row whose label is `total` (vMix's CSV data source shows
// rows as they come). Every row repeats the event's `state` and `updatedAt`, so a tool bound to one row
// still knows how old its number is. RFC 4180 quoting, CRLF line ends, empty cell for null.
import type { NowResponse } from '../../wire.ts';

export const NOW_CSV_COLUMNS = ['label', 'platform', 'viewers', 'viewersFormatted', 'status', 'state', 'updatedAt'];

// OWASP, as the history CSV: a spreadsheet runs a cell starting with = + - @ tab or CR as a formula; a leading ' makes it text.
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const safeLabel = (label: string) => (FORMULA_START.test(label) ? `'${label}` : label);

export function nowCsv(now: NowResponse): string {
  const rows: (string | number | null)[][] = [
    NOW_CSV_COLUMNS,
    ['total', null, now.total, now.totalFormatted, null, now.state, now.updatedAt],
    ...now.streams.map((s) => [
      safeLabel(s.label),
      s.platform,
      s.viewers,
      s.viewersFormatted,
      s.status,
      now.state,
      now.updatedAt,
    ]),
  ];
  return rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
