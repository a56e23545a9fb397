// `npm run demo` (YT_SIMULATOR=1): starts the built-in YouTube simulator with three moving live
// streams and a live Twitch channel, and makes sure a public demo event follows them, so a newcomer sees
// numbers with no key. Twitch is read from the simulator's own Helix (token endpoint included), with the
// simulator's made-up client id and secret (server/sources/build.ts): no Twitch app is needed.
import type { Db } from './db/db.ts';
import { getEvent, insertEvent, insertStream } from './events/queries.ts';
import { newEmbedKey, newId } from './ids.ts';
import { adoptAsSimulated, DEMO_TWITCH_LOGIN, demoScenario } from './simulator/demo-scenario.ts';
import { startSimulator, type Simulator } from './simulator/simulator.ts';
import { SIMULATOR_TWITCH_APP } from './simulator/twitch-helix.ts';
import type { Config } from './config.ts';

export const DEMO_EVENT_ID = 'demo';
/** The simulator wants a key like YouTube does; this one only ever goes to 127.0.0.1. */
export const SIMULATOR_KEY = 'simulator-key-not-a-google-key';

/** The demo's Twitch app: the simulator's Helix and token endpoint, its made-up credentials (the admin then takes Twitch links too). */
export function demoTwitchConfig(
  sim: Pick<Simulator, 'twitchApiBaseUrl' | 'twitchAuthBaseUrl'>,
): Pick<Config, 'TWITCH_CLIENT_ID' | 'TWITCH_CLIENT_SECRET' | 'TWITCH_API_BASE_URL' | 'TWITCH_AUTH_BASE_URL'> {
  return {
    TWITCH_CLIENT_ID: SIMULATOR_TWITCH_APP.clientId,
    TWITCH_CLIENT_SECRET: SIMULATOR_TWITCH_APP.clientSecret,
    TWITCH_API_BASE_URL: sim.twitchApiBaseUrl,
    TWITCH_AUTH_BASE_URL: sim.twitchAuthBaseUrl,
  };
}

export async function startDemo(db: Db): Promise<Simulator> {
  // Any valid link pasted in the admin gets a simulated curve: the demo must take a newcomer's own links
  // rather than answer "YouTube does not know the video" (the admin's banner says the numbers are simulated).
  const sim = await startSimulator({ host: '127.0.0.1', port: 0, adopt: adoptAsSimulated });
  const videoIds = demoScenario(sim);
  if (!(await getEvent(db, DEMO_EVENT_ID))) {
    await insertEvent(db, {
      id: DEMO_EVENT_ID,
      name: 'LivePulse demo (simulated streams)',
      public: true,
      startsAt: null,
      endsAt: null,
      embedKey: newEmbedKey(),
    });
    const labels = ['Main stage', 'Workshop room B', 'Backstage'];
    for (const [i, videoId] of videoIds.entries()) {
      await insertStream(db, {
        id: newId(),
        eventId: DEMO_EVENT_ID,
        videoId,
        label: labels[i] ?? videoId,
        status: 'pending',
        statusReason: null,
        scheduledStart: null,
        title: null,
        channelTitle: null,
      });
    }
    await insertStream(db, {
      id: newId(),
      eventId: DEMO_EVENT_ID,
      platform: 'twitch',
      target: `twitch.tv/${DEMO_TWITCH_LOGIN}`,
      login: DEMO_TWITCH_LOGIN,
      videoId: null,
      label: 'Main stage on Twitch',
      status: 'pending',
      statusReason: null,
      scheduledStart: null,
      title: null,
      channelTitle: null,
    });
  }
  return sim;
}
