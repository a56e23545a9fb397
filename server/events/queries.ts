// Events and their streams: the named queries behind the admin API and the pages.
import type { Queryable } from '../db/db.ts';
import type { EventInfo, StreamInfo, StreamStatus } from '../wire.ts';

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
  video_id: string;
  label: string;
  status: StreamStatus;
  status_reason: string | null;
  scheduled_start: Date | null;
  title: string | null;
  channel_title: string | null;
  viewers: number | null;
  updated_at: Date | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toStreamInfo(r: StreamRow): StreamInfo {
  return {
    id: r.id,
    videoId: r.video_id,
    label: r.label,
    status: r.status,
    statusReason: r.status_reason,
    scheduledStart: iso(r.scheduled_start),
    title: r.title,
    channelTitle: r.channel_title,
    viewers: r.viewers,
    updatedAt: iso(r.updated_at),
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

const STREAM_COLUMNS = `id, event_id, video_id, label, status, status_reason, scheduled_start, title, channel_title, viewers, updated_at`;

/** The streams of the given events, in display order, grouped by event id. */
export async function streamsOf(db: Queryable, eventIds: string[]): Promise<Map<string, StreamInfo[]>> {
  const rows = await db.query<StreamRow>(
    `select ${STREAM_COLUMNS} from streams where event_id = any($1::text[]) order by position, created_at, id`,
    [eventIds],
  );
  const byEvent = new Map<string, StreamInfo[]>(eventIds.map((id) => [id, []]));
  for (const r of rows) byEvent.get(r.event_id)?.push(toStreamInfo(r));
  return byEvent;
}

export async function listEvents(db: Queryable): Promise<EventInfo[]> {
  const events = await db.query<EventRow>(`select * from events order by created_at desc, id`);
  const streams = await streamsOf(
    db,
    events.map((e) => e.id),
  );
  return events.map((e) => toEventInfo(e, streams.get(e.id) ?? []));
}

export async function getEvent(db: Queryable, id: string): Promise<EventInfo | null> {
  const [event] = await db.query<EventRow>(`select * from events where id = $1`, [id]);
  if (!event) return null;
  return toEventInfo(event, (await streamsOf(db, [id])).get(id) ?? []);
}

export async function insertEvent(
  db: Queryable,
  e: { id: string; name: string; public: boolean; startsAt: Date | null; endsAt: Date | null; embedKey: string },
): Promise<void> {
  await db.query(
    `insert into events (id, name, public, starts_at, ends_at, embed_key) values ($1, $2, $3, $4, $5, $6)`,
    [e.id, e.name, e.public, e.startsAt, e.endsAt, e.embedKey],
  );
}

export interface EventPatch {
  name?: string;
  public?: boolean;
  paused?: boolean;
  startsAt?: Date | null;
  endsAt?: Date | null;
}

/** Applies only the fields present; returns false for an unknown event. */
export async function updateEvent(db: Queryable, id: string, patch: EventPatch): Promise<boolean> {
  const rows = await db.query(
    `update events set
       name = case when $2 then $3 else name end,
       public = case when $4 then $5 else public end,
       paused = case when $6 then $7 else paused end,
       starts_at = case when $8 then $9::timestamptz else starts_at end,
       ends_at = case when $10 then $11::timestamptz else ends_at end,
       updated_at = now()
     where id = $1 returning id`,
    [
      id,
      patch.name !== undefined,
      patch.name ?? null,
      patch.public !== undefined,
      patch.public ?? null,
      patch.paused !== undefined,
      patch.paused ?? null,
      patch.startsAt !== undefined,
      patch.startsAt ?? null,
      patch.endsAt !== undefined,
      patch.endsAt ?? null,
    ],
  );
  return rows.length > 0;
}

export async function deleteEvent(db: Queryable, id: string): Promise<boolean> {
  return (await db.query(`delete from events where id = $1 returning id`, [id])).length > 0;
}

export type NewStream = Omit<StreamInfo, 'viewers' | 'updatedAt'> & { eventId: string };

/** Returns false when the event already has this video (unique per event). */
export async function insertStream(db: Queryable, s: NewStream): Promise<boolean> {
  const rows = await db.query(
    `insert into streams (id, event_id, video_id, label, status, status_reason, scheduled_start, title, channel_title, position, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, (select coalesce(max(position) + 1, 0) from streams where event_id = $2), now())
     on conflict (event_id, video_id) do nothing returning id`,
    [s.id, s.eventId, s.videoId, s.label, s.status, s.statusReason, s.scheduledStart, s.title, s.channelTitle],
  );
  return rows.length > 0;
}

export async function getStream(db: Queryable, eventId: string, streamId: string): Promise<StreamInfo | null> {
  const [row] = await db.query<StreamRow>(`select ${STREAM_COLUMNS} from streams where event_id = $1 and id = $2`, [
    eventId,
    streamId,
  ]);
  return row ? toStreamInfo(row) : null;
}

export async function updateStream(
  db: Queryable,
  eventId: string,
  streamId: string,
  patch: { label?: string; position?: number },
): Promise<boolean> {
  const rows = await db.query(
    `update streams set
       label = case when $3 then $4 else label end,
       position = case when $5 then $6::int else position end
     where event_id = $1 and id = $2 returning id`,
    [
      eventId,
      streamId,
      patch.label !== undefined,
      patch.label ?? null,
      patch.position !== undefined,
      patch.position ?? null,
    ],
  );
  return rows.length > 0;
}

export async function deleteStream(db: Queryable, eventId: string, streamId: string): Promise<boolean> {
  return (
    (await db.query(`delete from streams where event_id = $1 and id = $2 returning id`, [eventId, streamId])).length > 0
  );
}

export async function eventExists(db: Queryable, id: string): Promise<boolean> {
  return (await db.query(`select 1 from events where id = $1`, [id])).length > 0;
}
