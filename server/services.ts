// Wires the long-lived parts of one instance around an open database: the realtime hub and bus,
// the poller (with the real videos.list client bound to its base URL and key), access and the app.
// main.ts and the tests compose an instance the same way through this one function.
import { randomBytes } from 'node:crypto';
import { createApp } from './app.ts';
import { createAccess } from './auth/access.ts';
import type { Config } from './config.ts';
import type { Db } from './db/db.ts';
import { createCsvBudget } from './history/csv-budget.ts';
import { createMetrics } from './integrations/metrics/metrics.ts';
import { createWebhookRunner } from './integrations/webhooks/runner.ts';
import { addressPolicy } from './integrations/webhooks/ssrf.ts';
import { createPoller, type FetchVideos } from './poller/poller.ts';
import { createBus } from './realtime/bus.ts';
import { createHub } from './realtime/hub.ts';
import { createIntervalLog } from './stats/interval-log.ts';
import { createMilestoneRecorder } from './milestones/recorder.ts';
import { fetchVideos } from './youtube/videos-list.ts';
import { buildSourceClients } from './sources/build.ts';
import type { YoutubeSource } from './wire.ts';
import { createChatReader } from './chat/chat-reader.ts';
import { createChatClient } from './chat/youtubei-chat.ts';

export interface ServicesOptions {
  config: Config;
  db: Db;
  version: string;
  /** Where videos.list lives and the key to send; null: nothing is polled. */
  youtube: { baseUrl: string; apiKey: string; simulated?: boolean } | null;
  now?: () => Date;
  /** The clock of admin sessions; tests of the idle timeout inject one. */
  sessionNow?: () => Date;
  /** The poller's back-off jitter; tests fix it. */
  random?: () => number;
  hub?: Parameters<typeof createHub>[0];
}

export function createServices(o: ServicesOptions) {
  let accepting = true;
  const hub = createHub(o.hub);
  const csvBudget = createCsvBudget(o.config.CSV_MAX_CONCURRENT);
  // Clients are told the poller's effective interval (stretched by the quota), read when a status is sent.
  const bus = createBus({
    db: o.db,
    hub,
    instanceId: randomBytes(6).toString('hex'),
    intervalSeconds: () => poller.intervalSeconds(),
  });
  const youtube = o.youtube;
  // The poller's calls and ticks are counted on their way in and out; the poller itself knows nothing of it.
  const metrics = createMetrics();
  const fetcher: FetchVideos | null = youtube ? metrics.pollMeter.fetch((ids) => fetchVideos(ids, youtube)) : null;
  // The stats cap a sample's coverage by the interval then in force: recorded as each tick is published.
  const intervals = createIntervalLog(o.db);
  // Milestones are weighed on the published ticks; the database records each once, whoever tries.
  const milestones = createMilestoneRecorder({ db: o.db, bus });
  // Issue 15: InnerTube and Twitch behind the poller's source seam, unless YT_SOURCE=api with no Twitch app
  // (then exactly the Data API path as before; the test configuration does this unless a test asks).
  const simulatorOrigin = youtube?.simulated ? new URL(youtube.baseUrl).origin : null;
  const sources =
    o.config.YT_SOURCE === 'api' && !o.config.TWITCH_CLIENT_ID && !simulatorOrigin
      ? null
      : buildSourceClients(
          o.config,
          simulatorOrigin
            ? {
                origin: simulatorOrigin,
                twitchApiBaseUrl: `${simulatorOrigin}/helix`,
                twitchAuthBaseUrl: `${simulatorOrigin}/oauth2`,
              }
            : null,
        );
  const poller = createPoller({
    config: o.config,
    db: o.db,
    fetchVideos: fetcher,
    sources,
    publish: metrics.pollMeter.publish((tick) => {
      void bus.publishTick(tick);
      if (tick.samples.size) {
        void intervals.tick(tick.ts, poller.intervalSeconds());
        void milestones.tick(tick.ts, tick.samples);
      }
    }),
    now: o.now,
    random: o.random,
  });
  metrics.watch({ db: o.db, hub, poller });
  // Chat activity (issue 16): read through InnerTube (no quota) by the poller's leader only.
  const chat = createChatReader({
    db: o.db,
    client: createChatClient({ baseUrl: simulatorOrigin ?? o.config.YT_INNERTUBE_BASE_URL }),
    isLeader: () => poller.role() === 'leader',
    publish: (eventId, message) => void bus.publishChat(eventId, message),
    statesChanged: (eventIds) => {
      for (const id of eventIds) void bus.streamsChanged(id).catch(() => {});
    },
    now: o.now ? () => o.now!().getTime() : undefined,
  });
  const access = createAccess(o.config, o.db, o.sessionNow);
  const webhooks = createWebhookRunner({ db: o.db, policy: addressPolicy(o.config.WEBHOOK_ALLOW_PRIVATE) });
  const app = createApp({
    config: o.config,
    db: o.db,
    version: o.version,
    pollerRole: poller.role,
    access,
    poller,
    hub,
    bus,
    csvBudget,
    accepting: () => accepting,
    now: o.now,
    sessionNow: o.sessionNow,
    youtube: youtubeSource(o.config, youtube),
    metrics,
    webhooks,
  });

  return {
    app,
    milestones,
    metrics,
    webhooks,
    csvBudget,
    hub,
    bus,
    poller,
    chat,
    async start() {
      await bus.start();
      poller.start();
      chat.start();
      webhooks.start();
    },
    /** Shutdown order: refuse new streams, finish the tick in flight and write what is queued, then close the streams. */
    async stop() {
      accepting = false;
      await poller.stop();
      await chat.stop();
      await webhooks.stop();
      hub.closeAll('shutting_down', 2000);
      hub.stop();
      await bus.stop();
    },
  };
}

/** What /api/health says YouTube counts come from, so the admin and the start-up log tell the truth. */
export function youtubeSource(config: Config, youtube: ServicesOptions['youtube']): YoutubeSource {
  if (youtube?.simulated) return 'simulator';
  if (config.YT_SOURCE === 'innertube') return 'innertube';
  if (youtube) return 'real';
  // Without a key, auto reads YouTube through InnerTube; api alone has nothing to read with.
  return config.YT_SOURCE === 'api' ? 'none' : 'innertube';
}
