// The mixed run of `npm run bench:poller` (issue 15): 1,000 streams over 20 events, each event half YouTube
// videos and half Twitch channels, through the real poller tick (createPoller with every source, YT_SOURCE
// auto) and the real database, against the simulator's own process over HTTP. A tick sends all of its
// YouTube videos to one source, chosen per tick, so the three sources are measured in two phases of the
// same streams: first the Data API (key set, quota left) beside Twitch, then, once the simulator answers
// quotaExceeded, InnerTube beside Twitch. InnerTube runs at the highest pace the configuration allows
// (YT_INNERTUBE_PER_SECOND=100, YT_INNERTUBE_CONCURRENCY=16): at the default 5/s, N videos take N/5 s a tick.
import { loadavg } from 'node:os';
import type { Db } from '../server/db/db.ts';
import { createPoller } from '../server/poller/poller.ts';
import { SIMULATOR_TWITCH_APP } from '../server/simulator/twitch-helix.ts';
import { createInnertubeClient } from '../server/sources/innertube/client.ts';
import { createTwitchClient } from '../server/sources/twitch/streams.ts';
import { fetchVideos } from '../server/youtube/videos-list.ts';
import { analyzeTables, insertMixedStreams, storedCounts } from './queries.ts';
import { freshDb, insertBenchEvents, percentile, table } from './support.ts';

const EVENTS = 20;
const STREAMS_PER_EVENT = 50;
const WARM_UP_TICKS = 2;

export interface MixedSim {
  baseUrl: string;
  origin: string;
  control(path: string, body?: unknown): Promise<unknown>;
}

/** The Twitch half of the streams (odd numbers), live on the simulator with their own counts. */
export async function setUpMixedTwitch(sim: MixedSim): Promise<void> {
  for (let n = 1; n < EVENTS * STREAMS_PER_EVENT; n += 2) {
    await sim.control(`twitch/bench_${n}`, {
      live: true,
      curve: { kind: 'moving', base: 300 + n, amplitude: 50, periodSeconds: 600, noise: 0.05 },
    });
  }
}

interface Phase {
  name: string;
  ticks: number[];
  writes: number[];
  calls: number[];
  youtubeSource: Set<string>;
}

async function runEngine(engine: 'embedded' | 'postgres', sim: MixedSim, ticks: number) {
  const fresh = await freshDb(engine, 'lp_bench_mixed');
  const db = fresh.db;
  try {
    await insertBenchEvents(db, EVENTS);
    await insertMixedStreams(db, EVENTS, STREAMS_PER_EVENT);
    await analyzeTables(db);

    let write = 0;
    const timedDb: Db = {
      ...db,
      async transaction(fn) {
        const started = performance.now();
        try {
          return await db.transaction(fn);
        } finally {
          write += performance.now() - started;
        }
      },
    };
    let clock = new Date(Math.floor(Date.now() / 1000) * 1000);
    const answered: string[] = [];
    const poller = createPoller({
      config: { POLL_INTERVAL_SECONDS: 10, YT_DAILY_QUOTA: 10_000 },
      db: timedDb,
      fetchVideos: (ids) => fetchVideos(ids, { baseUrl: sim.baseUrl, apiKey: 'bench-key-for-the-simulator' }),
      sources: {
        setting: 'auto',
        innertube: createInnertubeClient({ baseUrl: sim.origin, perSecond: 100, concurrency: 16, minIntervalMs: 0 }),
        twitch: createTwitchClient({
          ...SIMULATOR_TWITCH_APP,
          apiBaseUrl: `${sim.origin}/helix`,
          authBaseUrl: `${sim.origin}/oauth2`,
        }),
      },
      publish: () => {},
      now: () => clock,
    });

    const run = async (phase: Phase, n: number) => {
      for (let i = 0; i < n; i++) {
        write = 0;
        const started = performance.now();
        const report = await poller.tickOnce();
        const took = performance.now() - started;
        if (!report.written) throw new Error(`${phase.name}: tick ${i} not written`);
        if (i >= WARM_UP_TICKS) {
          phase.ticks.push(took);
          phase.writes.push(write);
          phase.calls.push(report.calls);
        }
        clock = new Date(clock.getTime() + 10_000);
      }
    };
    const apiPhase: Phase = { name: 'Data API + Twitch', ticks: [], writes: [], calls: [], youtubeSource: new Set() };
    await run(apiPhase, WARM_UP_TICKS + ticks);
    const afterApi = await storedCounts(db);
    await sim.control('faults', { fault: 'quota_exceeded' });
    const itPhase: Phase = { name: 'InnerTube + Twitch', ticks: [], writes: [], calls: [], youtubeSource: new Set() };
    // The tick that meets the 403 (Twitch only) is a warm-up tick, like the InnerTube session's first one.
    await run(itPhase, WARM_UP_TICKS + ticks);
    const rows = await storedCounts(db);
    answered.push(
      `${engine}: stored ${afterApi.stream_samples} stream samples in the Data API phase, ` +
        `${rows.stream_samples - afterApi.stream_samples} in the InnerTube phase (${WARM_UP_TICKS + ticks} ticks each; ` +
        `the tick that met the 403 stored Twitch alone); ` +
        `${rows.live} of ${EVENTS * STREAMS_PER_EVENT} streams live at the end`,
    );
    return { phases: [apiPhase, itPhase], notes: answered };
  } finally {
    await fresh.drop();
  }
}

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');

/** Both engines, one after the other; returns the report's text. */
export async function mixedTickRun(sim: MixedSim, ticks: number): Promise<string> {
  await setUpMixedTwitch(sim);
  const rows: string[][] = [];
  const notes: string[] = [];
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  for (const engine of ['embedded', 'postgres'] as const) {
    const r = await runEngine(engine, sim, ticks);
    for (const p of r.phases) {
      rows.push([
        `${engine} ${p.name}`,
        [...new Set(p.calls)].join('/'),
        ms(percentile(p.ticks, 50)),
        ms(percentile(p.ticks, 99)),
        ms(percentile(p.writes, 50)),
        ms(percentile(p.writes, 99)),
      ]);
    }
    notes.push(...r.notes);
  }
  return [
    `Mixed sources through the real tick: ${EVENTS * STREAMS_PER_EVENT} streams over ${EVENTS} events ` +
      `(${(EVENTS * STREAMS_PER_EVENT) / 2} YouTube videos, ${(EVENTS * STREAMS_PER_EVENT) / 2} Twitch channels), ` +
      `${ticks} measured ticks per phase after ${WARM_UP_TICKS} warm-up, load average ${load} at the start, ` +
      `${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')} at the end`,
    table(['engine phase', 'calls/tick', 'tick p50', 'tick p99', 'write tx p50', 'write tx p99'], rows, [
      'left',
      'right',
      'right',
      'right',
      'right',
      'right',
    ]),
    'All times in ms. calls/tick: videos.list calls (10 of 50 ids) + Helix /streams calls (5 of 100 logins), or ' +
      'InnerTube lookups (one per video, each a player and a next request) + Helix calls. The Data API phase costs ' +
      '10 quota units a tick; InnerTube and Twitch none.',
    ...notes,
  ].join('\n');
}
