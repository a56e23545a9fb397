// The one rule for what an element or page tells its viewers about its number: live, stale, offline,
// no data (and why), denied or not found, decided from what the live client knows. Pure: no DOM, no timers.
import type { StatusMessage, StreamInfo, StreamStatus } from '../server/wire.ts';
import { formatClock } from './format.ts';
import { fill, wordsFor } from './words.ts';

/** The host's reflected `state` attribute, the same on every element and page. */
export type LiveState = 'connecting' | 'live' | 'stale' | 'offline' | 'no-data' | 'denied' | 'not-found';

/** What the connection itself knows: opening, serving, retrying, or refused for good. */
export type Link = 'connecting' | 'open' | 'offline' | 'denied' | 'not-found';

/**
 * Why no stream has a count now (state no-data): the status of the streams (no_api_key, quota_exceeded,
 * live_hidden…), or `no_streams`; with not-found, `stream` when the event exists but not the stream.
 */
export type Reason = Exclude<StreamStatus, 'live' | 'api_config_error'> | 'no_streams' | 'stream';

export interface LiveFacts {
  link: Link;
  /** The server's latest status frame. */
  status: StatusMessage | null;
  /** When the newest count was taken, on this browser's clock (ms), or null when none is known. */
  lastSampleAt: number | null;
  /** The element's `stream` attribute: a stream id or a YouTube video id; empty for the event's total. */
  stream?: string;
  /** The streams a count of which is known (history or samples): `lastSampleAt` may be another stream's. */
  counted?: ReadonlySet<string>;
}

export interface LiveView {
  state: LiveState;
  /** no-data: why; not-found: 'stream' when the event exists but not the stream. */
  reason?: Reason;
  /** no-data: when polling resumes (quota) or the stream starts (upcoming), ISO 8601. */
  at?: string;
  /** When the count on screen was taken (ms): its age is shown while stale or offline. */
  lastSampleAt: number | null;
  /** The id of the stream the `stream` attribute names, once the status has resolved it. */
  streamId?: string;
  /** Decide again after this many ms even if nothing arrives (live turns stale by itself); null: no need. */
  recheckIn: number | null;
}

/** A count older than this many polling intervals is stale. */
export const STALE_AFTER_INTERVALS = 2.5;

/** Statuses where a count is (or will be again in a moment) polled: freshness decides between live and stale. */
const COUNTING: StreamStatus[] = ['live', 'error', 'pending'];

/**
 * The statuses without a count, most telling first: a global cause beats a per-stream one. A key blocked
 * or an API not enabled (api_config_error) is, for a viewer, the key refused: it reads as api_key_invalid.
 */
const NO_COUNT = [
  'no_api_key',
  'api_key_invalid',
  'api_config_error',
  'quota_exceeded',
  'paused',
  'upcoming',
  'live_hidden',
  'ended',
  'offline',
  'unavailable',
  'not_live',
] as const;

/** A stream that may be counting but was not read in the last tick: its event has no total for that tick (a gap). */
export function unread(s: Pick<StreamInfo, 'status' | 'viewers'>): boolean {
  return (s.status === 'pending' || s.status === 'error') && s.viewers === null;
}

/** The stream that `key` names, by stream id or by YouTube video id. */
export function findStream(streams: readonly StreamInfo[] | undefined, key: string): StreamInfo | undefined {
  return streams?.find((s) => s.id === key || s.videoId === key);
}

/** The view of an element (or a page) now, from the facts. */
export function decideState(facts: LiveFacts, now = Date.now()): LiveView {
  const { link, status, lastSampleAt, stream } = facts;
  let streams = status?.streams;
  const found = stream ? findStream(streams, stream) : undefined;
  const view = (state: LiveState, extra?: Partial<LiveView>): LiveView => ({
    state,
    lastSampleAt,
    recheckIn: null,
    streamId: found?.id,
    ...extra,
  });
  if (link === 'denied' || link === 'not-found') return view(link);
  if (stream && streams && !found) return view('not-found', { reason: 'stream' });
  if (found) streams = [found];
  if (link === 'offline') return view('offline');
  if (!status || !streams) return view('connecting');
  // One stream polled but not counting now: the event's newest count is another stream's, never this one's "live".
  if (found && unread(found))
    return facts.counted?.has(found.id)
      ? view('stale', { lastSampleAt: null })
      : view('no-data', { reason: found.status as 'pending' | 'error' });

  const has = (status: string) => streams.some((s) => s.status === status);
  if (!COUNTING.some(has)) {
    const code = NO_COUNT.find(has);
    const reason = code === 'api_config_error' ? 'api_key_invalid' : (code ?? 'no_streams');
    const at =
      reason === 'quota_exceeded'
        ? status.resumesAt
        : reason === 'upcoming'
          ? streams
              .map((s) => s.scheduledStart)
              .filter((t): t is string => !!t)
              .sort()[0]
          : undefined;
    return view('no-data', { reason, at });
  }
  // Nothing counted yet: YouTube failing since before we connected, or a stream just added (its first count is on its way).
  if (lastSampleAt === null)
    return has('live') || !has('error') ? view('connecting') : view('no-data', { reason: 'error' });
  const liveFor = lastSampleAt + STALE_AFTER_INTERVALS * status.intervalSeconds * 1000 - now;
  return liveFor > 0 ? view('live', { recheckIn: Math.ceil(liveFor) }) : view('stale');
}

/**
 * The state line in the viewer's language: empty when live, else what to tell ("As of 21:04",
 * "Offline · as of 21:04", "YouTube quota spent until 09:00"). Times are formatted in `locale`, words
 * are French or English.
 */
export function stateText(view: LiveView, locale: string | undefined): string {
  const words = wordsFor(locale);
  const { state, reason, lastSampleAt } = view;
  const clock = (ms: number) => formatClock(locale, ms);
  const asOf = lastSampleAt === null ? '' : fill(words.asOf, { time: clock(lastSampleAt) });
  const at = Date.parse(view.at ?? '');
  if (state === 'live') return '';
  if (state === 'stale') return asOf;
  if (state === 'offline') return [words.offline, asOf].filter(Boolean).join(' · ');
  if (state === 'not-found') return reason === 'stream' ? words.streamNotFound : words.notFound;
  if (state !== 'no-data') return words[state];
  return at
    ? fill(words.reasons[`${reason as 'upcoming'}At`], { time: clock(at) })
    : words.reasons[reason as keyof typeof words.reasons];
}
