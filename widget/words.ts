// The words the widgets show, in English and French, picked like the numbers' locale: an embed on a
// French page says "Hors ligne", not "Offline". Any other language gets English words (with its own
// number and time formats), never half of each.
const EN = {
  connecting: 'Connecting…',
  offline: 'Offline, reconnecting',
  denied: 'Access denied: private event or expired link',
  notFound: 'Event not found',
  streamNotFound: 'Stream not found',
  asOf: 'As of {time}',
  /** Why there is no count (live-state.ts Reason). */
  reasons: {
    no_api_key: 'No YouTube API key configured',
    api_key_invalid: 'YouTube refuses the API key',
    quota_exceeded: 'YouTube quota spent for today',
    quota_exceededAt: 'YouTube quota spent until {time}',
    paused: 'Paused',
    upcoming: 'Not started yet',
    upcomingAt: 'Starts at {time}',
    live_hidden: 'Count hidden by the channel',
    ended: 'Stream ended',
    unavailable: 'Video unavailable',
    not_live: 'Not a live stream',
    offline: 'Channel offline',
    error: 'YouTube is not answering',
    pending: 'Waiting for a first count',
    no_streams: 'No stream yet',
  },
  viewers: '{n} viewers',
};

const FR: typeof EN = {
  connecting: 'Connexion…',
  offline: 'Hors ligne, reconnexion',
  denied: 'Accès refusé : événement privé ou lien expiré',
  notFound: 'Événement introuvable',
  streamNotFound: 'Flux introuvable',
  asOf: 'Relevé de {time}',
  reasons: {
    no_api_key: 'Aucune clé d’API YouTube configurée',
    api_key_invalid: 'YouTube refuse la clé d’API',
    quota_exceeded: 'Quota YouTube épuisé pour aujourd’hui',
    quota_exceededAt: 'Quota YouTube épuisé jusqu’à {time}',
    paused: 'En pause',
    upcoming: 'Pas encore commencé',
    upcomingAt: 'Début à {time}',
    live_hidden: 'Nombre masqué par la chaîne',
    ended: 'Diffusion terminée',
    unavailable: 'Vidéo indisponible',
    not_live: 'Pas une diffusion en direct',
    offline: 'Chaîne hors ligne',
    error: 'YouTube ne répond pas',
    pending: 'En attente d’un premier relevé',
    no_streams: 'Aucun flux pour l’instant',
  },
  viewers: '{n} spectateurs',
};

export type Words = typeof EN;

/** Whether `locale` (or, without one, the browser's language) is French: the one language besides English. */
export const isFrench = (locale: string | undefined) => (locale ?? navigator.language).toLowerCase().startsWith('fr');

/** The English or the French one of two word tables, for `locale`. */
export const pick = <T>(locale: string | undefined, en: T, fr: T): T => (isFrench(locale) ? fr : en);

export function wordsFor(locale: string | undefined): Words {
  return pick(locale, EN, FR);
}

/** Fills `{name}` placeholders. */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');
}
