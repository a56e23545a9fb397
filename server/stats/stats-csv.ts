// stats.csv: one row per stream and one for the event's total, as the history CSVs write them (RFC 4180
// quoting, labels defused against formulas, ids as they are, empty cells where there is no figure).
import type { StatsResponse } from '../wire.ts';
import type { StatsStream } from './queries.ts';

export const STATS_CSV_HEADER = [
  'series',
  'stream_id',
  'video_id',
  'label',
  'samples',
  'live_seconds',
  'average',
  'peak_viewers',
  'peak_ts',
  'viewer_minutes',
  'share',
  'current',
];

// OWASP: a spreadsheet runs a cell starting with = + - @ tab or CR as a formula; a leading ' makes it text.
const defused = (label: string) => (/^[=+\-@\t\r]/.test(label) ? `'${label}` : label);

function cell(value: string | number | null, delimiter: ',' | ';'): string {
  if (value === null) return '';
  // Spreadsheets set to French read "12,5" in a semicolon file, and "12.5" as text or a date.
  const text =
    typeof value === 'number' ? (delimiter === ';' ? String(value).replace('.', ',') : String(value)) : value;
  const quote = text.includes(delimiter) || /["\r\n]/.test(text);
  return quote ? `"${text.replaceAll('"', '""')}"` : text;
}

export function statsCsv(stats: StatsResponse, streams: StatsStream[], delimiter: ',' | ';', bom: boolean): string {
  const line = (cells: (string | number | null)[]) => cells.map((c) => cell(c, delimiter)).join(delimiter) + '\n';
  const figures = (s: StatsResponse['total'], share: number | null) => [
    s.samples,
    s.liveSeconds,
    s.average,
    s.peak.viewers,
    s.peak.ts,
    s.viewerMinutes,
    share,
    s.current,
  ];
  let out = (bom ? '\uFEFF' : '') + line(STATS_CSV_HEADER);
  for (const s of streams) {
    const st = stats.streams[s.id];
    if (st) out += line(['stream', s.id, s.videoId, defused(s.label), ...figures(st, st.share)]);
  }
  out += line(['total', null, null, null, ...figures(stats.total, stats.total.viewerMinutes > 0 ? 1 : null)]);
  return out;
}

const compact = (d: string) => d.replace(/[-:]/g, '').replace(/\.\d+/, '');

export const statsCsvFileName = (s: StatsResponse) =>
  `livepulse-${s.eventId}-stats-${compact(s.from)}-${compact(s.to)}.csv`;
