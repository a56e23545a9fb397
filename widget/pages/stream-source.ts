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
  const until = /quota spent until (\d{4}-\d\d-\d\dT[\d:.]+Z)/i.exec(reason);
  if (until && !Number.isNaN(Date.parse(until[1]))) return t('source.quotaUntil', { time: formatTime(until[1]) });
  if (/no YT_API_KEY/.test(reason)) return t('source.noKey');
  if (/YT_API_KEY set/.test(reason)) return t('source.keySet');
  return reason;
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
