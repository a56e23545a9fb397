// What an old or missing number is worth, for the `now.*` data sources: the widgets' rule
// (widget/live-state.ts decideState) seen from the server, where the connection is always open.
// A copy, not an import: the server image ships server/ only. now-state.test.ts holds the two
// rules to the same answers, so they cannot drift apart unnoticed.
import type { StatusMessage, StreamStatus } from '../../wire.ts';

/** `live`: the newest count is younger than 2.5 polling intervals; `stale`: it is older (shown with its time); `no-data`: no stream has a count now. */
export type NowState = 'live' | 'stale' | 'no-data';

/** As widget/live-state.ts: a count older than this many polling intervals is stale. */
export const STALE_AFTER_INTERVALS = 2.5;
/** Statuses where a count is (or is about to be) polled: freshness decides between live and stale. */
const COUNTING: readonly StreamStatus[] = ['live', 'error', 'pending'];

/**
 * The state of an event's number now. Where a widget would still say `connecting` (a stream just added,
 * its first count on its way) a data source has nothing to show either: `no-data`.
 */
export function nowState(
  status: Pick<StatusMessage, 'streams' | 'intervalSeconds'>,
  lastSampleAt: number | null,
  now: number,
): NowState {
  const counting = status.streams.some((s) => COUNTING.includes(s.status));
  if (!counting || lastSampleAt === null) return 'no-data';
  return lastSampleAt + STALE_AFTER_INTERVALS * status.intervalSeconds * 1000 > now ? 'live' : 'stale';
}
