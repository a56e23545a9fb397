// The sources' SQL: the followed channels of active events, and what resolving them changed (a new
// video in the same stream, or offline). Switching a stream's video resets what belonged to the old
// one (count, misses, title), so nothing of the old video is shown as the new one's.
import type { Queryable } from '../db/db.ts';
import { sql } from '../db/sql.ts';
import type { StreamStatus } from '../wire.ts';
import type { FollowDecision, FollowedStream } from './follow-channels.ts';
import { parseLink } from './links.ts';

export async function followedStreams(db: Queryable, eventIds: string[]): Promise<FollowedStream[]> {
  const rows = await db.query(
    sql<{
      id: string;
      event_id: string;
      target: string;
      video_id: string | null;
      status: StreamStatus;
      scheduled_start: Date | null;
      resolved_at: Date | null;
    }>`select id, event_id, target, video_id, status, scheduled_start, resolved_at
         from streams where follows and event_id = any(${eventIds}::text[]) order by id`,
  );
  return rows.flatMap((r) => {
    const link = parseLink(r.target);
    if (!link.ok || link.link.platform !== 'youtube' || link.link.kind !== 'channel') return [];
    return [
      {
        id: r.id,
        eventId: r.event_id,
        channel: link.link.channel,
        videoId: r.video_id,
        status: r.status,
        scheduledStart: r.scheduled_start,
        resolvedAt: r.resolved_at,
      },
    ];
  });
}

/** Writes what resolving changed; returns the events whose streams changed. */
export async function applyFollowDecisions(db: Queryable, decisions: FollowDecision[], now: Date): Promise<string[]> {
  const changed = new Set<string>();
  const switched = decisions.filter((d) => d.kind === 'switch');
  if (switched.length) {
    // A video that is already its own stream in the event is not taken twice (unique per event).
    const rows = await db.query(
      sql<{ event_id: string }>`update streams s set video_id = u.video, resolved_at = ${now}, status = 'pending',
            status_reason = 'following the channel to its new live video', viewers = null, misses = 0,
            title = null, channel_title = null, scheduled_start = null, updated_at = ${now}
         from unnest(${switched.map((d) => d.id)}::text[], ${switched.map((d) => d.videoId)}::text[]) as u(id, video)
        where s.id = u.id and not exists (
          select 1 from streams o where o.event_id = s.event_id and o.video_id = u.video and o.id <> s.id)
        returning s.event_id`,
    );
    for (const r of rows) changed.add(r.event_id);
  }
  const offline = decisions.filter((d) => d.kind === 'offline');
  if (offline.length) {
    const rows = await db.query(
      sql<{ event_id: string }>`update streams s set video_id = null, resolved_at = ${now}, status = 'offline',
            status_reason = 'the channel has nothing live or scheduled', viewers = null, misses = 0, updated_at = ${now}
        where s.id = any(${offline.map((d) => d.id)}::text[]) and s.status is distinct from 'offline'
        returning s.event_id`,
    );
    for (const r of rows) changed.add(r.event_id);
    await db.query(sql`update streams set resolved_at = ${now} where id = any(${offline.map((d) => d.id)}::text[])`);
  }
  // A channel that cannot be resolved, with no video to count meanwhile, says why instead of waiting in
  // 'pending' for ever (no network, YouTube refusing): an error with the lookup's reason, never a number.
  const faults = decisions.filter((d) => d.kind === 'fault');
  if (faults.length) {
    const rows = await db.query(
      sql<{ event_id: string }>`update streams s set status = 'error', status_reason = u.reason, updated_at = ${now}
         from unnest(${faults.map((d) => d.id)}::text[], ${faults.map((d) => d.reason)}::text[]) as u(id, reason)
        where s.id = u.id and s.video_id is null
          and (s.status is distinct from 'error' or s.status_reason is distinct from u.reason)
        returning s.event_id`,
    );
    for (const r of rows) changed.add(r.event_id);
  }
  const kept = decisions.filter((d) => d.kind === 'keep' || d.kind === 'fault');
  if (kept.length) {
    await db.query(sql`update streams set resolved_at = ${now} where id = any(${kept.map((d) => d.id)}::text[])`);
  }
  return [...changed];
}
