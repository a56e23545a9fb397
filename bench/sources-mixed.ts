// The mixed-source run of `npm run bench:poller` (issue 15): one poll round of 500 YouTube videos through
// the Data API, 100 through InnerTube and 250 Twitch channels, against the simulator over HTTP (in this
// process, so its own work is in the figures): wall time per source, requests, and the CPU an InnerTube
// lookup costs (youtubei.js parses two responses per video). InnerTube runs with its pacing lifted to
// measure its cost; at the default pace (5 lookups/s) a round of N videos takes N/5 s by design.
// Run alone: node --import tsx bench/sources-mixed.ts [rounds]
import { loadavg } from 'node:os';
import { startSimulator } from '../server/simulator/simulator.ts';
import { createInnertubeClient } from '../server/sources/innertube/client.ts';
import { createTwitchClient } from '../server/sources/twitch/streams.ts';
import { fetchVideos, MAX_IDS_PER_CALL } from '../server/youtube/videos-list.ts';
import { percentile, table } from './support.ts';

const API_VIDEOS = 500;
const INNERTUBE_VIDEOS = 100;
const TWITCH_CHANNELS = 250;

export async function mixedRun(rounds = 5): Promise<string> {
  const sim = await startSimulator({ seed: 7 });
  try {
    const id = (prefix: string, n: number) => `${prefix}${String(n).padStart(11 - prefix.length, '0')}`;
    const apiIds = Array.from({ length: API_VIDEOS }, (_, n) => id('api', n));
    const itIds = Array.from({ length: INNERTUBE_VIDEOS }, (_, n) => id('itv', n));
    const logins = Array.from({ length: TWITCH_CHANNELS }, (_, n) => `bench_${n}`);
    for (const v of [...apiIds, ...itIds]) sim.setVideo(v, { state: 'live' });
    for (const l of logins.filter((_, n) => n % 2 === 0)) sim.twitch.setChannel(l, { live: true });

    const innertube = createInnertubeClient({ baseUrl: sim.origin, perSecond: 1000, concurrency: 8, minIntervalMs: 0 });
    const twitch = createTwitchClient({
      clientId: 'simclientid0000000000000000000',
      clientSecret: 'simclientsecret00000000000000',
      apiBaseUrl: sim.twitchApiBaseUrl,
      authBaseUrl: sim.twitchAuthBaseUrl,
    });
    await innertube.videos(['warmupVid00']); // the youtubei.js session, once per process
    await twitch.streams(['warm_up']); // the app token, once per day

    const wall = { api: [] as number[], innertube: [] as number[], twitch: [] as number[], all: [] as number[] };
    let cpuPerLookupMs = 0; // CPU of the last round, all sources and the simulator
    let total = 0;
    for (let r = 0; r < rounds; r++) {
      const timed = async <T>(into: number[], run: () => Promise<T>) => {
        const t0 = performance.now();
        const out = await run();
        into.push(performance.now() - t0);
        return out;
      };
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const [api, it, tw] = await Promise.all([
        timed(wall.api, async () => {
          const out = [];
          for (let i = 0; i < apiIds.length; i += MAX_IDS_PER_CALL) {
            out.push(
              await fetchVideos(apiIds.slice(i, i + MAX_IDS_PER_CALL), {
                baseUrl: sim.baseUrl,
                apiKey: 'bench-key-for-the-simulator',
              }),
            );
          }
          return out;
        }),
        timed(wall.innertube, () => innertube.videos(itIds)),
        timed(wall.twitch, () => twitch.streams(logins)),
      ]);
      wall.all.push(performance.now() - t0);
      const cpu = process.cpuUsage(cpu0);
      cpuPerLookupMs = (cpu.user + cpu.system) / 1000;
      const counted =
        api.flatMap((a) => (a.ok ? a.videos : [])).filter((v) => v.viewers !== null).length +
        it.filter((o) => o.ok && o.state.viewers !== null).length +
        tw.filter((o) => o.status === 'live').length;
      total = counted;
    }
    const row = (name: string, what: string, calls: string, xs: number[]) => [
      name,
      what,
      calls,
      percentile(xs, 50).toFixed(0),
      percentile(xs, 95).toFixed(0),
    ];
    return [
      `Mixed sources, ${rounds} rounds (load average ${loadavg()[0].toFixed(2)}); counts per round: ${total} of ${API_VIDEOS + INNERTUBE_VIDEOS + TWITCH_CHANNELS / 2} expected`,
      table(
        ['source', 'targets', 'requests', 'p50 ms', 'p95 ms'],
        [
          row('YouTube Data API', `${API_VIDEOS} videos`, `${API_VIDEOS / 50} (1 unit each)`, wall.api),
          row('InnerTube (pace lifted)', `${INNERTUBE_VIDEOS} videos`, `${INNERTUBE_VIDEOS * 2}`, wall.innertube),
          row('Twitch Helix', `${TWITCH_CHANNELS} channels`, '3', wall.twitch),
          row('all three at once', '', '', wall.all),
        ],
        ['left', 'right', 'right', 'right', 'right'],
      ),
      `CPU of one round (clients and simulator in this process): ${cpuPerLookupMs.toFixed(0)} ms; ` +
        `at the default InnerTube pace (5/s) ${INNERTUBE_VIDEOS} videos take ${INNERTUBE_VIDEOS / 5} s a round.`,
    ].join('\n');
  } finally {
    await sim.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await mixedRun(Number(process.argv[2] ?? 5)));
}
