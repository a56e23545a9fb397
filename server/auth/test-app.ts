// For tests of this folder only: the real app on a fresh test database, with stand-in admin and event-read
// routes behind the real middlewares, an injectable clock, and a helper to add events.
import type { Config } from '../config.ts';
import { createServices } from '../services.ts';
import { openTestDb, type Engine } from '../testing/test-db.ts';
import { createAccess } from './access.ts';
import { testConfig } from './test-session.ts';

export async function authTestApp(engine: Engine, env: Record<string, string> = {}) {
  const testDb = await openTestDb(engine);
  const config: Config = testConfig(env);
  const clock = { now: new Date('2030-01-01T00:00:00Z') };
  const access = createAccess(config, testDb.db);
  const { app } = createServices({ config, db: testDb.db, version: 'test', youtube: null, now: () => clock.now });
  app.all('/test/admin', access.requireAdmin, (c) => c.json({ admin: true }));
  app.get('/test/events/:id/read', access.requireEventReader, (c) => c.json({ read: c.req.param('id') }));
  const addEvent = async (id: string, isPublic: boolean) => {
    await testDb.db.query('insert into events (id, name, public, embed_key) values ($1, $2, $3, $4)', [id, `Event ${id}`, isPublic, `key-${id}`]);
  };
  return { app, config, db: testDb.db, clock, addEvent, close: testDb.close };
}
