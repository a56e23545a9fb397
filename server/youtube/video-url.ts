// Turns whatever a person pastes (a YouTube video link in any common form, or a bare id) into an
// 11-character video id, or into one message that says what was wrong and what is accepted.

export type VideoInputResult =
  | { ok: true; videoId: string }
  | { ok: false; code: 'invalid_youtube_url'; message: string };

const MAX_INPUT = 2048;
/** A bare video id: 11 characters of YouTube's URL-safe alphabet. */
export const VIDEO_ID = /^[A-Za-z0-9_-]{11}$/;
const ID_LIKE = /^[A-Za-z0-9_-]+$/;
// The hostname is compared after parsing, never matched as a substring: `youtube.com.evil.com`
// and `evil.com/?u=youtu.be/…` must not pass.
export const YOUTUBE_HOSTS = new Set(['youtube.com', 'youtu.be', 'youtube-nocookie.com']);
export const HOST_PREFIXES = /^(?:www\.|m\.|music\.)/;
const ID_IN_PATH = new Set(['live', 'shorts', 'embed', 'v', 'e']);
const CHANNEL_PATHS = new Set(['channel', 'c', 'user']);

const ACCEPTED =
  'Paste a video link such as https://www.youtube.com/watch?v=…, https://youtu.be/…, ' +
  'https://www.youtube.com/live/… or /shorts/…, or the 11-character video id.';

export function parseVideoInput(input: string): VideoInputResult {
  if (input.length > MAX_INPUT) {
    return fail(`The input is too long (${input.length} characters; at most ${MAX_INPUT}). ${ACCEPTED}`);
  }
  const text = input.trim();
  if (text === '') return fail(`The video link is empty. ${ACCEPTED}`);
  if (VIDEO_ID.test(text)) return { ok: true, videoId: text };
  // One character short or long is almost always a bad copy of a bare id, so say so precisely.
  if (ID_LIKE.test(text) && (text.length === 10 || text.length === 12)) return idOrFail(text, text);

  const url = toUrl(text);
  if (!url) return fail(`${quote(text)} is not a YouTube video link. ${ACCEPTED}`);
  const host = url.hostname.replace(/\.$/, '').replace(HOST_PREFIXES, '');
  if (!YOUTUBE_HOSTS.has(host) || url.username || url.password) {
    return fail(`${quote(text)} is not a YouTube video link. ${ACCEPTED}`);
  }
  const segments = url.pathname.split('/').filter(Boolean);
  if (host === 'youtu.be') return segments.length === 1 ? idOrFail(segments[0], text) : notAVideo(text);
  return fromYoutubePath(segments, url, text);
}

function fromYoutubePath(segments: string[], url: URL, text: string): VideoInputResult {
  const [first = '', second] = segments;
  if (first.startsWith('@') || CHANNEL_PATHS.has(first) || (first === 'embed' && second === 'live_stream')) {
    return fail(
      `${quote(text)} is a channel link. A channel link points at whatever the channel streams, which cannot ` +
        'be tracked: paste the link of the live video (Share → Copy link), not the channel.',
    );
  }
  if (first === '' || first === 'watch' || first === 'watch_popup') {
    const v = url.searchParams.get('v') ?? new URLSearchParams(url.hash.replace(/^#!?/, '')).get('v');
    if (v !== null) return idOrFail(v, text);
    if (url.searchParams.has('list')) return playlist(text);
    return notAVideo(text);
  }
  if (first === 'playlist' || (first === 'embed' && second === 'videoseries')) return playlist(text);
  if (ID_IN_PATH.has(first) && second !== undefined && segments.length === 2) return idOrFail(second, text);
  return notAVideo(text);
}

function idOrFail(id: string, text: string): VideoInputResult {
  if (VIDEO_ID.test(id)) return { ok: true, videoId: id };
  if (ID_LIKE.test(id)) {
    return fail(
      `The video id in ${quote(text)} has ${id.length} characters; YouTube video ids have exactly 11 ` +
        '(letters, digits, - and _). Check that the link was copied whole.',
    );
  }
  return notAVideo(text);
}

/** Adds https:// when the scheme is missing; refuses any scheme other than http(s). */
export function toUrl(text: string): URL | undefined {
  // A scheme is letters followed by ':' that is not a port number (`youtube.com:443/…` has no scheme).
  const scheme = /^([a-z][a-z0-9+.-]*):(?!\d)/i.exec(text)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme !== 'http' && scheme !== 'https') return undefined;
  const withScheme = scheme ? text : `https://${text.replace(/^\/\//, '')}`;
  try {
    return new URL(withScheme);
  } catch {
    return undefined;
  }
}

const notAVideo = (text: string) => fail(`${quote(text)} is a YouTube link, but not to a video. ${ACCEPTED}`);

const playlist = (text: string) =>
  fail(`${quote(text)} is a playlist link. Open the live video itself and paste its link (Share → Copy link).`);

const fail = (message: string): VideoInputResult => ({ ok: false, code: 'invalid_youtube_url', message });

/** The input as it can safely appear in a message: no control or direction-changing characters, at most ~80 chars. */
export function quote(text: string): string {
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '');
  return `"${clean.length > 80 ? clean.slice(0, 79) + '…' : clean}"`;
}
