// The pages' language (the server writes it into <html lang>: ?lang= or the browser's), their words,
// and numbers, times and durations formatted by Intl in that language.
import { numberFormat, resolveLocale } from '../format.ts';
import { fill, isFrench } from '../words.ts';
import { en, fr, type MessageKey } from './messages.ts';

/** The page's canonical language tag, or undefined to let Intl use the browser's. */
const pageLocale = () => resolveLocale(document.documentElement, undefined);

const words = () => (isFrench(pageLocale()) ? fr : en);

export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  return fill(words()[key], Object.fromEntries(Object.entries(values).map(([name, value]) => [name, String(value)])));
}

export const formatNumber = (n: number) => numberFormat(pageLocale()).format(n);

/** A clock time, with the date in front when it is not today. */
export function formatTime(when: string | number): string {
  const date = new Date(when);
  const today = date.toDateString() === new Date().toDateString();
  const options: Intl.DateTimeFormatOptions = today
    ? { timeStyle: 'short' }
    : { dateStyle: 'medium', timeStyle: 'short' };
  return new Intl.DateTimeFormat(pageLocale(), options).format(date);
}

/** "15 min", "1 h", "7 j": the largest whole unit. */
export function formatMinutes(minutes: number): string {
  const [value, unit] =
    minutes % 1440 === 0 ? [minutes / 1440, 'day'] : minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
  return new Intl.NumberFormat(pageLocale(), { style: 'unit', unit, unitDisplay: 'short' }).format(value);
}

/** Intl.DurationFormat (ES2025): not in TypeScript's lib yet, and missing from older browsers. */
type DurationFormatCtor = new (
  locale: string | undefined,
  options: { style: 'narrow' },
) => { format(d: { hours?: number; minutes?: number; seconds?: number }): string };

/**
 * A length of time, one way everywhere: "1h 57m", "45m", "30s" (French "1h 57min"), Intl's narrow duration;
 * where a browser has no Intl.DurationFormat, the same from narrow units.
 */
export function formatDuration(totalSeconds: number): string {
  const minutes = Math.round(totalSeconds / 60);
  const parts =
    totalSeconds < 60
      ? { seconds: Math.round(totalSeconds) }
      : { hours: Math.floor(minutes / 60), minutes: minutes % 60 };
  const DurationFormat = (Intl as unknown as { DurationFormat?: DurationFormatCtor }).DurationFormat;
  if (DurationFormat) return new DurationFormat(pageLocale(), { style: 'narrow' }).format(parts);
  const unit = (value: number, u: string) =>
    new Intl.NumberFormat(pageLocale(), { style: 'unit', unit: u, unitDisplay: 'narrow' }).format(value);
  const entries = Object.entries(parts) as [string, number][];
  const shown = entries.filter(([, v]) => v > 0);
  // 'hours' → 'hour': Intl's unit names are singular.
  return (shown.length ? shown : entries.slice(-1)).map(([u, v]) => unit(v, u.slice(0, -1))).join(' ');
}

export const formatSeconds = (seconds: number) =>
  new Intl.NumberFormat(pageLocale(), { style: 'unit', unit: 'second', unitDisplay: 'short' }).format(seconds);

/** The history windows offered by the dashboard and the downloads, in minutes. */
export const WINDOWS = [15, 60, 180, 1440, 10080] as const;
