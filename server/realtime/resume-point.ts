// Where a reconnecting SSE client left off, read from its Last-Event-ID (or ?lastEventId=). A `sample` frame's id
// is its tick time in ms; a `milestone` frame's id adds the milestone itself, `<tick ms>_<milestone ms>_<t|p><value>`,
// written for each client with the last tick that client got. So a resume knows which samples were missed (after
// the tick) and which milestones: after the one named, or, when the last frame was a sample, those at or after
// that sample's tick (a tick's milestones are recorded, and sent, after its samples).
// Not covered: ticks published back to back faster than their milestones are recorded (a write queue flushed
// after a database outage) can put tick T+1's sample before T's milestones; a client cut in that moment resumes
// from T+1 and misses them.
import type { MilestoneMessage } from '../wire.ts';

/** A milestone's place in the order milestones are sent and replayed: time, then thresholds before a peak, then value. */
export interface MilestoneCursor {
  ts: Date;
  kind: MilestoneMessage['kind'];
  value: number;
}

export interface ResumePoint {
  /** The last tick the client got: samples after it were missed. */
  after: Date;
  /** The last milestone the client got, when its last frame was one; else null (milestones from `after` on). */
  milestone: MilestoneCursor | null;
}

export function milestoneEventId(lastTickMs: number, m: MilestoneMessage): string {
  return `${lastTickMs}_${Date.parse(m.ts)}_${m.kind === 'peak' ? 'p' : 't'}${m.value}`;
}

/** A usable resume point: our own id shapes only, a tick within what history keeps. Anything else means "start fresh". */
export function parseLastEventId(raw: string | undefined, now: number, maxMinutes: number): ResumePoint | null {
  const parts = raw ? /^(\d{1,15})(?:_(\d{1,15})_([pt])(\d{1,19}))?$/.exec(raw) : null;
  if (!parts) return null;
  const ms = Number(parts[1]);
  if (ms > now + 60_000 || ms < now - maxMinutes * 60_000) return null;
  const milestone: MilestoneCursor | null = parts[2]
    ? { ts: new Date(Number(parts[2])), kind: parts[3] === 'p' ? 'peak' : 'threshold', value: Number(parts[4]) }
    : null;
  return { after: new Date(ms), milestone };
}

/** Milestones in the order they are sent (and replayed). */
export const milestoneOrder = (a: MilestoneMessage, b: MilestoneMessage) =>
  Date.parse(a.ts) - Date.parse(b.ts) || Number(a.kind === 'peak') - Number(b.kind === 'peak') || a.value - b.value;
