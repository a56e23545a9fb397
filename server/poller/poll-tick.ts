// One tick: mark streams outside their window, read the due streams, ask the source (fetch), turn the
// answers into statuses and samples (decide, tick.ts), queue the write (persist) and hand the result to
// the realtime layer (publish). Quota, upstream faults and database outages change the beat, never the
// numbers: while the database is unreachable the tick polls the streams it last knew of, and their
// samples wait in the write queue and still reach live clients. Passing trouble of one source (a YouTube
// 503) backs off that source alone; the tick itself waits only when every source is backed off.
import type { Db } from '../db/db.ts';
import { log } from '../log.ts';
import type { UpstreamFault } from '../youtube/classify-fault.ts';
import { nextPacificMidnight, pacificDay } from '../youtube/quota-clock.ts';
import type { SourceName, StreamStatus } from '../wire.ts';
import {
  backOff,
  heldSources,
  nextDelaySeconds,
  noteFault,
  pauseAt,
  type Pauses,
  recovered,
  troubled,
} from './pauses.ts';
import { activeStreams, markActiveStreams, markDaySpent, markInactiveStreams } from './queries.ts';
import { effectiveIntervalSeconds } from './quota.ts';
import type { QuotaLedger } from './quota-ledger.ts';
import { isDue, type PollableStream } from './schedule.ts';
import type { Source, SourceAnswer } from './sources/source.ts';
import { applyTick, faultStatus, type TickResult } from './tick.ts';
import type { WriteQueue } from './write-queue.ts';

export interface TickReport {
  calls: number;
  /** Seconds until the next tick. */
  delaySeconds: number;
  written: boolean;
}

/** What one tick reads and changes, kept between ticks by the poller. */
export interface TickState {
  pauses: Pauses;
  /** What the last tick learnt of YouTube: 'ok', or the kind of fault that stopped or slowed it. */
  upstream: 'ok' | 'idle' | UpstreamFault['kind'];
  /** The configured interval stretched by the quota, as the last tick that called upstream set it. */
  interval: number;
  /** Quota units the last tick's poll cost. */
  unitsPerTick: number;
  /** The active streams as last read, polled from memory while the database is down. */
  known: PollableStream[];
}

export interface TickContext {
  db: Db;
  /** Null when there is no API key: nothing is polled and streams say so. */
  source: Source | null;
  queue: WriteQueue;
  ledger: QuotaLedger;
  publish: (tick: Pick<TickResult, 'ts' | 'samples' | 'statusChanged'>) => void;
  baseSeconds: number;
  budget: number;
  random: () => number;
  /** Resolves the followed channels of these events (sources/follow-step.ts); returns the events that changed. */
  follow?: (eventIds: string[], ts: Date) => Promise<string[]>;
}

export async function pollTick(c: TickContext, state: TickState, at: Date): Promise<TickReport> {
  const ts = new Date(Math.floor(at.getTime() / 1000) * 1000);
  const day = pacificDay(at);
  const resetAt = nextPacificMidnight(at);
  const changed = new Set<string>();
  const publishStatus = () => changed.size && c.publish({ ts, samples: new Map(), statusChanged: changed });

  let dbUp = true;
  try {
    for (const e of await markInactiveStreams(c.db, ts)) changed.add(e);
  } catch {
    dbUp = false;
  }
  const markActive = async (status: StreamStatus, reason: string) => {
    if (dbUp) for (const e of await markActiveStreams(c.db, ts, status, reason)) changed.add(e);
  };

  if (!c.source) {
    await markActive('no_api_key', 'no YouTube API key is configured');
    publishStatus();
    return { calls: 0, delaySeconds: c.baseSeconds, written: true };
  }
  const pause = pauseAt(state.pauses, at);
  // A spent Data API quota or a refused key pauses only the Data API when other sources can go on (Twitch;
  // InnerTube in auto): the source then answers for the Data API's streams itself, and calls nothing for them.
  const quotaHoldsOnlyApi = c.source.worksWithoutQuota?.() ?? false;
  if (pause && !quotaHoldsOnlyApi) {
    if (pause.kind === 'quota') {
      const f = faultStatus({ kind: 'quota_exceeded', reason: '' }, pause.until);
      await markActive(f.status, f.reason);
    }
    publishStatus();
    return { calls: 0, delaySeconds: (pause.until.getTime() - at.getTime()) / 1000, written: true };
  }

  if (dbUp) {
    try {
      state.known = await activeStreams(c.db, ts);
      if (c.follow) {
        const followed = await c.follow([...new Set(state.known.map((s) => s.eventId))], ts);
        for (const e of followed) changed.add(e);
        if (followed.length) state.known = await activeStreams(c.db, ts);
      }
    } catch {
      dbUp = false;
    }
  }
  const streams = state.known.filter((s) => isDue(s, ts));
  const units = c.source.unitsFor(streams);
  const interval = effectiveIntervalSeconds({
    baseSeconds: c.baseSeconds,
    budget: c.budget,
    used: await c.ledger.usedOn(day),
    callsPerTick: units,
    now: at,
    resetAt,
  });
  state.unitsPerTick = units;
  if (interval === Infinity) {
    // Our own count says the budget is spent: wait for the reset rather than be told by a 403.
    state.pauses.quotaUntil = resetAt;
    return pollTick(c, state, at);
  }
  state.interval = interval;

  // A source backed off after passing trouble is not called: its streams keep the status and reason the
  // failed poll gave them and add nothing to the totals, while the other sources keep the beat.
  const answer = await c.source.poll(streams, heldSources(state.pauses, at));
  const sources = answer.sources ?? (streams.length ? ['api' as const] : []);
  const trouble = new Map<SourceName, UpstreamFault>();
  for (const fault of answer.faults) {
    log('warn', `${fault.source === 'twitch' ? 'twitch' : 'yt'}_${fault.kind}`, fault.reason, {
      httpStatus: fault.httpStatus,
      source: fault.source ?? 'api',
    });
    if (fault.kind === 'quota_exceeded' && dbUp) await markDaySpent(c.db, day, c.budget).catch(() => {});
    const retryable = noteFault(state.pauses, fault, at, resetAt);
    if (retryable) trouble.set(fault.source ?? 'api', retryable);
    troubled(state.pauses, fault.source ?? 'api', at);
  }
  const held = heldSources(state.pauses, at);
  const faulted = new Set(answer.faults.map((f) => f.source ?? 'api'));
  for (const source of sources) {
    if (held.has(source)) continue; // left out this tick: its back-off stands
    const fault = trouble.get(source);
    if (!faulted.has(source)) sayRecovered(source, recovered(state.pauses, source, at));
    else if (fault) {
      const seconds = backOff(state.pauses, source, fault, {
        at,
        interval,
        baseSeconds: c.baseSeconds,
        random: c.random,
      });
      sayRetry(answer, source, seconds);
    }
  }
  // What health calls upstream is YouTube: Twitch's trouble is said on its streams.
  const youtubeFault = answer.faults.find((f) => f.source !== 'twitch');
  const youtubeHeld = sources.some((s) => s !== 'twitch' && held.has(s));
  state.upstream = youtubeFault?.kind ?? (youtubeHeld ? state.upstream : answer.calls ? 'ok' : state.upstream);

  const quotaUntil = state.pauses.quotaUntil;
  const result = applyTick(ts, streams, answer.outcomes, quotaUntil ?? undefined, answer.answeredBy, answer.reasons);
  for (const e of changed) result.statusChanged.add(e);
  const written = await c.queue.push({
    ts,
    updates: result.updates,
    totals: [...result.samples].map(([eventId, s]) => ({ eventId, total: s.total })),
    units: answer.units && !quotaUntil ? { day, units: answer.units } : null,
  });
  c.publish(result);

  const delaySeconds = nextDelaySeconds(state.pauses, { at, interval, sources, quotaHoldsOnlyApi });
  return { calls: answer.calls, delaySeconds, written };
}

const SOURCE_WORDS: Record<SourceName, [code: string, name: string]> = {
  api: ['yt_recovered', 'YouTube (Data API)'],
  innertube: ['yt_recovered', 'YouTube (InnerTube)'],
  twitch: ['twitch_recovered', 'Twitch'],
};

/** After the warnings of a source's trouble, one line when it answers again: the log says the trouble ended. */
function sayRecovered(source: SourceName, troubleSeconds: number | null) {
  if (troubleSeconds === null) return;
  const [code, name] = SOURCE_WORDS[source];
  log('info', code, `${name} answers again after ${Math.round(troubleSeconds)} s of trouble`, {
    source,
    troubleSeconds: Math.round(troubleSeconds),
  });
}

/**
 * A source just backed off: each of its streams that failed says when it is asked again ("YouTube backend
 * error (backendError); retrying in 40 s"). The reason is written once, so it stays the same while the source
 * is left out and no status frame is sent per tick for it.
 */
function sayRetry(answer: SourceAnswer, source: SourceName, seconds: number) {
  for (const [key, outcome] of answer.outcomes) {
    if (outcome.kind !== 'fault' || (answer.answeredBy?.get(key) ?? 'api') !== source) continue;
    const reason = `${outcome.fault.reason}; retrying in ${Math.round(seconds)} s`;
    answer.outcomes.set(key, { kind: 'fault', fault: { ...outcome.fault, reason } });
  }
}
