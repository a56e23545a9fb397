// Turns what YouTube answered in one tick into stream updates and event samples. Pure: no I/O,
// so every status rule is tested directly. Nothing is invented: a stream without a count adds
// nothing to its event's total, and an event with no count at all gets no sample. A stream that
// may be counting but could not be read this tick (a fault, a blip) makes its event's
// total unknown: that tick is a gap for the event, not the sum of the others shown as the total.
import type { UpstreamFault } from '../youtube/classify-fault.ts';
import type { VideoState } from '../youtube/video-state.ts';
import type { SampleMessage, SourceName, StreamStatus } from '../wire.ts';
import type { PollableStream } from './schedule.ts';
import { targetKey } from './sources/source.ts';

/** Consecutive absences from `items` before a stream is called unavailable (blips happen). */
export const MISSES_BEFORE_UNAVAILABLE = 3;

/**
 * Statuses of a stream known not to count now: a failed read of one of these leaves its event's total known.
 * A spent quota, a refused key or a wrong configuration lasts hours, not seconds: the tick that meets it is a
 * gap, and from then on the stream says why it has no count (everywhere it is shown) while the others are
 * summed, as for an unavailable video. Passing trouble (5xx, timeout, 429, a blip) stays a gap until it passes.
 */
const NOT_COUNTING = new Set<StreamStatus>([
  'upcoming',
  'ended',
  'not_live',
  'offline',
  'unavailable',
  'paused',
  'quota_exceeded',
  'api_key_invalid',
  'api_config_error',
  'no_api_key',
]);
const counting = (status: StreamStatus) => status === 'live' || status === 'live_hidden';

export type VideoOutcome =
  | { kind: 'video'; video: VideoState }
  | { kind: 'missing' }
  | { kind: 'fault'; fault: UpstreamFault };

export interface StreamUpdate {
  id: string;
  eventId: string;
  status: StreamStatus;
  statusReason: string | null;
  viewers: number | null;
  scheduledStart: string | null;
  title: string | null;
  channelTitle: string | null;
  misses: number;
  /** Whether the stream's row is part of this tick's samples (live, counted or hidden). */
  sampled: boolean;
  /** The source that answered for it this tick (stored with its sample and on the stream). */
  source?: SourceName | null;
  /** Why that source (or why none), in an organiser's words; null keeps the stored one. */
  sourceReason?: string | null;
}

export interface TickResult {
  ts: Date;
  updates: StreamUpdate[];
  /** Per event with at least one count this tick. */
  samples: Map<string, SampleMessage>;
  /** Events whose streams changed status (or reason). */
  statusChanged: Set<string>;
}

export function faultStatus(fault: UpstreamFault, resumesAt?: Date): { status: StreamStatus; reason: string } {
  switch (fault.kind) {
    case 'quota_exceeded':
      return {
        status: 'quota_exceeded',
        reason: `YouTube quota spent; polling resumes at ${resumesAt?.toISOString() ?? 'the next Pacific midnight'}`,
      };
    case 'api_key_invalid':
      return { status: 'api_key_invalid', reason: 'YouTube rejected the API key; retried every 5 minutes' };
    case 'api_config_error':
      return { status: 'api_config_error', reason: fault.reason };
    default:
      return { status: 'error', reason: fault.reason };
  }
}

/**
 * Drift only in the title, the channel's name or the planned start: the count and the times that decide the
 * status (actual start and end) are sound.
 */
const onlyTextDrift = (drift: string) =>
  drift.split('; ').every((note) => /^(title|channelTitle|scheduledStartTime):/.test(note));

function fromVideo(video: VideoState): { status: StreamStatus; reason: string | null; viewers: number | null } {
  // A title of the wrong type must not cost a valid count (the stored title is kept: writeTick coalesces).
  if (video.drift && !onlyTextDrift(video.drift))
    return { status: 'error', reason: `unexpected viewer count from YouTube (${video.drift})`, viewers: null };
  switch (video.status) {
    case 'live':
      return { status: 'live', reason: null, viewers: video.viewers };
    case 'live_hidden':
      return {
        status: 'live_hidden',
        reason: 'live, but YouTube gives no count: hidden by the channel, or nobody watching',
        viewers: null,
      };
    case 'upcoming':
      return {
        status: 'upcoming',
        reason: video.scheduledStart ? `scheduled for ${video.scheduledStart}` : 'scheduled',
        viewers: null,
      };
    case 'ended':
      return { status: 'ended', reason: video.actualEnd ? `ended at ${video.actualEnd}` : 'ended', viewers: null };
    case 'not_live':
      return { status: 'not_live', reason: 'a regular video, not a live broadcast', viewers: null };
    case 'offline':
      return { status: 'offline', reason: 'the channel is not live now', viewers: null };
  }
}

export function applyTick(
  ts: Date,
  streams: PollableStream[],
  outcomes: Map<string, VideoOutcome>,
  resumesAt?: Date,
  answeredBy?: Map<string, SourceName>,
  reasons?: Map<string, string>,
): TickResult {
  const updates: StreamUpdate[] = [];
  const samples = new Map<string, SampleMessage>();
  const statusChanged = new Set<string>();
  /** Events with a stream whose count this tick is unknown: no total (see the top of this file). */
  const unknown = new Set<string>();

  for (const s of streams) {
    const key = targetKey(s);
    const outcome = key === null ? undefined : outcomes.get(key);
    if (!outcome) {
      // Not asked this tick (its source is backed off): as unknown as a failed read.
      if (!NOT_COUNTING.has(s.status)) unknown.add(s.eventId);
      continue;
    }
    let next: { status: StreamStatus; reason: string | null; viewers: number | null };
    let misses = 0;
    let meta: Pick<StreamUpdate, 'scheduledStart' | 'title' | 'channelTitle'> = {
      scheduledStart: null,
      title: null,
      channelTitle: null,
    };
    if (outcome.kind === 'video') {
      next = fromVideo(outcome.video);
      meta = {
        scheduledStart: outcome.video.scheduledStart,
        title: outcome.video.title,
        channelTitle: outcome.video.channelTitle,
      };
    } else if (outcome.kind === 'missing') {
      misses = s.misses + 1;
      next =
        misses >= MISSES_BEFORE_UNAVAILABLE
          ? {
              status: 'unavailable',
              reason: `not returned by YouTube ${misses} times in a row: private, deleted or a wrong id`,
              viewers: null,
            }
          : { status: s.status, reason: s.statusReason, viewers: null };
    } else {
      const f = faultStatus(outcome.fault, resumesAt);
      next = { status: f.status, reason: f.reason, viewers: null };
    }
    // Only an answer about the video itself is a sample; a blip (missing) keeps the status but adds nothing.
    const sampled = outcome.kind === 'video' && counting(next.status);
    // Unread: YouTube or Twitch failed (5xx, timeout, quota, key) or left out a live video once (a blip).
    // Known not to count before (upcoming, ended…), it changes nothing. An odd count (drift) is an answer,
    // taken like a hidden count: that stream has none, the others are summed (a video whose count is
    // always odd would otherwise leave its event without a total for good).
    const unread =
      (outcome.kind === 'fault' && !NOT_COUNTING.has(s.status)) ||
      (outcome.kind === 'missing' && counting(next.status));
    if (unread) unknown.add(s.eventId);
    updates.push({
      id: s.id,
      eventId: s.eventId,
      status: next.status,
      statusReason: next.reason,
      viewers: next.viewers,
      misses,
      sampled,
      source: (key !== null && answeredBy?.get(key)) || null,
      sourceReason: (key !== null && reasons?.get(key)) || null,
      ...meta,
    });
    if (next.status !== s.status || next.reason !== s.statusReason) statusChanged.add(s.eventId);
  }

  for (const u of updates) {
    if (!u.sampled) continue;
    const sample = samples.get(u.eventId) ?? { ts: ts.toISOString(), total: 0, streams: {} };
    sample.streams[u.id] = u.viewers;
    if (u.viewers !== null) sample.total += u.viewers;
    samples.set(u.eventId, sample);
  }
  // An event whose live streams all hide their counts has no total this tick: not a zero. An event with a
  // stream it could not read has none either: the sum of the others is not its total.
  for (const [eventId, sample] of samples) {
    if (unknown.has(eventId) || Object.values(sample.streams).every((v) => v === null)) samples.delete(eventId);
  }
  return { ts, updates, samples, statusChanged };
}
