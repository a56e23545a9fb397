// Turns whatever a person pastes into one trackable target: a YouTube video, a YouTube channel (followed
// to its current or next live video), or a Twitch channel; or into one message that says what is wrong.
// Video forms are read by youtube/video-url.ts; this file adds channels and Twitch in front of it.
import { HOST_PREFIXES, parseVideoInput, quote, toUrl, YOUTUBE_HOSTS } from '../youtube/video-url.ts';

export type Platform = 'youtube' | 'twitch';

/** How a YouTube channel was named in the link; each resolves differently (see innertube/channel.ts). */
export type ChannelRef =
  | { by: 'handle'; value: string }
  | { by: 'id'; value: string }
  | { by: 'custom'; value: string }
  | { by: 'user'; value: string };

export type Link =
  | { platform: 'youtube'; kind: 'video'; videoId: string; target: string }
  | { platform: 'youtube'; kind: 'channel'; channel: ChannelRef; target: string }
  | { platform: 'twitch'; kind: 'channel'; login: string; target: string };

/** invalid_youtube_url for a YouTube link that is wrong (the code the API has always given), invalid_link otherwise. */
export type LinkResult =
  | { ok: true; link: Link }
  | { ok: false; code: 'invalid_link' | 'invalid_youtube_url'; message: string };

const MAX_INPUT = 2048;
// YouTube handles: 3–30 characters, letters (any script), digits, `_`, `-`, `.` (YouTube's handle rules).
const HANDLE = /^[\p{L}\p{M}\p{N}_.-]{3,30}$/u;
const CHANNEL_ID = /^UC[A-Za-z0-9_-]{22}$/;
// Legacy /c/ and /user/ names: YouTube never published a rule; letters, digits and `_.-`, bounded.
const LEGACY_NAME = /^[\p{L}\p{M}\p{N}_.-]{1,100}$/u;
// A channel link may end in one of its tabs; all of them name the same channel.
const CHANNEL_TABS = new Set(['live', 'streams', 'featured', 'videos']);
// Twitch logins: 4–25 letters, digits or `_`, not starting with `_` (Twitch's sign-up rule; logins are lower case).
const TWITCH_LOGIN = /^[a-z0-9][a-z0-9_]{3,24}$/;
const TWITCH_HOSTS = new Set(['twitch.tv', 'www.twitch.tv', 'm.twitch.tv']);
// First path segments that are Twitch pages, not channels (a login cannot take these names).
const TWITCH_PAGES = new Set([
  'videos',
  'directory',
  'downloads',
  'jobs',
  'p',
  'search',
  'settings',
  'subscriptions',
  'inventory',
  'wallet',
  'friends',
  'turbo',
  'prime',
  'store',
  'login',
  'signup',
  'messages',
  'payments',
  'drops',
  'moderator',
  'popout',
  'following',
  'clip',
]);

const ACCEPTED =
  'Paste a YouTube video link (https://www.youtube.com/watch?v=…, https://youtu.be/…, /live/…), ' +
  'a YouTube channel link (https://www.youtube.com/@name, /channel/UC…), or a Twitch channel (https://twitch.tv/name).';

export function parseLink(input: string): LinkResult {
  if (input.length > MAX_INPUT) {
    return fail(`The input is too long (${input.length} characters; at most ${MAX_INPUT}). ${ACCEPTED}`);
  }
  const text = input.trim();
  if (text === '') return fail(`The link is empty. ${ACCEPTED}`);
  if (/\s/.test(text)) return fail(`${quote(text)} contains spaces; a link has none. ${ACCEPTED}`);
  if (text.startsWith('@')) return youtubeChannel(text.split('/').filter(Boolean).map(decode), text);

  const url = toUrl(text);
  const host = url?.hostname.replace(/\.$/, '').toLowerCase();
  if (url && host && !url.username && !url.password) {
    if (TWITCH_HOSTS.has(host)) return twitch(url, text);
    if (YOUTUBE_HOSTS.has(host.replace(HOST_PREFIXES, '')) && host.replace(HOST_PREFIXES, '') !== 'youtu.be') {
      const channel = youtubeChannelPath(url, text);
      if (channel) return channel;
    }
  }
  const video = parseVideoInput(text);
  if (video.ok) {
    return { ok: true, link: { platform: 'youtube', kind: 'video', videoId: video.videoId, target: text } };
  }
  // The video parser's messages are precise about YouTube links; for anything else name all three forms.
  const youtube = url && host && YOUTUBE_HOSTS.has(host.replace(HOST_PREFIXES, ''));
  if (youtube || /^[A-Za-z0-9_-]{10,12}$/.test(text)) return { ok: false, code: video.code, message: video.message };
  return fail(`${quote(text)} is not a link LivePulse can follow. ${ACCEPTED}`);
}

/** undefined when the path is not a channel form (then it is read as a video link). */
function youtubeChannelPath(url: URL, text: string): LinkResult | undefined {
  const segments = url.pathname.split('/').filter(Boolean).map(decode);
  const [first = '', second] = segments;
  if (first === 'embed' && second === 'live_stream') {
    const id = url.searchParams.get('channel') ?? '';
    return CHANNEL_ID.test(id) ? channel({ by: 'id', value: id }) : badChannel(text);
  }
  if (first.startsWith('@') || first === 'channel' || first === 'c' || first === 'user') {
    return youtubeChannel(segments, text);
  }
  return undefined;
}

function youtubeChannel(segments: (string | undefined)[], text: string): LinkResult {
  const [first = '', ...rest] = segments;
  const named = first.startsWith('@');
  const [name = '', ...tail] = named ? [first.slice(1), ...rest] : rest;
  if (tail.length > 1 || (tail.length === 1 && !CHANNEL_TABS.has(tail[0] ?? ''))) return badChannel(text);
  if (named) return HANDLE.test(name) ? channel({ by: 'handle', value: name }) : badChannel(text);
  if (first === 'channel') return CHANNEL_ID.test(name) ? channel({ by: 'id', value: name }) : badChannel(text);
  if (!LEGACY_NAME.test(name)) return badChannel(text);
  return channel(first === 'c' ? { by: 'custom', value: name } : { by: 'user', value: name });
}

function twitch(url: URL, text: string): LinkResult {
  const segments = url.pathname.split('/').filter(Boolean);
  const [first = ''] = segments;
  if (segments.length === 1 && !TWITCH_PAGES.has(first.toLowerCase())) {
    const login = first.toLowerCase();
    if (TWITCH_LOGIN.test(login))
      return { ok: true, link: { platform: 'twitch', kind: 'channel', login, target: `twitch.tv/${login}` } };
    return fail(
      `${quote(text)} does not name a Twitch channel: a Twitch login has 4 to 25 letters, digits or _ ` +
        '(not starting with _).',
    );
  }
  return fail(
    `${quote(text)} is a Twitch page, not a channel. Paste the channel itself, such as https://twitch.tv/name ` +
      '(videos, clips and other pages cannot be tracked live).',
  );
}

function channel(ref: ChannelRef): LinkResult {
  const path = {
    handle: `@${ref.value}`,
    id: `channel/${ref.value}`,
    custom: `c/${ref.value}`,
    user: `user/${ref.value}`,
  };
  return {
    ok: true,
    link: { platform: 'youtube', kind: 'channel', channel: ref, target: `youtube.com/${path[ref.by]}` },
  };
}

const badChannel = (text: string): LinkResult =>
  youtubeFail(
    `${quote(text)} looks like a YouTube channel link but does not name a channel the way YouTube does: ` +
      'https://www.youtube.com/@name (3 to 30 letters, digits, _ - .), /channel/UC… (24 characters), /c/name or ' +
      '/user/name, optionally followed by /live.',
  );

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const fail = (message: string): LinkResult => ({ ok: false, code: 'invalid_link', message });
const youtubeFail = (message: string): LinkResult => ({ ok: false, code: 'invalid_youtube_url', message });
