// Samples as the realtime layer sends them: one message per tick with all of an event's streams.
import type { Queryable } from '../db/db.ts';
import { sql } from '../db/sql.ts';
import type { SampleMessage } from '../wire.ts';

export interface StoredSample {
  eventId: string;
  tsMs: number;
  message: SampleMessage;
}

interface SampleRow {
  event_id: string;
  ts: Date;
  total: number;
  streams: Record<string, number | null> | string | null;
}

function toStored(r: SampleRow): StoredSample {
  const streams: Record<string, number | null> =
    typeof r.streams === 'string' ? (JSON.parse(r.streams) as Record<string, number | null>) : (r.streams ?? {});
  return { eventId: r.event_id, tsMs: r.ts.getTime(), message: { ts: r.ts.toISOString(), total: r.total, streams } };
}

const SELECT = sql`select s.event_id, s.ts, s.total,
    (select json_object_agg(ss.stream_id, ss.viewers) from stream_samples ss where ss.event_id = s.event_id and ss.ts = s.ts) as streams
  from samples s`;

/** The samples of one event after `after`, oldest first: what a reconnecting client missed. */
export async function samplesAfter(
  db: Queryable,
  eventId: string,
  after: Date,
  limit: number,
): Promise<StoredSample[]> {
  const rows = await db.query(
    sql<SampleRow>`${SELECT} where s.event_id = ${eventId} and s.ts > ${after} order by s.ts limit ${limit}`,
  );
  return rows.map(toStored);
}

/** The samples of one tick for the given events: what another instance's poller just wrote. */
export async function samplesAt(db: Queryable, ts: Date, eventIds: string[]): Promise<StoredSample[]> {
  const rows = await db.query(sql<SampleRow>`${SELECT} where s.ts = ${ts} and s.event_id = any(${eventIds}::text[])`);
  return rows.map(toStored);
}

/** The event's newest sample, whatever its age (one index probe on (event_id, ts)); null before its first count. */
export async function latestSample(db: Queryable, eventId: string): Promise<StoredSample | null> {
  const rows = await db.query(sql<SampleRow>`${SELECT} where s.event_id = ${eventId} order by s.ts desc limit 1`);
  return rows.length ? toStored(rows[0]) : null;
}
