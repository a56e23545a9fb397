// Reads a videos.list 200 body into one VideoState per returned id (status rule of the wire reference
// §1.5), tolerating schema drift field by field instead of failing the whole batch.
import * as v from 'valibot';
import { toStorable } from '../storable-text.ts';

/** offline: a channel (Twitch, a followed YouTube channel) with nothing live; never from videos.list. */
export type VideoStatus = 'live' | 'live_hidden' | 'upcoming' | 'ended' | 'not_live' | 'offline';

export interface VideoState {
  videoId: string;
  status: VideoStatus;
  /** Concurrent viewers; null when hidden, not live, or unreadable. Never 0 for "unknown". */
  viewers: number | null;
  scheduledStart: string | null;
  actualStart: string | null;
  actualEnd: string | null;
  /** Written by the stream owner: untrusted text. */
  title: string | null;
  channelTitle: string | null;
  /** Set when a field YouTube sent did not have the documented shape (schema drift). */
  drift?: string;
}

// Only the envelope is strict: an `items` that is not an array means we cannot trust the body at all.
// With a `fields=` selection YouTube omits `items` entirely when no id matched.
const Envelope = v.object({ items: v.optional(v.array(v.unknown()), []) });

// concurrentViewers is a uint64 carried as a JSON string; 15 digits keeps it exact as a JS number.
const VIEWERS = /^[0-9]{1,15}$/;

type Fields = Record<string, unknown>;

/** undefined when the body is not a videos.list answer; otherwise the videos found and the ids that were not. */
export function readVideos(
  body: unknown,
  requested: string[],
): { videos: VideoState[]; missing: string[] } | undefined {
  const envelope = v.safeParse(Envelope, body);
  if (!envelope.success) return undefined;
  const wanted = new Set(requested);
  const found = new Map<string, VideoState>();
  for (const item of envelope.output.items) {
    const id = isObject(item) ? item.id : undefined;
    // Ids we did not ask for, or repeats, are ignored rather than trusted.
    if (typeof id === 'string' && wanted.has(id) && !found.has(id)) found.set(id, readItem(id, item as Fields));
  }
  return {
    videos: requested.filter((id) => found.has(id)).map((id) => found.get(id)!),
    missing: requested.filter((id) => !found.has(id)),
  };
}

function readItem(videoId: string, item: Fields): VideoState {
  const drift: string[] = [];
  const snippet = isObject(item.snippet) ? item.snippet : {};
  const live = isObject(item.liveStreamingDetails) ? item.liveStreamingDetails : undefined;
  if (item.liveStreamingDetails !== undefined && live === undefined) {
    drift.push(`liveStreamingDetails: expected an object, got ${describe(item.liveStreamingDetails)}`);
  }
  const time = (key: string) => readTime(live, key, drift);
  const state: VideoState = {
    videoId,
    status: 'not_live',
    viewers: null,
    scheduledStart: time('scheduledStartTime'),
    actualStart: time('actualStartTime'),
    actualEnd: time('actualEndTime'),
    title: readText(snippet, 'title', drift),
    channelTitle: readText(snippet, 'channelTitle', drift),
  };
  // The status comes from the timestamps, never from snippet.liveBroadcastContent (it can still say
  // "live" after actualEndTime is set) nor from whether concurrentViewers is there (it is hidden-or-zero).
  if (live === undefined) state.status = 'not_live';
  else if (state.actualEnd !== null) state.status = 'ended';
  else if (state.actualStart !== null) {
    state.viewers = readViewers(live.concurrentViewers, drift);
    state.status = state.viewers === null ? 'live_hidden' : 'live';
  } else state.status = 'upcoming';
  if (drift.length) state.drift = drift.join('; ');
  return state;
}

function readViewers(raw: unknown, drift: string[]): number | null {
  if (raw === undefined) return null;
  if (typeof raw === 'string' && VIEWERS.test(raw)) return Number(raw);
  drift.push(`concurrentViewers: expected a string of up to 15 digits, got ${describe(raw)}`);
  return null;
}

/** An RFC 3339 time as an ISO string (ms, Z); YouTube sends both with and without milliseconds. */
function readTime(fields: Fields | undefined, key: string, drift: string[]): string | null {
  const raw = fields?.[key];
  if (raw === undefined || raw === null) return null;
  const ms = typeof raw === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(raw) ? Date.parse(raw) : NaN;
  if (Number.isNaN(ms)) {
    drift.push(`${key}: expected a date-time, got ${describe(raw)}`);
    return null;
  }
  return new Date(ms).toISOString();
}

function readText(fields: Fields, key: string, drift: string[]): string | null {
  const raw = fields[key];
  if (raw === undefined || raw === null) return null;
  // A NUL or a broken surrogate in a title would make the whole tick's write fail: cleaned here.
  if (typeof raw === 'string') return toStorable(raw);
  drift.push(`${key}: expected a string, got ${describe(raw)}`);
  return null;
}

/** A short, safe description of an unexpected value for a drift note (never its full content). */
function describe(raw: unknown): string {
  if (typeof raw === 'string')
    return `"${raw.length > 24 ? raw.slice(0, 24) + '…' : raw}"`.replace(/[^\x20-\x7e…]/g, '?');
  if (typeof raw === 'number' || typeof raw === 'boolean') return `${typeof raw} ${raw}`;
  return raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw;
}

const isObject = (x: unknown): x is Fields => typeof x === 'object' && x !== null && !Array.isArray(x);
