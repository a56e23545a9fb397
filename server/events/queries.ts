// Events and their streams: the named queries behind the admin API and the pages.
import type { Queryable } from '../db/db.ts';
import { sql, type Sql } from '../db/sql.ts';
import type { ChatState, EventInfo, Platform, SourceName, StreamInfo, StreamStatus } from '../wire.ts';

interface EventRow {
  id: string;
  name: string;
  public: boolean;
  paused: boolean;
  starts_at: Date | null;
  ends_at: Date | null;
  created_at: Date;
}

interface StreamRow {
  id: string;
  event_id: string;
  platform: Platform;
  target: string | null;
  follows: boolean;
  video_id: string | null;
  login: string | null;
  source: SourceName | null;
  source_reason: string | null;
  label: string;
  status: StreamStatus;
  status_reason: string | null;
  scheduled_start: Date | null;
  title: string | null;
  channel_title: string | null;
  viewers: number | null;
  updated_at: Date | null;
  chat_enabled: boolean;
  chat_state: Exclude<ChatState, 'off'>;
  chat_reason: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toStreamInfo(r: StreamRow): StreamInfo {
  return {
    id: r.id,
    platform: r.platform,
    target: r.target,
    follows: r.follows,
    videoId: r.video_id,
    login: r.login,
    source: r.source,
    sourceReason: r.source_reason,
    label: r.label,
    status: r.status,
    statusReason: r.status_reason,
    scheduledStart: iso(r.scheduled_start),
    title: r.title,
    channelTitle: r.channel_title,
    viewers: r.viewers,
    updatedAt: iso(r.updated_at),
    chat: r.chat_enabled ? r.chat_state : 'off',
    chatReason: r.chat_enabled ? r.chat_reason : null,
  };
}

function toEventInfo(r: EventRow, streams: StreamInfo[]): EventInfo {
  return {
    id: r.id,
    name: r.name,
    public: r.public,
    paused: r.paused,
    startsAt: iso(r.starts_at),
    endsAt: iso(r.ends_at),
    createdAt: r.created_at.toISOString(),
    streams,
  };
}

const STREAM_COLUMNS = sql`id, event_id, platform, target, follows, video_id, login, source, source_reason, label, status, status_reason, scheduled_start, title, channel_title, viewers, updated_at, chat_enabled, chat_state, chat_reason`;

/** The streams of the given events, in display order, grouped by event id. */
export async function streamsOf(db: Queryable, eventIds: string[]): Promise<Map<string, StreamInfo[]>> {
  const rows = await db.query(
    sql<StreamRow>`select ${STREAM_COLUMNS} from streams where event_id = any(${eventIds}::text[])
      order by position, created_at, id`,
  );
  const byEvent = new Map<string, StreamInfo[]>(eventIds.map((id) => [id, []]));
  for (const r of rows) byEvent.get(r.event_id)?.push(toStreamInfo(r));
  return byEvent;
}

export async function listEvents(db: Queryable): Promise<EventInfo[]> {
  const events = await db.query(sql<EventRow>`select * from events order by created_at desc, id`);
  const streams = await streamsOf(
    db,
    events.map((e) => e.id),
  );
  return events.map((e) => toEventInfo(e, streams.get(e.id) ?? []));
}

export async function getEvent(db: Queryable, id: string): Promise<EventInfo | null> {
  const [event] = await db.query(sql<EventRow>`select * from events where id = ${id}`);
  if (!event) return null;
  return toEventInfo(event, (await streamsOf(db, [id])).get(id) ?? []);
}

/** The event's name, or null for an unknown event (for pages, which check read access themselves). */
export async function eventName(db: Queryable, id: string): Promise<string | null> {
  const [row] = await db.query(sql<{ name: string }>`select name from events where id = ${id}`);
  return row?.name ?? null;
}

export async function insertEvent(
  db: Queryable,
  e: { id: string; name: string; public: boolean; startsAt: Date | null; endsAt: Date | null; embedKey: string },
): Promise<void> {
  await db.query(sql`insert into events (id, name, public, starts_at, ends_at, embed_key)
    values (${e.id}, ${e.name}, ${e.public}, ${e.startsAt}::timestamptz, ${e.endsAt}::timestamptz, ${e.embedKey})`);
}

export interface EventPatch {
  name?: string;
  public?: boolean;
  paused?: boolean;
  startsAt?: Date | null;
  endsAt?: Date | null;
}

/** The `column = value` assignments present (a `false` entry is a field the patch leaves alone). */
const assignments = (parts: (Sql | false)[]) => sql.join(parts.filter((p): p is Sql => p !== false));

/** Applies only the fields present; returns false for an unknown event. */
export async function updateEvent(db: Queryable, id: string, patch: EventPatch): Promise<boolean> {
  const set = assignments([
    patch.name !== undefined && sql`name = ${patch.name}`,
    patch.public !== undefined && sql`public = ${patch.public}`,
    patch.paused !== undefined && sql`paused = ${patch.paused}`,
    patch.startsAt !== undefined && sql`starts_at = ${patch.startsAt}::timestamptz`,
    patch.endsAt !== undefined && sql`ends_at = ${patch.endsAt}::timestamptz`,
    sql`updated_at = now()`,
  ]);
  const rows = await db.query(sql`update events set ${set} where id = ${id} returning id`);
  return rows.length > 0;
}

export async function deleteEvent(db: Queryable, id: string): Promise<boolean> {
  return (await db.query(sql`delete from events where id = ${id} returning id`)).length > 0;
}

/** A new stream; without platform, target, follows and login it is a YouTube video (as before issue 15). */
export type NewStream = Omit<
  StreamInfo,
  | 'viewers'
  | 'updatedAt'
  | 'source'
  | 'sourceReason'
  | 'platform'
  | 'target'
  | 'follows'
  | 'login'
  | 'chat'
  | 'chatReason'
> &
  Partial<Pick<StreamInfo, 'platform' | 'target' | 'follows' | 'login'>> & { eventId: string };

/** Returns false when the event already has this video, Twitch channel or followed channel (unique per event). */
export async function insertStream(db: Queryable, s: NewStream): Promise<boolean> {
  const rows = await db.query(
    sql`insert into streams (id, event_id, platform, target, follows, video_id, login, label, status, status_reason,
          scheduled_start, title, channel_title, position, updated_at)
        values (${s.id}, ${s.eventId}, ${s.platform ?? 'youtube'}, ${s.target ?? null}, ${s.follows ?? false},
          ${s.videoId}, ${s.login ?? null}, ${s.label},
          ${s.status}, ${s.statusReason}, ${s.scheduledStart}::timestamptz, ${s.title}, ${s.channelTitle},
          (select coalesce(max(position) + 1, 0) from streams where event_id = ${s.eventId}), now())
        on conflict do nothing returning id`,
  );
  return rows.length > 0;
}

export async function getStream(db: Queryable, eventId: string, streamId: string): Promise<StreamInfo | null> {
  const [row] = await db.query(
    sql<StreamRow>`select ${STREAM_COLUMNS} from streams where event_id = ${eventId} and id = ${streamId}`,
  );
  return row ? toStreamInfo(row) : null;
}

/** Whether the stream exists and belongs to the event. */
export async function streamInEvent(db: Queryable, eventId: string, streamId: string): Promise<boolean> {
  return (await db.query(sql`select 1 from streams where id = ${streamId} and event_id = ${eventId}`)).length > 0;
}

export async function updateStream(
  db: Queryable,
  eventId: string,
  streamId: string,
  patch: { label?: string; position?: number },
): Promise<boolean> {
  const set = assignments([
    patch.label !== undefined && sql`label = ${patch.label}`,
    patch.position !== undefined && sql`position = ${patch.position}::int`,
    // Nothing to change still answers whether the stream exists.
    patch.label === undefined && patch.position === undefined && sql`label = label`,
  ]);
  const rows = await db.query(
    sql`update streams set ${set} where event_id = ${eventId} and id = ${streamId} returning id`,
  );
  return rows.length > 0;
}

export async function deleteStream(db: Queryable, eventId: string, streamId: string): Promise<boolean> {
  return (
    (await db.query(sql`delete from streams where event_id = ${eventId} and id = ${streamId} returning id`)).length > 0
  );
}

export async function eventExists(db: Queryable, id: string): Promise<boolean> {
  return (await db.query(sql`select 1 from events where id = ${id}`)).length > 0;
}
