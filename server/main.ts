// The process: reads the configuration, opens and migrates the database, serves the app, and
// shuts everything down in order on SIGINT/SIGTERM (exit 0 within 5 s).
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { serve } from '@hono/node-server';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { magicUrl, signMagicLink } from './auth/magic-link.ts';
import { openDatabase } from './db/open.ts';
import { hideInLogs, log, setLogFormat } from './log.ts';
import { markPasswordShown, withSecrets } from './secrets.ts';
import { demoTwitchConfig, SIMULATOR_KEY, startDemo } from './demo.ts';
import { createServices, youtubeSource } from './services.ts';
import { startExportRunner } from './exports/runner.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable.\n`);
      process.exit(2);
    }
    throw error;
  }
}

async function main() {
  const started = performance.now();
  const env = readConfig();
  setLogFormat(env.NODE_ENV === 'production' ? 'json' : env.LOG_FORMAT);
  const { config: configured, secrets } = withSecrets(env);
  [configured.ADMIN_PASSWORD, configured.AUTH_SECRET, configured.YT_API_KEY, configured.TWITCH_CLIENT_SECRET].forEach(
    hideInLogs,
  );

  const db = await openDatabase(configured);
  const simulator = configured.YT_SIMULATOR ? await startDemo(db) : null;
  // The demo's Twitch is the simulator's Helix, whatever the environment says.
  const config: Config = simulator ? Object.freeze({ ...configured, ...demoTwitchConfig(simulator) }) : configured;
  const youtube = simulator
    ? { baseUrl: simulator.baseUrl, apiKey: SIMULATOR_KEY, simulated: true }
    : config.YT_API_KEY
      ? { baseUrl: config.YT_API_BASE_URL, apiKey: config.YT_API_KEY }
      : null;
  const services = createServices({ config, db, version: VERSION, youtube });
  const exportRunner = startExportRunner({
    config,
    db,
    instanceId: `${hostname()}-${process.pid}`,
    csvBudget: services.csvBudget,
  });

  const server = serve({ fetch: services.app.fetch, port: config.PORT, hostname: config.HOST });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url =
    config.PUBLIC_BASE_URL ||
    `http://${config.HOST === '0.0.0.0' || config.HOST === '127.0.0.1' ? 'localhost' : config.HOST}:${port}`;

  if (secrets.showPassword) {
    // Shown on every start until one reaches this line (the first start may fail after writing the
    // password: a database that does not exist yet, a busy port), with a single-use, short-lived login
    // link so a newcomer is one click from the admin.
    const { token } = await signMagicLink(config, { ttlSeconds: 3600, once: true });
    process.stdout.write(
      `\n  First run: generated an admin password, stored in ${secrets.passwordFile}\n` +
        `  Password: ${secrets.adminPassword}\n  Log in:   ${magicUrl(url, token)}\n  (single use, valid 1 hour; later: ${url}/login or npm run magic-link)\n\n`,
    );
  } else if (secrets.passwordFile) {
    process.stdout.write(
      `  Admin password: "ADMIN_PASSWORD" in ${secrets.passwordFile} (or a sign-in link: npm run magic-link)\n`,
    );
  }
  if (simulator) {
    log(
      'warn',
      'simulator',
      `*** Simulated YouTube at ${simulator.baseUrl}: numbers are not real. Demo event: ${url}/event/demo/dashboard ***`,
    );
  } else if (!config.YT_API_KEY) {
    log(
      'warn',
      'no_api_key',
      // The same rule /api/health and the admin's banner follow.
      youtubeSource(config, youtube) === 'none'
        ? '*** No YT_API_KEY set and YT_SOURCE=api: YouTube is not polled. Set it in .env, or run `npm run demo` for simulated streams. ***'
        : '*** No YT_API_KEY set: YouTube is read through InnerTube, its unofficial internal API (see the README). The Data API key remains the recommended setup. ***',
    );
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log('info', 'shutdown', `${signal}: stopping`);
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    server.close();
    await services.stop().catch((error) => log('error', 'shutdown', String(error)));
    // A running export goes back to the queue (its partial file removed) for the next start to redo.
    await exportRunner.stop().catch((error) => log('error', 'shutdown', String(error)));
    (server as import('node:http').Server).closeAllConnections();
    await simulator?.close();
    await db.close().catch((error) => log('error', 'db_close', String(error)));
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  await services.start();

  if (secrets.showPassword) markPasswordShown(config);
  log(
    'info',
    'ready',
    `LivePulse ${VERSION} ready at ${url} (database: ${db.engine}) in ${Math.round(performance.now() - started)} ms`,
  );
}

main().catch((error) => {
  log('error', 'startup', error instanceof Error ? error.message : String(error));
  process.exit(1);
});
