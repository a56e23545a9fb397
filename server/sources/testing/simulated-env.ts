// For tests only: the settings that point every source of an instance at one simulator: InnerTube at its
// origin (paced fast, so a test does not wait on the pacer), and its Twitch app and endpoints.
import type { Simulator } from '../../simulator/simulator.ts';
import { SIMULATOR_TWITCH_APP } from '../../simulator/twitch-helix.ts';

export function simulatedSourcesEnv(
  sim: Simulator,
  o: { setting?: 'auto' | 'api' | 'innertube'; twitch?: boolean } = {},
): Record<string, string> {
  return {
    YT_SOURCE: o.setting ?? 'auto',
    YT_INNERTUBE_BASE_URL: sim.origin,
    YT_INNERTUBE_PER_SECOND: '50',
    ...(o.twitch === false
      ? {}
      : {
          TWITCH_CLIENT_ID: SIMULATOR_TWITCH_APP.clientId,
          TWITCH_CLIENT_SECRET: SIMULATOR_TWITCH_APP.clientSecret,
          TWITCH_API_BASE_URL: sim.twitchApiBaseUrl,
          TWITCH_AUTH_BASE_URL: sim.twitchAuthBaseUrl,
        }),
  };
}
