// Which streams a tick asks YouTube about: live ones every tick, the others at slower rates, so
// upcoming, ended and vanished videos do not burn quota at the live rate.
import type { Platform, StreamStatus } from '../wire.ts';

export interface PollableStream {
  id: string;
  eventId: string;
  /** youtube when absent (streams made before issue 15). */
  platform?: Platform;
  /** The YouTube video polled now; null for Twitch and for a followed channel with nothing live. */
  videoId: string | null;
  login?: string | null;
  status: StreamStatus;
  statusReason: string | null;
  misses: number;
  lastPolledAt: Date | null;
}

/** Seconds between two polls of a stream in this status; 0 = every tick. */
export const RECHECK_SECONDS: Partial<Record<StreamStatus, number>> = {
  upcoming: 60,
  unavailable: 300,
  ended: 600,
  not_live: 1800,
};

export function isDue(stream: PollableStream, now: Date): boolean {
  const every = RECHECK_SECONDS[stream.status] ?? 0;
  if (!every || !stream.lastPolledAt) return true;
  // A little slack so a stream due "at" this tick is not pushed to the next one by timer jitter.
  return now.getTime() - stream.lastPolledAt.getTime() >= every * 1000 - 1500;
}
