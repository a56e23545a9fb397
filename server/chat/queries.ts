// Chat activity's SQL (issue 16): which streams to read, their chat states, the closed minutes (stored once,
// whoever writes them), and the reads of history JSON and the chat CSV.
import type { Queryable } from '../db/db.ts';
import { sql, type Sql } from '../db/sql.ts';
import type { ChatState } from '../wire.ts';

export type ReadState = Exclude<ChatState, 'off'>;

export interface ChatTarget {
  streamId: string;
  eventId: string;
  /** The video whose chat is read now; null for a followed channel with nothing live. */
  videoId: string | null;
  state: ReadState;
  reason: string | null;
}

/** The YouTube streams with chat enabled, of events that are not paused. */
export function chatTargets(db: Queryable): Promise<ChatTarget[]> {
  return db.query(sql<ChatTarget>`
    select s.id as "streamId", s.event_id as "eventId", s.video_id as "videoId", s.chat_state as state,
           s.chat_reason as reason
      from streams s join events e on e.id = s.event_id
     where s.chat_enabled and s.platform = 'youtube' and not e.paused
     order by s.id`);
}

/** Turns a stream's chat on or off; a change starts its state again at pending. */
export async function setChatEnabled(
  db: Queryable,
  eventId: string,
  streamId: string,
  enabled: boolean,
): Promise<void> {
  await db.query(sql`
    update streams set chat_enabled = ${enabled}, chat_state = 'pending', chat_reason = null
     where event_id = ${eventId} and id = ${streamId} and chat_enabled is distinct from ${enabled}`);
}

/** Writes the states that changed (one statement); returns the events whose streams changed. */
export async function writeChatStates(
  db: Queryable,
  states: { streamId: string; state: ReadState; reason: string | null }[],
): Promise<string[]> {
  if (!states.length) return [];
  const rows = await db.query(sql<{ event_id: string }>`
    update streams s set chat_state = u.state, chat_reason = u.reason
      from unnest(${states.map((s) => s.streamId)}::text[], ${states.map((s) => s.state)}::text[],
                  ${states.map((s) => s.reason)}::text[]) as u(id, state, reason)
     where s.id = u.id and s.chat_enabled
       and (s.chat_state, s.chat_reason) is distinct from (u.state, u.reason)
    returning s.event_id`);
  return [...new Set(rows.map((r) => r.event_id))];
}

export interface ChatMinuteRow {
  streamId: string;
  minute: Date;
  messages: number;
}

/**
 * Stores closed minutes: a minute already there gets the same figure again (every reader that closes a
 * minute read all of it), never a sum, so a restart or a second reader in a failover does not count twice.
 * Minutes of a stream deleted meanwhile are left out. Returns the rows that changed (a minute already stored
 * with the same figure is not returned, so only its first writer sends it to SSE), with their events.
 */
export function storeChatMinutes(
  db: Queryable,
  rows: ChatMinuteRow[],
): Promise<{ eventId: string; streamId: string; minute: Date; messages: number }[]> {
  if (!rows.length) return Promise.resolve([]);
  return db.query(sql<{ eventId: string; streamId: string; minute: Date; messages: number }>`
    insert into chat_minutes (event_id, stream_id, minute, messages)
    select s.event_id, u.stream_id, u.minute, u.messages
      from unnest(${rows.map((r) => r.streamId)}::text[], ${rows.map((r) => r.minute)}::timestamptz[],
                  ${rows.map((r) => r.messages)}::int[]) as u(stream_id, minute, messages)
      join streams s on s.id = u.stream_id
    on conflict (stream_id, minute) do update set messages = excluded.messages
      where chat_minutes.messages is distinct from excluded.messages
    returning event_id as "eventId", stream_id as "streamId", minute, messages`);
}

/** Whether any stream of the event has chat enabled. */
export async function chatEnabledIn(db: Queryable, eventId: string): Promise<boolean> {
  const rows = await db.query(sql`select 1 from streams where event_id = ${eventId} and chat_enabled limit 1`);
  return rows.length > 0;
}

// A minute's total is the sum of its streams, given only when every stream read before and after it (within
// the window) was read in it too: a stream's gap would make a total that looks like a drop in the chat.
const TOTALS = sql`spans as (select stream_id, min(minute) as lo, max(minute) as hi from m group by stream_id),
    totals as (
      select null::text as stream_id, t.minute, sum(t.messages)::int as messages from m t group by t.minute
      having count(*) = (select count(*) from spans where t.minute between spans.lo and spans.hi))`;

export interface ChatBucketRead {
  eventId: string;
  from: Date;
  to: Date;
  after: Date | null;
  /** Bucket width in seconds, a whole number of minutes (60: one point per minute). */
  bucketSeconds: number;
  limit: number;
}

/**
 * Per stream and per bucket, the average of the stored minutes (a minute not stored is a gap, not a 0), and
 * the same for the total (TOTALS). Rows leave ordered by start.
 */
export function chatBuckets(
  db: Queryable,
  r: ChatBucketRead,
): Promise<{ streamId: string | null; ts: Date; messages: number }[]> {
  const bin = sql`date_bin(${r.bucketSeconds}::int * interval '1 second', minute, timestamptz 'epoch')`;
  const rows = sql`select stream_id, minute, messages from chat_minutes
     where event_id = ${r.eventId} and minute >= ${r.from} and minute < ${r.to}
       ${r.after ? sql`and minute > ${r.after}` : sql``}`;
  return db.query(sql<{ streamId: string | null; ts: Date; messages: number }>`
    with m as (${rows}),
    ${TOTALS},
    binned as (select stream_id, ${bin} as ts, messages from (select * from m union all select * from totals) x),
    buckets as (
      select stream_id, ts, avg(messages)::float8 as messages,
             row_number() over (partition by stream_id order by ts) as nth
        from binned group by stream_id, ts)
    select stream_id as "streamId", ts, messages from buckets where nth <= ${r.limit} order by ts, stream_id`);
}

// OWASP: a spreadsheet runs a cell starting with = + - @ tab or CR as a formula, quoted or not; a leading ' makes it text.
const SAFE_LABEL = sql`case when left(s.label, 1) in ('=', '+', '-', '@', chr(9), chr(13)) then '''' || s.label else s.label end`;

/**
 * chat.csv's rows for COPY: `minute,stream_id,label,messages` per stream and minute, then the minute's total
 * (stream_id `total`, empty label). Every value reaches COPY as a text setting, so each is cast.
 */
export function chatCsvSelect(eventId: string, from: Date, to: Date): Sql {
  return sql`
    with m as (select stream_id, minute, messages from chat_minutes
                where event_id = ${eventId}::text and minute >= ${from}::timestamptz and minute < ${to}::timestamptz),
    ${TOTALS}
    select to_char(r.minute at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), r.stream_id, r.label, r.messages from (
      select x.minute, x.stream_id, ${SAFE_LABEL} as label, x.messages, 0 as last, s.position, s.created_at
        from m x join streams s on s.id = x.stream_id
      union all
      select x.minute, 'total', '', x.messages, 1, null, null from totals x
    ) r order by r.minute, r.last, r.position, r.created_at, r.stream_id`;
}
