// The words the widgets show, in English and French, picked like the numbers' locale: an embed on a
// French page says "Hors ligne", not "Offline". Any other language gets English words (with its own
// number and time formats), never half of each.
const EN = {
  connecting: 'Connecting…',
  offline: 'Offline, reconnecting',
  denied: 'Access denied: private event or expired link',
  notFound: 'Event not found',
  streamNotFound: 'Stream not found',
  noRecent: 'No recent count',
  asOf: 'As of {time}',
  reasons: {
    no_api_key: 'No YouTube API key configured',
    api_key: 'YouTube refuses the API key',
    quota: 'YouTube quota spent for today',
    quotaAt: 'YouTube quota spent until {time}',
    paused: 'Paused',
    upcoming: 'Not started yet',
    upcomingAt: 'Starts at {time}',
    hidden: 'Count hidden by the channel',
    ended: 'Stream ended',
    unavailable: 'Video unavailable',
    not_live: 'Not a live stream',
    pending: 'Waiting for the first count',
    error: 'YouTube is not answering',
    no_streams: 'No stream yet',
  },
  viewers: '{n} viewers',
  peak: 'Peak',
  chart: 'Viewers chart: {parts}',
  now: '{n} now',
  peakAt: 'peak {n} at {time}',
  noData: 'no data yet',
};

const FR: typeof EN = {
  connecting: 'Connexion…',
  offline: 'Hors ligne, reconnexion',
  denied: 'Accès refusé : événement privé ou lien expiré',
  notFound: 'Événement introuvable',
  streamNotFound: 'Flux introuvable',
  noRecent: 'Pas de relevé récent',
  asOf: 'Relevé de {time}',
  reasons: {
    no_api_key: 'Aucune clé d’API YouTube configurée',
    api_key: 'YouTube refuse la clé d’API',
    quota: 'Quota YouTube épuisé pour aujourd’hui',
    quotaAt: 'Quota YouTube épuisé jusqu’à {time}',
    paused: 'En pause',
    upcoming: 'Pas encore commencé',
    upcomingAt: 'Début à {time}',
    hidden: 'Nombre masqué par la chaîne',
    ended: 'Diffusion terminée',
    unavailable: 'Vidéo indisponible',
    not_live: 'Pas une diffusion en direct',
    pending: 'En attente du premier relevé',
    error: 'YouTube ne répond pas',
    no_streams: 'Aucun flux pour l’instant',
  },
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
