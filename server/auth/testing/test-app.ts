// For tests of this folder only: a real instance on a fresh test database, with stand-in admin and
// event-read routes behind the real middlewares, an injectable clock, and a helper to add events.
import type { Engine } from '../../testing/test-db.ts';
import { testInstance } from '../../testing/test-instance.ts';
import { createAccess } from '../access.ts';
import { seedEvent } from '../../testing/queries.ts';

export async function authTestApp(
  engine: Engine,
  env: Record<string, string> = {},
  o: { clockedSessions?: boolean } = {},
) {
  const clock = { now: new Date('2030-01-01T00:00:00Z') };
  // Sessions follow the clock only when asked: adminHeaders() signs with the real time.
  const sessionNow = o.clockedSessions ? () => clock.now : undefined;
  const instance = await testInstance(engine, { env, now: () => clock.now, sessionNow });
  const { app, config, db } = instance;
  const access = createAccess(config, db, sessionNow);
  app.all('/test/admin', access.requireAdmin, (c) => c.json({ admin: true }));
  app.get('/test/events/:id/read', access.requireEventReader, (c) => c.json({ read: c.req.param('id') }));
  const addEvent = async (id: string, isPublic: boolean) => {
    await seedEvent(db, id, [], isPublic);
  };
  return { app, config, db, clock, addEvent, close: () => instance.close() };
}
