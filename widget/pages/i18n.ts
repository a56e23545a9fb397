// The pages' language (the server writes it into <html lang>: ?lang= or the browser's), their words,
// and numbers, times and durations formatted by Intl in that language.
import { en, fr, type MessageKey } from './messages.ts';

/** The page's canonical language tag, or undefined to let Intl use the browser's. */
export function pageLocale(): string | undefined {
  const tag = document.documentElement.lang;
  try {
    return tag ? Intl.getCanonicalLocales(tag)[0] : undefined;
  } catch {
    return undefined;
  }
}

const words = () => ((pageLocale() ?? navigator.language).toLowerCase().startsWith('fr') ? fr : en);

export function t(key: MessageKey, values: Record<string, string | number> = {}): string {
  return words()[key].replace(/\{(\w+)\}/g, (_, name: string) => String(values[name] ?? ''));
}

export const formatNumber = (n: number) => new Intl.NumberFormat(pageLocale(), { maximumFractionDigits: 0 }).format(n);

/** A clock time, with the date in front when it is not today. */
export function formatTime(when: string | number): string {
  const date = new Date(when);
  const today = date.toDateString() === new Date().toDateString();
  const options: Intl.DateTimeFormatOptions = today ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' };
  return new Intl.DateTimeFormat(pageLocale(), options).format(date);
}

/** "15 min", "1 h", "7 j": the largest whole unit. */
export function formatMinutes(minutes: number): string {
  const [value, unit] = minutes % 1440 === 0 ? [minutes / 1440, 'day'] : minutes % 60 === 0 ? [minutes / 60, 'hour'] : [minutes, 'minute'];
  return new Intl.NumberFormat(pageLocale(), { style: 'unit', unit, unitDisplay: 'short' }).format(value);
}

export const formatSeconds = (seconds: number) => new Intl.NumberFormat(pageLocale(), { style: 'unit', unit: 'second', unitDisplay: 'short' }).format(seconds);

/** The history windows offered by the dashboard and the downloads, in minutes. */
export const WINDOWS = [15, 60, 180, 1440, 10080] as const;
