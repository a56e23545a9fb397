// The one polling loop: while this instance holds the leader lock, every tick asks YouTube about the
// due streams (distinct ids, 50 per call), stores the result in one transaction and publishes it.
// Quota, upstream faults and database outages change the beat, never the numbers.
import type { Config } from '../config.ts';
import type { Db, Leadership } from '../db/db.ts';
import { log } from '../log.ts';
import type { UpstreamFault } from '../youtube/classify-fault.ts';
import { nextPacificMidnight, pacificDay } from '../youtube/quota-clock.ts';
import type { VideoState } from '../youtube/video-state.ts';
import type { QuotaInfo, StreamStatus } from '../wire.ts';
import {
  activeStreams,
  addUnits,
  markActiveStreams,
  markDaySpent,
  markInactiveStreams,
  unitsUsed,
  writeTick,
} from './queries.ts';
import { effectiveIntervalSeconds } from './quota.ts';
import { batchVideoIds, isDue, type PollableStream } from './schedule.ts';
import { applyTick, faultStatus, type TickResult, type VideoOutcome } from './tick.ts';
import { WriteQueue } from './write-queue.ts';

export const LEADER_LOCK = 0x4c50_0002;
const KEY_RETRY_SECONDS = 300;
const BACKOFF_CAP_SECONDS = 120;

export type FetchVideos = (
  ids: string[],
) => Promise<{ ok: true; videos: VideoState[]; missing: string[] } | { ok: false; fault: UpstreamFault }>;

export interface PollerDeps {
  config: Pick<Config, 'POLL_INTERVAL_SECONDS' | 'YT_DAILY_QUOTA'>;
  db: Db;
  /** Null when there is no API key: nothing is polled and streams say so. */
  fetchVideos: FetchVideos | null;
  /** Hands a tick (or status changes alone) to the realtime layer. */
  publish: (tick: Pick<TickResult, 'ts' | 'samples' | 'statusChanged'>) => void;
  now?: () => Date;
  random?: () => number;
}

export interface TickReport {
  calls: number;
  /** Seconds until the next tick. */
  delaySeconds: number;
  written: boolean;
}

export type LookupResult =
  | { ok: true; video: VideoState }
  | { ok: false; missing: true }
  | { ok: false; noKey: true }
  | { ok: false; fault: UpstreamFault };

export function createPoller(deps: PollerDeps) {
  const now = deps.now ?? (() => new Date());
  const random = deps.random ?? Math.random;
  const base = deps.config.POLL_INTERVAL_SECONDS;
  const budget = deps.config.YT_DAILY_QUOTA;
  const queue = new WriteQueue((w) => writeTick(deps.db, w));

  let role: 'leader' | 'standby' = 'standby';
  let leadership: Leadership | null = null;
  let quotaPausedUntil: Date | null = null;
  let keyPausedUntil: Date | null = null;
  let failures = 0;
  /** What the last tick learnt of YouTube: 'ok', or the kind of fault that stopped or slowed it. */
  let upstream: 'ok' | 'idle' | UpstreamFault['kind'] = 'idle';
  let lastCallsPerTick = 0;
  let lastInterval = base;
  /** The effective interval (the configured one, stretched by the quota), as clients and the admin are told. */
  const intervalSeconds = () => Math.round(lastInterval);
  let stopped = false;
  let wakeUp: (() => void) | null = null;
  let loopDone: Promise<void> = Promise.resolve();
  /** Units spent on lookups while the database was down. */
  let unrecordedUnits = 0;
  let lastUsed = { day: '', units: 0 };
  /** The active streams as last read, polled from memory while the database is down. */
  let knownStreams: PollableStream[] = [];

  async function recordUnits(day: string, units: number) {
    try {
      await addUnits(deps.db, day, units);
    } catch {
      unrecordedUnits += units; // counted in memory until the database is back
    }
  }

  async function usedToday(day: string): Promise<number> {
    try {
      lastUsed = { day, units: await unitsUsed(deps.db, day) };
    } catch {
      // Database down: what it said last, plus what waits in the write queue.
    }
    return (lastUsed.day === day ? lastUsed.units : 0) + unrecordedUnits + queue.unitsFor(day);
  }

  async function tickOnce(): Promise<TickReport> {
    const at = now();
    const ts = new Date(Math.floor(at.getTime() / 1000) * 1000);
    const day = pacificDay(at);
    const resetAt = nextPacificMidnight(at);
    const changed = new Set<string>();
    const publishStatus = () => changed.size && deps.publish({ ts, samples: new Map(), statusChanged: changed });

    // While the database is unreachable the poller keeps polling the streams it last knew of: the
    // samples wait in the write queue and still reach live clients.
    let dbUp = true;
    try {
      for (const e of await markInactiveStreams(deps.db, ts)) changed.add(e);
    } catch {
      dbUp = false;
    }
    const markActive = async (status: StreamStatus, reason: string) => {
      if (dbUp) for (const e of await markActiveStreams(deps.db, ts, status, reason)) changed.add(e);
    };

    const fetchVideos = deps.fetchVideos;
    if (!fetchVideos) {
      await markActive('no_api_key', 'no YouTube API key is configured');
      publishStatus();
      return { calls: 0, delaySeconds: base, written: true };
    }
    if (quotaPausedUntil && at < quotaPausedUntil) {
      const f = faultStatus({ kind: 'quota_exceeded', reason: '' }, quotaPausedUntil);
      await markActive(f.status, f.reason);
      publishStatus();
      return { calls: 0, delaySeconds: (quotaPausedUntil.getTime() - at.getTime()) / 1000, written: true };
    }
    quotaPausedUntil = null;
    if (keyPausedUntil && at < keyPausedUntil) {
      publishStatus();
      return { calls: 0, delaySeconds: (keyPausedUntil.getTime() - at.getTime()) / 1000, written: true };
    }
    keyPausedUntil = null;

    if (dbUp) {
      try {
        knownStreams = await activeStreams(deps.db, ts);
      } catch {
        dbUp = false;
      }
    }
    const streams = knownStreams.filter((s) => isDue(s, ts));
    const batches = batchVideoIds(streams);
    const used = await usedToday(day);
    const interval = effectiveIntervalSeconds({
      baseSeconds: base,
      budget,
      used,
      callsPerTick: batches.length,
      now: at,
      resetAt,
    });
    lastCallsPerTick = batches.length;
    if (interval === Infinity) {
      // Our own count says the budget is spent: wait for the reset rather than be told by a 403.
      quotaPausedUntil = resetAt;
      return tickOnce();
    }
    lastInterval = interval;

    const outcomes = new Map<string, VideoOutcome>();
    let calls = 0;
    let retryable: UpstreamFault | null = null;
    let firstFault: UpstreamFault | null = null;
    for (const [i, ids] of batches.entries()) {
      calls++;
      const answer = await fetchVideos(ids);
      if (answer.ok) {
        for (const v of answer.videos) outcomes.set(v.videoId, { kind: 'video', video: v });
        for (const id of answer.missing) outcomes.set(id, { kind: 'missing' });
        continue;
      }
      const fault = answer.fault;
      firstFault ??= fault;
      const fatal =
        fault.kind === 'quota_exceeded' ||
        fault.kind === 'api_key_invalid' ||
        fault.kind === 'api_config_error' ||
        fault.kind === 'rate_limited';
      // A fault that concerns the key or the quota concerns every batch: stop calling at once.
      for (const id of (fatal ? batches.slice(i) : [ids]).flat()) outcomes.set(id, { kind: 'fault', fault });
      log('warn', `yt_${fault.kind}`, fault.reason, { httpStatus: fault.httpStatus });
      if (fault.kind === 'quota_exceeded') {
        quotaPausedUntil = resetAt;
        if (dbUp) await markDaySpent(deps.db, day, budget).catch(() => {});
      } else if (fault.kind === 'api_key_invalid' || fault.kind === 'api_config_error') {
        keyPausedUntil = new Date(at.getTime() + KEY_RETRY_SECONDS * 1000);
      } else {
        retryable = fault;
      }
      if (fatal) break;
    }

    upstream = firstFault?.kind ?? (calls ? 'ok' : upstream);
    const result = applyTick(ts, streams, outcomes, quotaPausedUntil ?? undefined);
    for (const e of changed) result.statusChanged.add(e);
    const written = await queue.push({
      ts,
      updates: result.updates,
      totals: [...result.samples].map(([eventId, s]) => ({ eventId, total: s.total })),
      units: calls && !quotaPausedUntil ? { day, units: calls } : null,
    });
    deps.publish(result);

    let delaySeconds = interval;
    if (retryable) {
      failures++;
      const backoff = Math.min(BACKOFF_CAP_SECONDS, base * 2 ** (failures - 1)) * (0.5 + random() / 2);
      delaySeconds = Math.max(interval, backoff, retryable.retryAfterSeconds ?? 0);
    } else {
      failures = 0;
    }
    if (quotaPausedUntil) delaySeconds = (quotaPausedUntil.getTime() - at.getTime()) / 1000;
    if (keyPausedUntil) delaySeconds = KEY_RETRY_SECONDS;
    return { calls, delaySeconds, written };
  }

  function sleep(seconds: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, seconds * 1000));
      function done() {
        clearTimeout(timer);
        wakeUp = null;
        resolve();
      }
      wakeUp = done;
    });
  }

  async function loop() {
    while (!stopped) {
      if (!leadership) {
        leadership = await deps.db.tryLeadership(LEADER_LOCK).catch(() => null);
        if (!leadership) {
          role = 'standby';
          await sleep(base);
          continue;
        }
        role = 'leader';
        log('info', 'poller_leader', 'this instance polls YouTube');
        leadership.lost.then(() => {
          log('warn', 'poller_lost_lock', 'lost the poller lock; standing by');
          leadership = null;
          role = 'standby';
          upstream = 'idle';
        });
      }
      const started = Date.now();
      let delay = base;
      try {
        delay = (await tickOnce()).delaySeconds;
      } catch (error) {
        log('error', 'poll_tick_failed', (error as Error).stack ?? String(error));
      }
      if (stopped) break;
      // A steady beat: the next tick is due `delay` after this one started, not after it finished.
      await sleep(delay - (Date.now() - started) / 1000);
    }
  }

  return {
    // Without a key this instance only marks streams as keyless: it is not polling anything.
    role: () => (deps.fetchVideos ? role : 'off'),
    tickOnce,
    start() {
      loopDone = loop();
    },
    /** Ends the loop after the tick in flight, writes what is queued, and lets go of the lock. */
    async stop() {
      stopped = true;
      wakeUp?.();
      await loopDone;
      if (!(await queue.flush())) {
        const { depth, oldest } = queue.waiting();
        log(
          'error',
          'ticks_unwritten',
          `shutting down with ${depth} tick(s) the database did not take: their samples are lost`,
          {
            ticks: depth,
            oldest: oldest?.toISOString(),
          },
        );
      }
      await leadership?.release();
      leadership = null;
    },
    wake() {
      wakeUp?.();
    },
    queuedTicks: () => queue.size,
    /** Ticks waiting for the database (none while writes succeed) and the age of the oldest, for /api/health. */
    writeBacklog: () => {
      const { depth, oldest } = queue.waiting();
      return {
        depth,
        oldestAgeSeconds: oldest ? Math.max(0, Math.round((now().getTime() - oldest.getTime()) / 1000)) : null,
      };
    },
    upstream: () => upstream,
    intervalSeconds,
    async quota(): Promise<QuotaInfo> {
      const at = now();
      const used = await usedToday(pacificDay(at));
      return {
        used,
        budget,
        resetAt: nextPacificMidnight(at).toISOString(),
        intervalSeconds: intervalSeconds(),
        callsPerTick: lastCallsPerTick,
        exhausted: Boolean(quotaPausedUntil && at < quotaPausedUntil) || used >= budget,
      };
    },
    /** One call for one video (adding a stream): counted against the quota like any other call. */
    async lookup(videoId: string): Promise<LookupResult> {
      if (!deps.fetchVideos) return { ok: false, noKey: true };
      const at = now();
      if (quotaPausedUntil && at < quotaPausedUntil)
        return { ok: false, fault: { kind: 'quota_exceeded', reason: 'YouTube quota spent' } };
      const answer = await deps.fetchVideos([videoId]);
      await recordUnits(pacificDay(at), 1);
      if (!answer.ok) return answer;
      const video = answer.videos.find((v) => v.videoId === videoId);
      return video ? { ok: true, video } : { ok: false, missing: true };
    },
  };
}

export type Poller = ReturnType<typeof createPoller>;
