// Counts one chat's messages per whole minute, honestly: a minute is closed (and may be stored) only when
// every read from before its start to after its end succeeded. The first read's backlog (messages posted before
// we started) and the minute of any failed read are gaps, never a 0; a minute read throughout with no message is
// a true 0. Pure: the reader feeds it each read's outcome and the time the read was sent.

const MINUTE = 60_000;
/** How long after a minute's end a read must start before the minute is closed: late messages land first. */
export const CLOSE_GRACE_MS = 5_000;

export interface ClosedMinute {
  minuteMs: number;
  messages: number;
}

export function createMinuteCounter() {
  /** When the unbroken run of successful reads began (the send time of its first read), or null in a gap. */
  let coveredFrom: number | null = null;
  /** The next minute to close: the first whole minute after coveredFrom. */
  let nextMinute = 0;
  const counts = new Map<number, number>();
  const seen = new Map<number, Set<string>>();

  return {
    /** A read sent at `sentAtMs` succeeded with these messages: returns the minutes it closed, oldest first. */
    read(sentAtMs: number, messages: { id: string; tsMs: number | null }[]): ClosedMinute[] {
      if (coveredFrom === null) {
        coveredFrom = sentAtMs;
        nextMinute = Math.ceil(sentAtMs / MINUTE) * MINUTE;
      }
      for (const m of messages) {
        const minute = Math.floor((m.tsMs ?? sentAtMs) / MINUTE) * MINUTE;
        if (minute < nextMinute) continue; // backlog, or a minute already closed
        let ids = seen.get(minute);
        if (!ids) seen.set(minute, (ids = new Set()));
        if (ids.has(m.id)) continue; // YouTube sends a message again now and then
        ids.add(m.id);
        counts.set(minute, (counts.get(minute) ?? 0) + 1);
      }
      const closed: ClosedMinute[] = [];
      while (nextMinute + MINUTE + CLOSE_GRACE_MS <= sentAtMs) {
        closed.push({ minuteMs: nextMinute, messages: counts.get(nextMinute) ?? 0 });
        counts.delete(nextMinute);
        seen.delete(nextMinute);
        nextMinute += MINUTE;
      }
      return closed;
    },
    /** A read failed (or the chat was left): nothing open is kept; counting starts again with the next read. */
    gap() {
      coveredFrom = null;
      counts.clear();
      seen.clear();
    },
    /** The minutes this counter still owes (it covers them and will close them), for the SSE's "all in" test. */
    covers(minuteMs: number): boolean {
      return coveredFrom !== null && minuteMs >= nextMinute;
    },
  };
}
