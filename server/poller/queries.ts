// The poller's SQL: which streams are active, one set-based write per table per tick, and the
// status of streams whose event is paused or outside its planned window.
import type { Queryable } from '../db/db.ts';
import type { StreamStatus } from '../wire.ts';
import type { PollableStream } from './schedule.ts';
import type { StreamUpdate } from './tick.ts';
import { toStorable } from '../storable-text.ts';
import { addUnits } from './quota.ts';

/** How long before a planned start and after a planned end an event is still polled. */
export const WINDOW_MARGIN_MINUTES = 15;

const ACTIVE_EVENT = `not e.paused
  and (e.starts_at is null or e.starts_at - interval '${WINDOW_MARGIN_MINUTES} minutes' <= $1::timestamptz)
  and (e.ends_at is null or e.ends_at + interval '${WINDOW_MARGIN_MINUTES} minutes' >= $1::timestamptz)`;

export async function activeStreams(db: Queryable, now: Date): Promise<PollableStream[]> {
  const rows = await db.query<{
    id: string;
    event_id: string;
    video_id: string;
    status: StreamStatus;
    status_reason: string | null;
    misses: number;
    last_polled_at: Date | null;
  }>(
    `select s.id, s.event_id, s.video_id, s.status, s.status_reason, s.misses, s.last_polled_at
       from streams s join events e on e.id = s.event_id
      where ${ACTIVE_EVENT}
      order by s.id`,
    [now],
  );
  return rows.map((r) => ({
    id: r.id,
    eventId: r.event_id,
    videoId: r.video_id,
    status: r.status,
    statusReason: r.status_reason,
    misses: r.misses,
    lastPolledAt: r.last_polled_at,
  }));
}

/** Marks streams of inactive events as paused (once); returns the events that changed. */
export async function markInactiveStreams(db: Queryable, now: Date): Promise<string[]> {
  const rows = await db.query<{ event_id: string }>(
    `update streams s set status = 'paused', viewers = null, updated_at = $1,
            status_reason = case when e.paused then 'event paused'
                                 when e.starts_at is not null and e.starts_at > $1 then 'before the planned start (' || to_char(e.starts_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ')'
                                 else 'after the planned end' end
       from events e
      where e.id = s.event_id and s.status <> 'paused' and not (${ACTIVE_EVENT})
      returning s.event_id`,
    [now],
  );
  return [...new Set(rows.map((r) => r.event_id))];
}

/** Sets every active stream to one status (no key, quota spent, key rejected); returns the events that changed. */
export async function markActiveStreams(
  db: Queryable,
  now: Date,
  status: StreamStatus,
  reason: string,
): Promise<string[]> {
  const rows = await db.query<{ event_id: string }>(
    `update streams s set status = $2, status_reason = $3, viewers = null, updated_at = $1
       from events e
      where e.id = s.event_id and ${ACTIVE_EVENT} and (s.status is distinct from $2 or s.status_reason is distinct from $3)
      returning s.event_id`,
    [now, status, reason],
  );
  return [...new Set(rows.map((r) => r.event_id))];
}

export interface TickWrite {
  ts: Date;
  updates: StreamUpdate[];
  totals: { eventId: string; total: number }[];
  /** Quota units the tick's calls spent, on their Pacific day. */
  units: { day: string; units: number } | null;
}

/**
 * The last guard before SQL for YouTube's text (video-state.ts cleans it on the way in): a NUL that reached
 * a text column would have the database refuse the event's whole tick, every tick (SQLSTATE 22021).
 */
const storable = (s: string | null) => (s === null ? null : toStorable(s));

/** One transaction, one statement per table. Re-running the same write is harmless (flush after an outage). */
export async function writeTick(
  db: { transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> },
  w: TickWrite,
): Promise<void> {
  const sampled = w.updates.filter((u) => u.sampled);
  await db.transaction(async (tx) => {
    if (w.totals.length) {
      await tx.query(
        `insert into samples (event_id, ts, total)
         select e, $1::timestamptz, t from unnest($2::text[], $3::bigint[]) as u(e, t)
         on conflict do nothing`,
        [w.ts, w.totals.map((t) => t.eventId), w.totals.map((t) => t.total)],
      );
      const counted = sampled.filter((u) => w.totals.some((t) => t.eventId === u.eventId));
      if (counted.length) {
        await tx.query(
          `insert into stream_samples (event_id, stream_id, ts, viewers)
           select e, s, $1::timestamptz, v from unnest($2::text[], $3::text[], $4::bigint[]) as u(e, s, v)
           where exists (select 1 from streams where id = u.s)
           on conflict do nothing`,
          [w.ts, counted.map((u) => u.eventId), counted.map((u) => u.id), counted.map((u) => u.viewers)],
        );
      }
    }
    if (w.updates.length) {
      await tx.query(
        `update streams s set status = u.status, status_reason = u.reason, viewers = u.viewers, misses = u.misses,
                scheduled_start = coalesce(u.scheduled::timestamptz, s.scheduled_start),
                title = coalesce(u.title, s.title), channel_title = coalesce(u.channel, s.channel_title),
                last_polled_at = $1, updated_at = $1
           from unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::int[], $7::text[], $8::text[], $9::text[])
                as u(id, status, reason, viewers, misses, scheduled, title, channel)
          where s.id = u.id and (s.last_polled_at is null or s.last_polled_at <= $1)`,
        [
          w.ts,
          w.updates.map((u) => u.id),
          w.updates.map((u) => u.status),
          w.updates.map((u) => storable(u.statusReason)),
          w.updates.map((u) => u.viewers),
          w.updates.map((u) => u.misses),
          w.updates.map((u) => u.scheduledStart),
          w.updates.map((u) => storable(u.title)),
          w.updates.map((u) => storable(u.channelTitle)),
        ],
      );
    }
    if (w.units) await addUnits(tx, w.units.day, w.units.units);
  });
}
