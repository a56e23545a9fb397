// The poll sources this instance has, built once from the configuration: InnerTube always (no key
// needed; against the simulator in the demo), Twitch when a Twitch app is configured (or the simulator's
// Helix in the demo), and the rule that picks the YouTube source each tick.
import type { Config } from '../config.ts';
import { SIMULATOR_TWITCH_APP } from '../simulator/twitch-helix.ts';
import { createInnertubeClient, type InnertubeClient } from './innertube/client.ts';
import { createTwitchClient, type TwitchClient } from './twitch/streams.ts';
import type { YoutubeSourceSetting } from './youtube-choice.ts';

export interface SourceClients {
  setting: YoutubeSourceSetting;
  innertube: InnertubeClient;
  twitch: TwitchClient | null;
}

export function buildSourceClients(
  config: Pick<
    Config,
    | 'YT_SOURCE'
    | 'YT_INNERTUBE_BASE_URL'
    | 'YT_INNERTUBE_PER_SECOND'
    | 'YT_INNERTUBE_CONCURRENCY'
    | 'POLL_INTERVAL_SECONDS'
    | 'TWITCH_CLIENT_ID'
    | 'TWITCH_CLIENT_SECRET'
    | 'TWITCH_API_BASE_URL'
    | 'TWITCH_AUTH_BASE_URL'
  >,
  simulator: { origin: string; twitchApiBaseUrl: string; twitchAuthBaseUrl: string } | null = null,
): SourceClients {
  const innertube = createInnertubeClient({
    baseUrl: simulator?.origin ?? config.YT_INNERTUBE_BASE_URL,
    perSecond: config.YT_INNERTUBE_PER_SECOND,
    concurrency: config.YT_INNERTUBE_CONCURRENCY,
    // A little under the interval, so timer jitter does not skip a tick's lookup.
    minIntervalMs: config.POLL_INTERVAL_SECONDS * 1000 - 1500,
  });
  const twitch = simulator
    ? createTwitchClient({
        ...SIMULATOR_TWITCH_APP,
        apiBaseUrl: simulator.twitchApiBaseUrl,
        authBaseUrl: simulator.twitchAuthBaseUrl,
      })
    : config.TWITCH_CLIENT_ID
      ? createTwitchClient({
          clientId: config.TWITCH_CLIENT_ID,
          clientSecret: config.TWITCH_CLIENT_SECRET,
          apiBaseUrl: config.TWITCH_API_BASE_URL,
          authBaseUrl: config.TWITCH_AUTH_BASE_URL,
        })
      : null;
  return { setting: config.YT_SOURCE, innertube, twitch };
}
