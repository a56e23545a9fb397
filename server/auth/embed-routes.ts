// Embed tokens: the admin mints read tokens for one private event and revokes them all by rotating the
// event's embed_key; plus the CORS preflight answer for the event read routes widgets call.
import { Hono } from 'hono';
import * as v from 'valibot';
import type { Config } from '../config.ts';
import type { Db } from '../db/db.ts';
import type { Bus } from '../realtime/bus.ts';
import { badParam, notFound } from '../errors.ts';
import { eventIdParam, publicReader, type Access } from './access.ts';
import { embedKeyOf, rotateEmbedKey } from './queries.ts';
import { EMBED_DEFAULT_HOURS, signToken, tokenKey } from './tokens.ts';
import { newEmbedKey } from '../ids.ts';
import type { EmbedToken } from '../wire.ts';

/** The read routes a widget may call from another origin (see requireEventReader). */
export const EVENT_READ_PATHS = [
  '/api/events/:id/stream',
  '/api/events/:id/history',
  '/api/events/:id/history.csv',
  '/api/events/:id/streams/history.csv',
  '/api/events/:id/streams/:sid/history.csv',
];

const MAX_HOURS = EMBED_DEFAULT_HOURS;
const hoursMessage = `expiresInHours: expected a whole number of hours from 1 to ${MAX_HOURS}, or nothing for a token without a practical expiry`;
const EmbedTokenBody = v.object({
  expiresInHours: v.optional(
    v.pipe(
      v.number(hoursMessage),
      v.integer(hoursMessage),
      v.minValue(1, hoursMessage),
      v.maxValue(MAX_HOURS, hoursMessage),
    ),
  ),
});

export function embedRoutes({
  config,
  db,
  access,
  bus,
}: {
  config: Config;
  db: Db;
  access: Access;
  bus: Pick<Bus, 'accessChanged'>;
}) {
  const app = new Hono();

  app.post('/api/events/:id/embed-tokens', access.requireAdmin, async (c) => {
    const id = eventIdParam(c);
    const text = await c.req.text();
    let raw: unknown = {};
    try {
      if (text.trim()) raw = JSON.parse(text);
    } catch {
      throw badParam('body', 'Expected a JSON body {"expiresInHours"?: number}');
    }
    const body = v.safeParse(EmbedTokenBody, raw);
    if (!body.success) throw badParam('expiresInHours', body.issues[0].message);
    const embedKey = await embedKeyOf(db, id);
    if (embedKey === null) throw notFound('Event');
    const { token, expiresAt } = await signToken(tokenKey(config.AUTH_SECRET, 'embed', embedKey), 'embed', {
      subject: id,
      ttlSeconds: (body.output.expiresInHours ?? EMBED_DEFAULT_HOURS) * 3600,
    });
    c.header('Cache-Control', 'no-store');
    return c.json({ token, expiresAt: expiresAt.toISOString() } satisfies EmbedToken, 201);
  });

  app.post('/api/events/:id/embed-key/rotate', access.requireAdmin, async (c) => {
    const id = eventIdParam(c);
    if (!(await rotateEmbedKey(db, id, newEmbedKey()))) throw notFound('Event');
    // The old tokens stop working for new requests at once; streams opened with them end too.
    await bus.accessChanged([id]);
    return c.body(null, 204);
  });

  // EventSource may add Last-Event-ID, which is not a CORS-safelisted header, so browsers can preflight.
  // Only events a stranger may read get the CORS answer; for the rest the browser sees none and stops.
  for (const path of EVENT_READ_PATHS) {
    app.options(path, async (c) => {
      const reader = await publicReader(config, db, eventIdParam(c), c.req.query('token'));
      if (!reader) return c.body(null, 204);
      return c.body(null, 204, {
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
        'Access-Control-Allow-Headers': 'Last-Event-ID, Cache-Control, Accept',
        'Access-Control-Max-Age': '600',
      });
    });
  }

  return app;
}
