// For tests and the history bench only: an event with streams and samples, generated inside the
// database (generate_series) so a million rows take seconds, or given row by row for exact cases.
import type { Queryable } from '../db/db.ts';

export interface SeedStream {
  id: string;
  videoId?: string;
  label?: string;
}

export async function seedEvent(db: Queryable, eventId: string, streams: SeedStream[], isPublic = true): Promise<void> {
  await db.query('insert into events (id, name, public, embed_key) values ($1, $2, $3, $4)', [
    eventId,
    `Event ${eventId}`,
    isPublic,
    `key-${eventId}`,
  ]);
  if (streams.length === 0) return;
  await db.query(
    `insert into streams (id, event_id, video_id, label, position)
     select s.id, $1, s.video, s.label, s.pos from unnest($2::text[], $3::text[], $4::text[], $5::int[]) as s(id, video, label, pos)`,
    [
      eventId,
      streams.map((s) => s.id),
      streams.map((s, i) => s.videoId ?? `vid${String(i).padStart(8, '0')}`),
      streams.map((s) => s.label ?? s.id),
      streams.map((_, i) => i),
    ],
  );
}

/**
 * `ticks` samples every `everySeconds` from `start` for every stream of the event: stream k at tick i
 * has (i * 7 + k * 13) % 1000 viewers, and the total is their sum.
 */
export async function seedTicks(
  db: Queryable,
  eventId: string,
  start: Date,
  ticks: number,
  everySeconds: number,
): Promise<void> {
  await db.query(
    `insert into stream_samples (event_id, stream_id, ts, viewers)
     select $1, s.id, $2::timestamptz + i * $3::int * interval '1 second', (i * 7 + s.position * 13) % 1000
       from generate_series(0, $4::int - 1) as i cross join streams s where s.event_id = $1`,
    [eventId, start, everySeconds, ticks],
  );
  await db.query(
    `insert into samples (event_id, ts, total)
     select $1, ts, sum(viewers)::bigint from stream_samples
      where event_id = $1 and ts >= $2 and ts < $2::timestamptz + $4::int * $3::int * interval '1 second' group by ts`,
    [eventId, start, everySeconds, ticks],
  );
}

export interface SeedRow {
  streamId: string;
  ts: string;
  viewers: number | null;
}

/** Exact stream rows, and totals as the sum of the non-hidden counts of each tick (as the poller does). */
export async function seedRows(db: Queryable, eventId: string, rows: SeedRow[]): Promise<void> {
  await db.query(
    `insert into stream_samples (event_id, stream_id, ts, viewers)
     select $1, s, t, v from unnest($2::text[], $3::timestamptz[], $4::bigint[]) as u(s, t, v)`,
    [eventId, rows.map((r) => r.streamId), rows.map((r) => r.ts), rows.map((r) => r.viewers)],
  );
  await db.query(
    `insert into samples (event_id, ts, total)
     select $1, t, coalesce(sum(v), 0)::bigint from unnest($2::timestamptz[], $3::bigint[]) as u(t, v) group by t`,
    [eventId, rows.map((r) => r.ts), rows.map((r) => r.viewers)],
  );
}

/** seedTicks in slices of `perCall` ticks, so each statement stays well inside statement_timeout on a loaded machine. */
export async function seedTicksInSlices(
  db: Queryable,
  eventId: string,
  start: Date,
  ticks: number,
  everySeconds: number,
  perCall = 5_000,
): Promise<void> {
  for (let done = 0; done < ticks; done += perCall) {
    await seedTicks(
      db,
      eventId,
      new Date(start.getTime() + done * everySeconds * 1000),
      Math.min(perCall, ticks - done),
      everySeconds,
    );
  }
}
