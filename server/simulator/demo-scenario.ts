// The demo's three live YouTube streams and its Twitch channel: stable ids, believable titles and counts that
// drift like a real event (a main stage that grows, a side room that breathes, a small backstage feed, and the
// same keynote restreamed on Twitch, so the demo's total is a sum across platforms).
import type { Simulator, VideoSpec } from './simulator.ts';

export const DEMO_VIDEO_IDS = ['demoLive001', 'demoLive002', 'demoLive003'] as const;
/** The demo's simulated Twitch channel (a valid login; the simulator's Helix answers for it). */
export const DEMO_TWITCH_LOGIN = 'oss_summit_live';

export function demoScenario(sim: Simulator): string[] {
  const minutesAgo = (m: number) => new Date(sim.now() - m * 60_000).toISOString();
  sim.setVideo('demoLive001', {
    state: 'live',
    title: 'Open Source Summit 2026 — Main Stage (Day 2 keynotes)',
    channelTitle: 'Open Source Summit',
    actualStart: minutesAgo(42),
    curve: { kind: 'moving', base: 12_400, amplitude: 1_600, periodSeconds: 900, trendPerHour: 2_000, noise: 0.006 },
  });
  sim.setVideo('demoLive002', {
    state: 'live',
    title: 'Open Source Summit 2026 — Workshop Room B: Postgres internals',
    channelTitle: 'Open Source Summit',
    actualStart: minutesAgo(35),
    curve: { kind: 'moving', base: 3_150, amplitude: 700, periodSeconds: 420, trendPerHour: -150, noise: 0.012 },
  });
  sim.setVideo('demoLive003', {
    state: 'live',
    title: 'Backstage cam — speakers’ lounge (live chat Q&A)',
    channelTitle: 'OSS Summit Backstage',
    actualStart: minutesAgo(18),
    curve: { kind: 'moving', base: 870, amplitude: 260, periodSeconds: 300, trendPerHour: 60, noise: 0.03 },
  });
  sim.twitch.setChannel(DEMO_TWITCH_LOGIN, {
    live: true,
    title: 'Open Source Summit 2026 — Main Stage restream',
    startedAt: minutesAgo(40),
    curve: { kind: 'moving', base: 2_300, amplitude: 400, periodSeconds: 600, trendPerHour: 300, noise: 0.01 },
  });
  return [...DEMO_VIDEO_IDS];
}

/** Any other video pasted in the demo's admin: a live stream with its own believable curve (from its id), titled as simulated. */
export function adoptAsSimulated(videoId: string): VideoSpec {
  let h = 0;
  for (const ch of videoId) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return {
    state: 'live',
    title: `Simulated stream (${videoId})`,
    channelTitle: 'LivePulse demo (simulated)',
    curve: {
      kind: 'moving',
      base: 500 + (h % 9500),
      amplitude: 50 + (h % 400),
      periodSeconds: 240 + (h % 600),
      trendPerHour: 0,
      noise: 0.01,
    },
  };
}
