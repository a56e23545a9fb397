// The admin API of webhooks: add one to an event (its secret shown once), list them with their last
// deliveries, delete one, send a test delivery now. A URL whose host leads to a private, loopback or
// link-local address is refused (400) unless WEBHOOK_ALLOW_PRIVATE=1.
import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import * as v from 'valibot';
import type { Access } from '../../auth/access.ts';
import { eventIdParam } from '../../auth/access.ts';
import type { Db } from '../../db/db.ts';
import { ApiError, notFound } from '../../errors.ts';
import { isId, newId } from '../../ids.ts';
import { jsonBody } from '../../json-body.ts';
import { WEBHOOK_TYPES } from './bodies.ts';
import { deleteWebhook, insertTestDelivery, insertWebhook, webhooksOf, type WebhookRow } from './queries.ts';
import type { WebhookRunner } from './runner.ts';
import { BlockedAddressError, checkHost, type AddressPolicy } from './ssrf.ts';
import type { WebhookDelivery, WebhookEventType, WebhookInfo } from '../../wire.ts';

const MAX_PER_EVENT = 20;

const CreateWebhook = v.object({
  url: v.pipe(
    v.string('expected a URL'),
    v.trim(),
    v.maxLength(2000, 'at most 2000 characters'),
    v.check((s) => URL.canParse(s) && /^https?:$/.test(new URL(s).protocol), 'expected an http(s) URL'),
    // Valibot runs the next check after a failed one: on text that is no URL, `new URL` threw (a 500).
    v.check(
      (s) => !URL.canParse(s) || (!new URL(s).username && !new URL(s).password),
      'a URL with a user name or password is refused',
    ),
  ),
  kind: v.picklist(['json', 'discord', 'slack'], 'expected json, discord or slack'),
  on: v.pipe(
    v.array(v.picklist(WEBHOOK_TYPES, `expected any of ${WEBHOOK_TYPES.join(', ')}`)),
    v.minLength(1, 'name at least one thing to be told about'),
    v.transform((list) => [...new Set(list)]),
  ),
});

const view = (w: WebhookRow): WebhookInfo => ({
  id: w.id,
  eventId: w.event_id,
  url: w.url,
  kind: w.kind,
  on: w.wants as WebhookEventType[], // checked against WEBHOOK_TYPES when saved
  createdAt: w.created_at.toISOString(),
});

export function webhookRoutes(deps: {
  db: Db;
  access: Access;
  policy: AddressPolicy;
  runner: Pick<WebhookRunner, 'wake'>;
}) {
  const app = new Hono();
  const { db, access } = deps;

  app.post('/api/events/:id/webhooks', access.requireAdmin, async (c) => {
    const eventId = eventIdParam(c);
    const body = await jsonBody(c, CreateWebhook);
    try {
      await checkHost(new URL(body.url).hostname, deps.policy);
    } catch (error) {
      if (error instanceof BlockedAddressError)
        throw new ApiError(
          400,
          'webhook_address_refused',
          `${error.message}: set WEBHOOK_ALLOW_PRIVATE=1 to allow it`,
          'url',
        );
      throw new ApiError(400, 'webhook_host_unknown', `url: ${new URL(body.url).hostname} does not resolve`, 'url');
    }
    if ((await webhooksOf(db, eventId, 0)).length >= MAX_PER_EVENT)
      throw new ApiError(409, 'too_many_webhooks', `An event has at most ${MAX_PER_EVENT} webhooks`);
    const secret = randomBytes(32).toString('hex');
    const row = await insertWebhook(db, {
      id: newId(),
      eventId,
      url: body.url,
      kind: body.kind,
      wants: body.on,
      secret,
    });
    if (!row) throw notFound('Event');
    c.header('Cache-Control', 'no-store');
    // The secret is shown this once: receivers verify signatures with it; the list never repeats it.
    return c.json({ ...view(row), secret }, 201);
  });

  app.get('/api/events/:id/webhooks', access.requireAdmin, async (c) => {
    const hooks = await webhooksOf(db, eventIdParam(c));
    c.header('Cache-Control', 'no-store');
    return c.json({
      webhooks: hooks.map((h) => ({
        ...view(h),
        deliveries: h.deliveries.map(
          (d): WebhookDelivery => ({
            id: String(d.id),
            type: d.type,
            state: d.state,
            attempts: d.attempts,
            lastStatus: d.last_status,
            lastError: d.last_error,
            createdAt: d.created_at.toISOString(),
            deliveredAt: d.delivered_at?.toISOString() ?? null,
          }),
        ),
      })),
    });
  });

  app.delete('/api/webhooks/:wid', access.requireAdmin, async (c) => {
    const id = c.req.param('wid');
    if (!isId(id) || !(await deleteWebhook(db, id))) throw notFound('Webhook');
    return c.body(null, 204);
  });

  app.post('/api/webhooks/:wid/test', access.requireAdmin, async (c) => {
    const id = c.req.param('wid');
    const deliveryId = isId(id) ? await insertTestDelivery(db, id, newId()) : null;
    if (!deliveryId) throw notFound('Webhook');
    deps.runner.wake();
    return c.json({ deliveryId }, 202);
  });

  return app;
}
