// The SQL of milestones: recording the ones a tick reaches (once each: the primary key decides between
// instances), an event's thresholds, and the milestones of a window for the report and the admin.
import type { Queryable } from '../db/db.ts';
import { sql } from '../db/sql.ts';
import type { ResumePoint } from '../realtime/resume-point.ts';
import { milestoneOrder } from '../realtime/resume-point.ts';
import type { MilestoneMessage } from '../wire.ts';

export interface TickTotal {
  eventId: string;
  total: number;
}

export interface ReachedMilestone extends MilestoneMessage {
  eventId: string;
}

interface Row {
  eventId: string;
  kind: 'threshold' | 'peak';
  value: number;
  ts: Date;
  inserted: boolean;
}

/**
 * The milestones the totals of the tick at `ts` reach, inserted once; returns only those this call
 * inserted. A threshold is reached when the total is at or above it. A new peak is a total above
 * every earlier total of the event (read from the hourly rollups and the raw samples of the current hour, so
 * a week-long event costs a few hundred rows), never the event's first sample, at most one a minute: a
 * higher total later in the same minute raises that minute's peak (value and time).
 */
export async function recordMilestones(db: Queryable, ts: Date, totals: TickTotal[]): Promise<ReachedMilestone[]> {
  if (totals.length === 0) return [];
  const rows = await db.query<Row>(sql`
    with t as (
      select * from unnest(${totals.map((t) => t.eventId)}::text[], ${totals.map((t) => t.total)}::bigint[]) as t(event_id, total)
    ),
    earlier as (
      select t.event_id, t.total,
             greatest(
               (select max(r.max) from sample_rollups r
                 where r.event_id = t.event_id and r.width = 3600
                   and r.bucket < date_bin(interval '1 hour', ${ts}::timestamptz, timestamptz 'epoch')),
               (select max(s.total) from samples s
                 where s.event_id = t.event_id and s.ts < ${ts}::timestamptz
                   and s.ts >= date_bin(interval '1 hour', ${ts}::timestamptz, timestamptz 'epoch'))
             ) as best
        from t
    ),
    reached as (
      select t.event_id, 'threshold'::text as kind, m as slot, m as value
        from t join events e on e.id = t.event_id cross join unnest(e.milestones) as m
       where t.total >= m
      union all
      select event_id, 'peak', floor(extract(epoch from ${ts}::timestamptz) / 60)::bigint, total
        from earlier where best is not null and total > best
    )
    insert into milestones (event_id, kind, slot, value, ts)
    select event_id, kind, slot, value, ${ts}::timestamptz from reached
    -- A minute's peak is its highest total, not its first: a crowd still growing after the minute's first
    -- new peak raises it, so the record peak equals the highest total (the report's Peak). Only the insert
    -- is told (xmax = 0: the row is new): live clients and the webhook (sql/011, on insert) hear of a
    -- minute's peak once, with its first value, and a counter does not pop at every tick of a growing crowd.
    on conflict (event_id, kind, slot) do update set value = excluded.value, ts = excluded.ts
      where milestones.kind = 'peak' and excluded.value > milestones.value
    returning event_id as "eventId", kind, value, ts, xmax = 0 as inserted`);
  // In the order they are sent and replayed (resume-point.ts): a client's last milestone is a cursor in it.
  return rows
    .filter((r) => r.inserted)
    .map((r) => ({ eventId: r.eventId, kind: r.kind, value: Number(r.value), ts: new Date(r.ts).toISOString() }))
    .sort(milestoneOrder);
}

/** Sets an event's thresholds; false when there is no such event. */
export async function setThresholds(db: Queryable, eventId: string, thresholds: number[]): Promise<boolean> {
  const rows = await db.query(sql`
    update events set milestones = ${thresholds}::bigint[], updated_at = now() where id = ${eventId} returning id`);
  return rows.length > 0;
}

export async function thresholdsOf(db: Queryable, eventId: string): Promise<number[]> {
  const [row] = await db.query<{ milestones: number[] }>(
    sql`select array(select unnest(milestones)::float8) as milestones from events where id = ${eventId}`,
  );
  return row?.milestones ?? [];
}

/**
 * What a client resuming from `point` missed, in the order they are sent: after the milestone it got last,
 * or, when its last frame was a sample, those at or after that sample's tick.
 */
export async function milestonesAfter(
  db: Queryable,
  eventId: string,
  point: ResumePoint,
  limit: number,
): Promise<MilestoneMessage[]> {
  const m = point.milestone;
  const after = m
    ? sql`(ts, kind = 'peak', value) > (${m.ts}::timestamptz, ${m.kind === 'peak'}::boolean, ${m.value}::bigint)`
    : sql`ts >= ${point.after}::timestamptz`;
  const rows = await db.query<{ kind: 'threshold' | 'peak'; value: number; ts: Date }>(sql`
    select kind, value, ts from milestones where event_id = ${eventId} and ${after}
     order by ts, kind = 'peak', value limit ${limit}`);
  return rows.map((r) => ({ kind: r.kind, value: Number(r.value), ts: new Date(r.ts).toISOString() }));
}

/** The milestones an event reached in [from, to), oldest first. */
export async function milestonesIn(db: Queryable, eventId: string, from: Date, to: Date): Promise<MilestoneMessage[]> {
  const rows = await db.query<{ kind: 'threshold' | 'peak'; value: number; ts: Date }>(sql`
    select kind, value, ts from milestones
     where event_id = ${eventId} and ts >= ${from}::timestamptz and ts < ${to}::timestamptz order by ts, kind, value`);
  return rows.map((r) => ({ kind: r.kind, value: r.value, ts: new Date(r.ts).toISOString() }));
}
