// The few words the widgets show, in English and French, picked like the numbers' locale: an embed
// on a French page says "Hors ligne", not "Offline". Other languages get English.
const EN = {
  connecting: 'Connecting…',
  offline: 'Offline, retrying…',
  not_allowed: 'Not allowed: missing or invalid token',
  not_found: 'Event not found',
  hidden: 'Count hidden',
  noRecent: 'No recent data',
  updated: 'Updated {time}',
  viewers: '{n} viewers',
  peak: 'Peak',
  chart: 'Viewers chart: {parts}',
  now: '{n} now',
  peakAt: 'peak {n} at {time}',
  noData: 'no data yet',
};

const FR: typeof EN = {
  connecting: 'Connexion…',
  offline: 'Hors ligne, nouvel essai…',
  not_allowed: 'Accès refusé : jeton manquant ou invalide',
  not_found: 'Événement introuvable',
  hidden: 'Nombre masqué',
  noRecent: 'Pas de données récentes',
  updated: 'Mis à jour à {time}',
  viewers: '{n} spectateurs',
  peak: 'Pic',
  chart: 'Graphique des spectateurs : {parts}',
  now: '{n} en ce moment',
  peakAt: 'pic de {n} à {time}',
  noData: 'pas encore de données',
};

export type Words = typeof EN;

/** Whether `locale` (or, without one, the browser's language) is French: the one language besides English. */
export const isFrench = (locale: string | undefined) => (locale ?? navigator.language).toLowerCase().startsWith('fr');

export function wordsFor(locale: string | undefined): Words {
  return isFrench(locale) ? FR : EN;
}

/** Fills `{name}` placeholders. */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');
}
