// An event's stats over a window: the window tiled into whole hours (read from stat_parts, or computed
// and stored once) and edge pieces (computed each time), then stitched per series by compute.ts.
import type { Db } from '../db/db.ts';
import type { HistoryWindow } from '../history/params.ts';
import type { StatsResponse } from '../wire.ts';
import { EMPTY_PART, shareOf, stitch, tiles, type Part, type Tile } from './compute.ts';
import {
  TOTAL,
  type SeriesPart,
  type StatsStream,
  computeParts,
  eventStreams,
  intervalSteps,
  seriesGoingOn,
  storedParts,
} from './queries.ts';

export interface StatsOptions {
  /** The configured POLL_INTERVAL_SECONDS: the interval of samples older than every recorded one. */
  fallbackSeconds: number;
  now?: Date;
}

// A day of 20 streams every 10 s is 170k rows: each statement stays far inside DB_STATEMENT_TIMEOUT_MS
// on a busy machine, and what one finished is stored even if a later one fails.
const HOURS_PER_STATEMENT = 24;

/** The parts of the tiles not stored yet, at most a day per statement; whole hours already over are stored. */
async function computeMissing(
  db: Db,
  eventId: string,
  from: Date,
  missing: Tile[],
  now: Date,
  fallbackSeconds: number,
): Promise<SeriesPart[]> {
  const out: SeriesPart[] = [];
  for (let i = 0; i < missing.length; i += HOURS_PER_STATEMENT) {
    const chunk = missing.slice(i, i + HOURS_PER_STATEMENT);
    // Contiguous tiles are read as one span (one index range scan each).
    const spans: { lo: Date; hi: Date }[] = [];
    for (const t of chunk) {
      const last = spans.at(-1);
      if (last && last.hi.getTime() === t.start) last.hi = new Date(t.end);
      else spans.push({ lo: new Date(t.start), hi: new Date(t.end) });
    }
    // A later sample in a stored hour drops it again (sql/008's trigger).
    const store = chunk.filter((t) => t.full && t.end <= now.getTime()).map((t) => new Date(t.start));
    out.push(...(await computeParts(db, { eventId, from, spans, store, fallbackSeconds })));
  }
  return out;
}

export async function readStats(
  db: Db,
  eventId: string,
  window: HistoryWindow,
  o: StatsOptions,
): Promise<{ stats: StatsResponse; streams: StatsStream[] }> {
  const now = o.now ?? new Date();
  const from = window.from.getTime();
  const to = window.to.getTime();
  const grid = tiles(from, to);
  const full = grid.filter((t) => t.full);

  const stored = full.length
    ? await storedParts(db, eventId, new Date(full[0].start), new Date(full[full.length - 1].end))
    : [];
  const computedHours = new Set(stored.filter((p) => p.series === TOTAL).map((p) => p.bucket));
  const missing = grid.filter((t) => !computedHours.has(t.start));
  const [computed, steps, goingOn, streams] = await Promise.all([
    computeMissing(db, eventId, window.from, missing, now, o.fallbackSeconds),
    intervalSteps(db, window.from, window.to),
    seriesGoingOn(db, eventId, window.to),
    eventStreams(db, eventId),
  ]);

  const bySeries = new Map<string, Map<number, Part>>();
  for (const p of [...stored, ...computed]) {
    let m = bySeries.get(p.series);
    if (!m) bySeries.set(p.series, (m = new Map<number, Part>()));
    m.set(p.bucket, p);
  }
  const statsOf = (series: string) =>
    stitch(
      grid.map((t) => bySeries.get(series)?.get(t.start) ?? EMPTY_PART),
      {
        steps,
        fallback: o.fallbackSeconds,
        from,
        to,
        now: now.getTime(),
        hasNextAfterTo: goingOn.has(series),
      },
    );
  const total = statsOf(TOTAL);
  const stats: StatsResponse = {
    eventId,
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    total,
    streams: Object.fromEntries(
      streams.map((s) => {
        const stats = statsOf(s.id);
        return [s.id, { ...stats, share: shareOf(stats, total) }];
      }),
    ),
  };
  return { stats, streams };
}
