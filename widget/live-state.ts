// The one rule for what an element or page tells its viewers about its number: live, stale, offline,
// no data (and why), denied or not found, decided from what the live client knows. Pure: no DOM, no timers.
import type { StatusMessage, StreamInfo, StreamStatus } from '../server/wire.ts';
import { formatClock } from './format.ts';
import { fill, wordsFor } from './words.ts';

/** The host's reflected `state` attribute, the same on every element and page. */
export type LiveState = 'connecting' | 'live' | 'stale' | 'offline' | 'no-data' | 'denied' | 'not-found';

/** What the connection itself knows: opening, serving, retrying, or refused for good. */
export type Link = 'connecting' | 'open' | 'offline' | 'denied' | 'not-found';

/** Why no stream has a count now (state no-data), or, with not-found, `stream` when the stream is unknown. */
export type Reason =
  | 'no_api_key'
  | 'api_key'
  | 'quota'
  | 'paused'
  | 'upcoming'
  | 'hidden'
  | 'ended'
  | 'unavailable'
  | 'not_live'
  | 'pending'
  | 'error'
  | 'no_streams'
  | 'stream';

export interface LiveFacts {
  link: Link;
  /** The server's latest status frame. */
  status: StatusMessage | null;
  /** When the newest count was taken, on this browser's clock (ms), or null when none is known. */
  lastSampleAt: number | null;
  /** The element's `stream` attribute: a stream id or a YouTube video id; empty for the event's total. */
  stream?: string;
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
const COUNTING: ReadonlySet<StreamStatus> = new Set(['live', 'error', 'pending']);

/** The reason shown when no stream counts, most telling first: a global cause beats a per-stream one. */
const REASONS: [Reason, StreamStatus[]][] = [
  ['no_api_key', ['no_api_key']],
  ['api_key', ['api_key_invalid', 'api_config_error']],
  ['quota', ['quota_exceeded']],
  ['paused', ['paused']],
  ['upcoming', ['upcoming']],
  ['hidden', ['live_hidden']],
  ['ended', ['ended']],
  ['unavailable', ['unavailable']],
  ['not_live', ['not_live']],
];

/** The stream that `key` names, by stream id or by YouTube video id. */
export function findStream(streams: readonly StreamInfo[] | undefined, key: string): StreamInfo | undefined {
  return streams?.find((s) => s.id === key) ?? streams?.find((s) => s.videoId === key);
}

/** The view of an element (or a page) now, from the facts. */
export function decideState(facts: LiveFacts, now = Date.now()): LiveView {
  const { link, status, lastSampleAt } = facts;
  const view = (state: LiveState, extra: Partial<LiveView> = {}): LiveView => ({ state, lastSampleAt, recheckIn: null, ...extra });
  if (link === 'denied' || link === 'not-found') return view(link);
  let streams = status?.streams;
  let streamId: string | undefined;
  if (facts.stream && streams) {
    const found = findStream(streams, facts.stream);
    if (!found) return view('not-found', { reason: 'stream' });
    streamId = found.id;
    streams = [found];
  }
  if (link === 'offline') return view('offline', { streamId });
  if (!status || !streams) return view('connecting', { streamId });

  if (!streams.some((s) => COUNTING.has(s.status))) {
    const [reason] = REASONS.find(([, codes]) => streams.some((s) => codes.includes(s.status))) ?? ['no_streams'];
    const at =
      reason === 'quota'
        ? status.resumesAt
        : reason === 'upcoming'
          ? streams.map((s) => s.scheduledStart ?? '').filter(Boolean).sort()[0]
          : undefined;
    return view('no-data', { reason, at, streamId });
  }
  if (lastSampleAt === null) {
    // Nothing counted yet: a stream just added, or YouTube failing since before we connected.
    const reason = streams.some((s) => s.status === 'error') && !streams.some((s) => s.status === 'live') ? 'error' : 'pending';
    return view('no-data', { reason, streamId });
  }
  const liveFor = lastSampleAt + STALE_AFTER_INTERVALS * status.intervalSeconds * 1000 - now;
  return liveFor > 0 ? view('live', { streamId, recheckIn: Math.ceil(liveFor) }) : view('stale', { streamId });
}

/**
 * The state line in the viewer's language: empty when live, else what to tell ("As of 21:04",
 * "Offline · as of 21:04", "YouTube quota spent until 09:00"). Times are formatted in `locale`, words
 * are French or English.
 */
export function stateText(view: LiveView, locale: string | undefined): string {
  const words = wordsFor(locale);
  const clock = (ms: number) => formatClock(locale, ms);
  const asOf = view.lastSampleAt === null ? '' : fill(words.asOf, { time: clock(view.lastSampleAt) });
  switch (view.state) {
    case 'live':
      return '';
    case 'stale':
      return asOf || words.noRecent;
    case 'offline':
      return asOf ? `${words.offline} · ${asOf}` : words.offline;
    case 'not-found':
      return view.reason === 'stream' ? words.streamNotFound : words.notFound;
    case 'no-data': {
      const reason = view.reason ?? 'no_streams';
      const at = view.at ? Date.parse(view.at) : NaN;
      if ((reason === 'quota' || reason === 'upcoming') && Number.isFinite(at)) return fill(words.reasons[`${reason}At`], { time: clock(at) });
      return words.reasons[reason as keyof typeof words.reasons];
    }
    default:
      return words[view.state];
  }
}
