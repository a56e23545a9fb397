// For tests only: one LivePulse instance (the services main.ts composes) on a fresh test database,
// optionally pointed at a simulator, optionally listening on a loopback port for real HTTP clients.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { testConfig } from '../auth/testing/test-session.ts';
import { createServices } from '../services.ts';
import { openPostgres } from '../db/postgres.ts';
import { openTestDb, TEST_CONNECT_TIMEOUT_MS, type Engine, type TestDb } from './test-db.ts';

export interface TestInstanceOptions {
  env?: Record<string, string>;
  youtube?: { baseUrl: string; apiKey: string } | null;
  now?: () => Date;
  /** The clock of admin sessions (server/auth/test-app.ts passes its clock when asked). */
  sessionNow?: () => Date;
  /** The poller's back-off jitter (Math.random unless a test fixes it). */
  random?: () => number;
  /** Listen on 127.0.0.1 (needed for SSE, which writes to the Node socket). */
  listen?: boolean;
  /** Start the poller loop and the bus (tests that drive ticks by hand leave this off). */
  start?: boolean;
  hub?: { heartbeatMs?: number; maxPendingBytes?: number };
  /** PostgreSQL only: a second instance on the database of another one (its `dbUrl`), as a cluster runs. */
  sharedDbUrl?: string;
}

export async function testInstance(engine: Engine, o: TestInstanceOptions = {}) {
  const testDb: TestDb = o.sharedDbUrl ? sharedDb(o.sharedDbUrl) : await openTestDb(engine);
  const config = testConfig(o.env);
  const services = createServices({
    config,
    db: testDb.db,
    version: 'test',
    youtube: o.youtube ?? null,
    now: o.now,
    sessionNow: o.sessionNow,
    random: o.random,
    hub: o.hub,
  });
  let url = '';
  let server: ReturnType<typeof serve> | null = null;
  if (o.listen) {
    server = serve({ fetch: services.app.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise<void>((resolve) => server!.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  if (o.start) await services.start();
  else await services.bus.start();
  return {
    ...services,
    db: testDb.db,
    dbUrl: testDb.url,
    config,
    url,
    async close() {
      await services.stop();
      if (server) {
        server.close();
        (server as import('node:http').Server).closeAllConnections();
      }
      await testDb.close();
    },
  };
}

/** Another pool on an existing test database: closing it leaves the database to its owner. */
function sharedDb(url: string): TestDb {
  const db = openPostgres(url, { max: 4, connectTimeoutMs: TEST_CONNECT_TIMEOUT_MS });
  return { db, url, close: () => db.close() };
}
