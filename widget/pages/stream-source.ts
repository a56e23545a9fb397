// Which source counts a stream now and why, in the admin's words ("via Data API — key set", "via InnerTube —
// no API key"), and what a channel link follows ("follows @handle"). The server writes its reason in English
// (server/sources/youtube-choice.ts); the known ones are said in the page's language, any other as written.
import type { StreamInfo } from '../../server/wire.ts';
import { formatTime, t } from './i18n.ts';

/** "via InnerTube — no API key"; null while a YouTube stream has not been polled (nothing is known yet). */
export function sourceText(s: Pick<StreamInfo, 'platform' | 'source' | 'sourceReason'>): string | null {
  if (s.platform === 'twitch' || s.source === 'twitch') return t('source.twitch');
  if (s.source === null) return null;
  const via = t(s.source === 'api' ? 'source.api' : 'source.innertube');
  const why = reasonText(s.sourceReason);
  return why ? `${via} — ${why}` : via;
}

function reasonText(reason: string | null): string | null {
  if (!reason) return null;
  const forced = /YT_SOURCE=(api|innertube)/.exec(reason);
  if (forced) return t('source.forced', { setting: forced[0] });
  // The server says the reset as "00:00 PT (08:00 UTC)" (or, from older rows, an ISO time).
  const until = /quota spent until (.+)$/i.exec(reason);
  if (until) {
    const iso = !Number.isNaN(Date.parse(until[1])) && /^\d{4}-/.test(until[1]);
    return t('source.quotaUntil', { time: iso ? formatTime(until[1]) : until[1] });
  }
  if (/no (YT_)?API[_ ]KEY/i.test(reason)) return t('source.noKey');
  if (/refused the (API )?key/i.test(reason)) return t('source.keyRefused');
  if (/key set/i.test(reason)) return t('source.keySet');
  // "InnerTube: …" after "via InnerTube" would say it twice.
  return reason.replace(/^(InnerTube|Data API):\s*/, '');
}

/** "follows @handle" for a channel link; null for a video link and for Twitch (a channel is all Twitch has). */
export function followsText(s: Pick<StreamInfo, 'platform' | 'follows' | 'target'>): string | null {
  if (!s.follows || s.platform === 'twitch' || !s.target) return null;
  return t('source.follows', { channel: channelName(s.target) });
}

/** `youtube.com/@name/live` → "@name"; `/channel/UC…`, `/c/name`, `/user/name` → the part that names it. */
export function channelName(target: string): string {
  const path = target.replace(/^(?:https?:\/\/)?(?:www\.|m\.)?youtube\.com/i, '').replace(/\/live\/?$/i, '');
  const handle = /^\/(@[^/?#]+)/.exec(path);
  if (handle) return decodeURIComponent(handle[1]);
  const named = /^\/(?:channel|c|user)\/([^/?#]+)/.exec(path);
  return named ? decodeURIComponent(named[1]) : target;
}
