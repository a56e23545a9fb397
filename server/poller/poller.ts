// The poller's public face: while this instance holds the leader lock (leader-loop.ts), every tick asks the
// source about the due streams, stores the result in one transaction and publishes it (poll-tick.ts).
// This file only composes the parts and answers the rest of the server (health, quota, lookups).
import type { Config } from '../config.ts';
import type { Db } from '../db/db.ts';
import { log } from '../log.ts';
import type { UpstreamFault } from '../youtube/classify-fault.ts';
import { nextPacificMidnight, pacificDay } from '../youtube/quota-clock.ts';
import type { VideoState } from '../youtube/video-state.ts';
import type { QuotaInfo } from '../wire.ts';
import { createLeaderLoop, LEADER_LOCK } from './leader-loop.ts';
import { noPauses, quotaPaused } from './pauses.ts';
import { pollTick, type TickReport, type TickState } from './poll-tick.ts';
import { pollerLockHeld, writeTick } from './queries.ts';
import { createQuotaLedger } from './quota-ledger.ts';
import { createRollups } from './rollups.ts';
import { type FetchVideos, youtubeApiSource } from './sources/youtube-api.ts';
import { routedSource } from './sources/routed.ts';
import type { SourceClients } from '../sources/build.ts';
import { followStep } from '../sources/follow-step.ts';
import type { TickResult } from './tick.ts';
import { WriteQueue } from './write-queue.ts';

export { LEADER_LOCK } from './leader-loop.ts';
export type { TickReport } from './poll-tick.ts';
export type { FetchVideos } from './sources/youtube-api.ts';

export interface PollerDeps {
  config: Pick<Config, 'POLL_INTERVAL_SECONDS' | 'YT_DAILY_QUOTA'>;
  db: Db;
  /** Null when there is no API key: nothing is polled and streams say so. */
  fetchVideos: FetchVideos | null;
  /** Hands a tick (or status changes alone) to the realtime layer. */
  publish: (tick: Pick<TickResult, 'ts' | 'samples' | 'statusChanged'>) => void;
  now?: () => Date;
  random?: () => number;
  /** InnerTube, Twitch and the YouTube source choice (issue 15); without them only the Data API polls. */
  sources?: SourceClients | null;
}

export type LookupResult =
  | { ok: true; video: VideoState }
  | { ok: false; missing: true }
  | { ok: false; noKey: true }
  | { ok: false; fault: UpstreamFault };

export function createPoller(deps: PollerDeps) {
  const now = deps.now ?? (() => new Date());
  const base = deps.config.POLL_INTERVAL_SECONDS;
  const budget = deps.config.YT_DAILY_QUOTA;
  const apiSource = deps.fetchVideos ? youtubeApiSource(deps.fetchVideos) : null;
  const sources = deps.sources ?? null;
  const source = sources
    ? routedSource(
        apiSource,
        sources,
        () => state.pauses.quotaUntil,
        now,
        () => state.pauses.keyUntil,
      )
    : apiSource;
  const queue = new WriteQueue((w) => writeTick(deps.db, w));
  const ledger = createQuotaLedger(deps.db, (day) => queue.unitsFor(day));
  const state: TickState = { pauses: noPauses(), upstream: 'idle', interval: base, unitsPerTick: 0, known: [] };
  const context = {
    db: deps.db,
    source,
    queue,
    ledger,
    publish: deps.publish,
    baseSeconds: base,
    budget,
    random: deps.random ?? Math.random,
    follow: sources
      ? (eventIds: string[], ts: Date) => followStep(deps.db, eventIds, ts, sources.innertube)
      : undefined,
  };
  const tickOnce = (): Promise<TickReport> => pollTick(context, state, now());
  const rollUp = createRollups(deps.db, now);
  const loop = createLeaderLoop({
    db: deps.db,
    baseSeconds: base,
    tick: async () => (await tickOnce()).delaySeconds,
    afterTick: rollUp,
    onLost: () => (state.upstream = 'idle'),
  });
  /** The effective interval (the configured one, stretched by the quota), as clients and the admin are told. */
  const intervalSeconds = () => Math.round(state.interval);

  return {
    // Without a key this instance only marks streams as keyless: it is not polling anything.
    role: () => (source ? loop.role() : 'off'),
    tickOnce,
    /**
     * Whether any instance polls now, for /api/health: this one leads, or (a standby) another holds the lock.
     * Null when this instance runs no loop (no key; tests that drive ticks by hand): it has nothing to tell.
     * After the lock's connection is cut, a lone instance is a standby until its next try: nobody counts then.
     */
    async polled(): Promise<boolean | null> {
      if (!source || !loop.started()) return null;
      if (loop.role() === 'leader') return true;
      return pollerLockHeld(deps.db, LEADER_LOCK).catch(() => false);
    },
    /** Rolls up the minutes closed since the last time (the loop does it after each tick). */
    rollUp,
    start: () => loop.start(),
    /** Ends the loop after the tick in flight, writes what is queued, and lets go of the lock. */
    async stop() {
      await loop.stop();
      if (!(await queue.flush())) {
        const { depth, oldest } = queue.waiting();
        log(
          'error',
          'ticks_unwritten',
          `shutting down with ${depth} tick(s) the database did not take: their samples are lost`,
          { ticks: depth, oldest: oldest?.toISOString() },
        );
      }
      await loop.release();
    },
    wake: () => loop.wake(),
    queuedTicks: () => queue.size,
    /** Ticks waiting for the database (none while writes succeed) and the age of the oldest, for /api/health. */
    writeBacklog: () => {
      const { depth, oldest } = queue.waiting();
      return {
        depth,
        oldestAgeSeconds: oldest ? Math.max(0, Math.round((now().getTime() - oldest.getTime()) / 1000)) : null,
      };
    },
    upstream: () => state.upstream,
    intervalSeconds,
    async quota(): Promise<QuotaInfo> {
      const at = now();
      const used = await ledger.usedOn(pacificDay(at));
      return {
        used,
        budget,
        resetAt: nextPacificMidnight(at).toISOString(),
        intervalSeconds: intervalSeconds(),
        callsPerTick: state.unitsPerTick,
        exhausted: quotaPaused(state.pauses, at) || used >= budget,
      };
    },
    /**
     * One call for one video (adding a stream), through the YouTube source a tick would use now: counted
     * against the quota like any other call; with the quota spent, InnerTube in auto (the Data API alone refuses).
     */
    async lookup(videoId: string): Promise<LookupResult> {
      if (!source) return { ok: false, noKey: true };
      const at = now();
      // With other sources the router decides (InnerTube in auto, quota_exceeded without a call in YT_SOURCE=api).
      if (quotaPaused(state.pauses, at) && !source.worksWithoutQuota?.())
        return { ok: false, fault: { kind: 'quota_exceeded', reason: 'YouTube quota spent' } };
      const answer = await source.poll([{ videoId }]);
      await ledger.record(pacificDay(at), answer.units);
      const outcome = answer.outcomes.get(videoId);
      if (outcome?.kind === 'video') return { ok: true, video: outcome.video };
      if (outcome?.kind === 'fault') return { ok: false, fault: outcome.fault };
      // No answer while YouTube refuses the key (YT_SOURCE=api beside Twitch: the Data API is not asked).
      if (!outcome && state.pauses.keyUntil && at < state.pauses.keyUntil)
        return { ok: false, fault: { kind: 'api_key_invalid', reason: 'YouTube rejected the API key' } };
      return { ok: false, missing: true };
    },
  };
}

export type Poller = ReturnType<typeof createPoller>;
