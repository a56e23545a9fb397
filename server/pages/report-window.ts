// The window a post-event report covers when its link names none: from the event's first sample (its
// planned start when there is none yet) to just after its last one (or now), on whole minutes, and never
// longer than MAX_HISTORY_MINUTES, which the stats and history routes refuse past.

export interface EventSpan {
  startsAt: Date | null;
  endsAt: Date | null;
  firstTs: Date | null;
  lastTs: Date | null;
}

const MINUTE = 60_000;

export function reportWindow(span: EventSpan, now: Date, maxMinutes: number): { from: Date; to: Date } {
  const start = span.firstTs ?? span.startsAt ?? new Date(now.getTime() - 60 * MINUTE);
  // One minute past the last sample, so its own coverage is inside; until now while nothing was sampled.
  const end = span.lastTs ? new Date(span.lastTs.getTime() + MINUTE) : (span.endsAt ?? now);
  let from = Math.floor(start.getTime() / MINUTE) * MINUTE;
  let to = Math.ceil(Math.min(end.getTime(), Math.max(now.getTime(), from + MINUTE)) / MINUTE) * MINUTE;
  if (to <= from) to = from + MINUTE;
  if (to - from > maxMinutes * MINUTE) from = to - maxMinutes * MINUTE;
  return { from: new Date(from), to: new Date(to) };
}
