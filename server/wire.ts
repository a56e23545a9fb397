// The JSON shapes that cross the wire between the server and the widgets/pages. Type-only: the
// widget bundle imports these types and nothing else from server/.
import type { UpstreamFaultKind } from './youtube/classify-fault.ts';

/** Why a stream has (or has not) a number right now. */
export type StreamStatus =
  | 'pending' // added, not polled yet
  | 'live' // live, with a count
  | 'live_hidden' // live, but YouTube gave no count (hidden by the owner, or nobody watching)
  | 'upcoming' // scheduled; statusReason/scheduledStart say when
  | 'ended' // has actualEndTime
  | 'not_live' // a normal video, not a live broadcast
  | 'offline' // a followed channel (YouTube channel link, Twitch) with nothing live now: not an error
  | 'unavailable' // missing from YouTube's answer several times in a row: private, deleted or wrong id
  | 'paused' // its event is paused or outside its planned window
  | 'quota_exceeded' // the daily quota is spent; resumes at the Pacific midnight
  | 'api_key_invalid'
  | 'api_config_error' // key blocked, API disabled for the project
  | 'no_api_key'
  | 'error'; // upstream or network trouble; statusReason says which

export type Platform = 'youtube' | 'twitch';
/** What produced a stream's last answer: the YouTube Data API, YouTube's InnerTube, or Twitch Helix. */
export type SourceName = 'api' | 'innertube' | 'twitch';

export interface StreamInfo {
  id: string;
  platform: Platform;
  /** What was pasted, normalised (youtube.com/@name, twitch.tv/name, or the video link); null for older streams. */
  target: string | null;
  /** True for a channel link: the stream follows the channel's current live video across restarts. */
  follows: boolean;
  /** The YouTube video counted now; null for Twitch, and for a followed channel with nothing live yet. */
  videoId: string | null;
  /** The Twitch login; null for YouTube. */
  login: string | null;
  /** The source that answered last, and why that one; null before the first poll. */
  source: SourceName | null;
  sourceReason: string | null;
  label: string;
  status: StreamStatus;
  statusReason: string | null;
  scheduledStart: string | null;
  title: string | null;
  channelTitle: string | null;
  viewers: number | null;
  updatedAt: string | null;
  chat: ChatState;
  /** Words for disabled / members_only / unavailable, else null. */
  chatReason: string | null;
}

/** Chat activity of a stream (issue 16): 'off' unless the organiser enabled it; Twitch streams are always 'off'. */
export type ChatState =
  | 'off' // not enabled for this stream
  | 'pending' // enabled, not read yet
  | 'ok' // being read; messages per minute are stored
  | 'disabled' // the owner turned the chat off
  | 'members_only' // only channel members can read it
  | 'unavailable'; // no chat (not live, replay, removed, or YouTube refused); chatReason says which

export interface ChatPoint {
  /** Start of the minute (UTC, whole minute). */
  ts: string;
  /** Chat messages posted in that minute. */
  messages: number;
}

/** SSE `event: chat` (no `id:` line, so Last-Event-ID resume is untouched), once per closed minute per event. */
export interface ChatMessage {
  ts: string; // minute start
  total: number;
  streams: Record<string, number>;
}

export interface EventInfo {
  id: string;
  name: string;
  public: boolean;
  paused: boolean;
  startsAt: string | null;
  endsAt: string | null;
  createdAt: string;
  streams: StreamInfo[];
  /** The viewer thresholds that are milestones (GET and PATCH /api/events/:id only). */
  milestones?: number[];
}

export interface HistoryPoint {
  ts: string;
  /** The bucket's average (or the raw value when not bucketed); null for a stream with a hidden count. */
  viewers: number | null;
  /** The bucket's maximum, so a peak is never averaged away. */
  max: number | null;
}

export interface HistoryResponse {
  eventId: string;
  from: string;
  to: string;
  /** 0 when the points are raw samples. */
  bucketSeconds: number;
  total: HistoryPoint[];
  streams?: Record<string, HistoryPoint[]>;
  /**
   * Chat messages per minute (issue 16): present when any stream of the event has chat enabled or chat rows in
   * the window; bucketed like viewers when the window is long (`messages` is then the bucket's average per minute).
   */
  chat?: { total: ChatPoint[]; streams: Record<string, ChatPoint[]> };
  /**
   * The live stream's history only: the event's newest count, whatever the window (absent before the first).
   * What a screen shows as old once the window holds no count: every screen dates the same number.
   */
  latest?: SampleMessage;
}

/** SSE `event: sample`, id = tick time in ms. One message carries all of an event's streams. */
export interface SampleMessage {
  ts: string;
  total: number;
  streams: Record<string, number | null>;
}

/** Why an open stream was closed for good: the event was deleted, made private, its embed key regenerated, the token expired, the admin session ended. */
export type RevokedReason = 'deleted' | 'private' | 'key_rotated' | 'token_expired' | 'session_ended';

/** SSE `event: status`: sent after `history`, and whenever a stream's status changes. */
export interface StatusMessage {
  /**
   * 'ok', or why the server is not serving this event's samples now. Passing, the client retries after the
   * frame's `retry:`: 'server_full', 'shutting_down', 'unavailable' (database trouble). Final, the server
   * closes the stream and the client must not reconnect: 'denied' (the event became private, its embed key
   * was regenerated, the token expired, the session ended) and 'not_found' (the event was deleted).
   */
  state: 'ok' | 'server_full' | 'shutting_down' | 'unavailable' | 'denied' | 'not_found';
  /** With a final state only: what changed (a detail for logs and messages; `state` is what decides). */
  reason?: RevokedReason;
  intervalSeconds: number;
  streams: StreamInfo[];
  /** When the quota is spent: when polling resumes. */
  resumesAt?: string;
}

export interface QuotaInfo {
  used: number;
  budget: number;
  resetAt: string;
  intervalSeconds: number;
  callsPerTick: number;
  exhausted: boolean;
}

/**
 * Where YouTube counts come from: the Data API with a key ('real', InnerTube only once its quota is spent),
 * InnerTube (no key, or YT_SOURCE=innertube), the built-in simulator, or nowhere (YT_SOURCE=api, no key).
 */
export type YoutubeSource = 'real' | 'innertube' | 'simulator' | 'none';

/** GET /api/health: 200 while the database answers (even when degraded by YouTube), 503 when it does not. */
export interface Health {
  /** 'degraded' while the database is down, YouTube is failing, ticks wait to be stored, or no instance polls (none holds the poller lock). */
  status: 'ok' | 'degraded';
  db: 'embedded' | 'postgres';
  dbState: 'up' | 'down';
  version: string;
  /** What this instance does about polling right now. */
  poller: 'leader' | 'standby' | 'off';
  youtube: YoutubeSource;
  /** 'ok' or 'idle' (nothing to ask), or the kind of the last call's fault. */
  upstream: 'ok' | 'idle' | UpstreamFaultKind;
  /** Ticks waiting for the database, and the age of the oldest in seconds (null when none wait). */
  queuedTicks: number;
  oldestQueuedTickSeconds: number | null;
}

/** GET /api/auth/me: who the session cookie (if any) signs in, and when that session ends. */
export interface Me {
  user: 'admin' | null;
  expiresAt: string | null;
}

/**
 * GET /api/events/:id/now.json: the event's number now, for production tools (vMix, Companion, Singular,
 * CasparCG). now.xml holds the same tree, now.csv the same fields. The names are a contract: never rename.
 */
export interface NowResponse {
  /** The newest total, kept (with its `updatedAt`) while stale; null when no stream has a count now. */
  total: number | null;
  /** `total` formatted in the request's `locale`; null with it. */
  totalFormatted: string | null;
  /** When the newest count was taken (ISO 8601 UTC), or null when the event has none yet. */
  updatedAt: string | null;
  /** live: younger than 2.5 polling intervals; stale: older, shown as old; no-data: nothing is counted now. */
  state: 'live' | 'stale' | 'no-data';
  streams: NowStream[];
}

export interface NowStream {
  label: string;
  platform: Platform;
  /** This stream's count in the newest tick; null when hidden, not counted in it, or when `state` is no-data. */
  viewers: number | null;
  viewersFormatted: string | null;
  status: StreamStatus;
}

/** What a webhook is told about (POST /api/events/:id/webhooks `on`; a delivery's `type`, or `test`). */
export type WebhookEventType = 'stream.live' | 'stream.ended' | 'stream.unavailable' | 'quota.exhausted' | 'milestone';

/** One webhook in GET /api/events/:id/webhooks (the secret only in the 201 of its creation). */
export interface WebhookInfo {
  id: string;
  eventId: string;
  url: string;
  kind: 'json' | 'discord' | 'slack';
  on: WebhookEventType[];
  createdAt: string;
  deliveries?: WebhookDelivery[];
}

export interface WebhookDelivery {
  id: string;
  type: WebhookEventType | 'test';
  /** pending: waiting for its first or next attempt; failed: given up after the last attempt. */
  state: 'pending' | 'done' | 'failed';
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface ApiErrorBody {
  error: { code: string; message: string; field?: string };
}

/** POST /api/events/:id/embed-token (201): a read token for one private event, and when it expires. */
export interface EmbedToken {
  token: string;
  expiresAt: string;
}

/** POST /api/events/:id/export (202): the queued job; follow it at /api/exports/:jobId/status. */
export interface ExportQueued {
  jobId: string;
}

/** GET /api/exports/:jobId/status. */
export interface ExportStatus {
  jobId: string;
  eventId: string;
  type: 'total' | 'streams' | 'stream';
  state: 'queued' | 'running' | 'done' | 'failed';
  /** 'storage_full' or 'export_failed' when failed; 'interrupted' while queued again after a stop. */
  error: string | null;
  rowsWritten: number;
  /** Counted when the job starts; null while queued. */
  rowsExpected: number | null;
  percent: number | null;
  createdAt: string;
  expiresAt: string;
}

/**
 * One series' figures over a stats window (GET /api/events/:id/stats). A counted sample covers the time
 * until the next one, capped at 2.5 × the poll interval then in force; a hidden count covers nothing.
 */
export interface Stats {
  /** The newest count in the window while it is fresh at the window's end (≤ 2.5 intervals old), else null. */
  current: number | null;
  /** The highest count and the first time it was reached; nulls when nothing was counted. */
  peak: { viewers: number | null; ts: string | null };
  /** Time-weighted over liveSeconds; null when nothing was covered. */
  average: number | null;
  /** The area under the curve over the covered time, in viewer-minutes. */
  viewerMinutes: number;
  /** The time covered by counted samples, in seconds. */
  liveSeconds: number;
  /** Counted (non-hidden) samples in the window. */
  samples: number;
}

/** GET /api/events/:id/stats. Keys of `streams` are stream ids, in the event's order. */
export interface StatsResponse {
  eventId: string;
  from: string;
  to: string;
  total: Stats;
  /** share: the stream's viewer-minutes over the total's (null when the total has none). */
  streams: Record<string, Stats & { share: number | null }>;
}

/** SSE `event: milestone`: a threshold the total reached, or a new peak (at most one a minute); sent once. */
export interface MilestoneMessage {
  kind: 'threshold' | 'peak';
  value: number;
  ts: string;
}
