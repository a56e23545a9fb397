// The newest count of an event, and whether the event is public: what the `now.*` data sources answer with.
import type { Queryable } from '../../db/db.ts';
import { sql } from '../../db/sql.ts';

export interface LatestSample {
  ts: Date;
  total: number;
  /** Per stream id: its count in that tick, null when hidden; streams not polled in that tick are absent. */
  streams: Record<string, number | null>;
}

export interface NowRead {
  /** Read with the sample, so the cache policy matches the data it covers. */
  public: boolean;
  sample: LatestSample | null;
}

interface Row {
  public: boolean;
  ts: Date | null;
  total: number | string | null;
  streams: Record<string, number | null> | string | null;
}

/** The event's flag and newest sample (null when it has none yet); null for an unknown event. One index probe on (event_id, ts). */
export async function readNow(db: Queryable, eventId: string): Promise<NowRead | null> {
  const [row] = await db.query(
    sql<Row>`select e.public, s.ts, s.total,
        (select json_object_agg(ss.stream_id, ss.viewers) from stream_samples ss
          where ss.event_id = e.id and ss.ts = s.ts) as streams
       from events e
       left join lateral (select ts, total from samples where event_id = e.id order by ts desc limit 1) s on true
      where e.id = ${eventId}`,
  );
  if (!row) return null;
  if (row.ts === null) return { public: row.public, sample: null };
  // json_object_agg comes back parsed from PGlite and as text from some PostgreSQL setups.
  const streams: Record<string, number | null> =
    typeof row.streams === 'string' ? (JSON.parse(row.streams) as Record<string, number | null>) : (row.streams ?? {});
  return { public: row.public, sample: { ts: row.ts, total: Number(row.total), streams } };
}
