// Webhooks and their deliveries: the admin's list, the test delivery, and the senders' claim of due
// deliveries (SKIP LOCKED plus a lease, so two instances never send the same one).
import type { Queryable } from '../../db/db.ts';
import { sql } from '../../db/sql.ts';
import type { Occurrence, WebhookKind, WebhookType } from './bodies.ts';

export interface WebhookRow {
  id: string;
  event_id: string;
  url: string;
  kind: WebhookKind;
  wants: string[];
  secret: string;
  created_at: Date;
}

export interface DeliveryRow {
  id: string;
  webhook_id: string;
  type: WebhookType;
  state: 'pending' | 'done' | 'failed';
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

export async function insertWebhook(
  db: Queryable,
  w: { id: string; eventId: string; url: string; kind: WebhookKind; wants: string[]; secret: string },
): Promise<WebhookRow | null> {
  const [row] = await db.query(
    sql<WebhookRow>`insert into webhooks (id, event_id, url, kind, wants, secret)
      select ${w.id}, id, ${w.url}, ${w.kind}, ${w.wants}::text[], ${w.secret} from events where id = ${w.eventId}
      returning *`,
  );
  return row ?? null;
}

/** The event's webhooks, oldest first, with their last `recent` deliveries each (newest first). */
export async function webhooksOf(db: Queryable, eventId: string, recent = 10) {
  const hooks = await db.query(
    sql<WebhookRow>`select * from webhooks where event_id = ${eventId} order by created_at, id`,
  );
  const deliveries = await db.query(
    sql<
      DeliveryRow & { id: string | number }
    >`select d.id, d.webhook_id, d.type, d.state, d.attempts, d.last_status, d.last_error, d.created_at, d.delivered_at
      from webhooks w cross join lateral (
        select * from webhook_deliveries where webhook_id = w.id order by created_at desc, id desc limit ${recent}
      ) d
     where w.event_id = ${eventId}`,
  );
  return hooks.map((h) => ({ ...h, deliveries: deliveries.filter((d) => d.webhook_id === h.id) }));
}

export async function deleteWebhook(db: Queryable, id: string): Promise<boolean> {
  return (await db.query(sql`delete from webhooks where id = ${id} returning id`)).length > 0;
}

/** A `test` occurrence of its own (a fresh key), due now; null for an unknown webhook. */
export async function insertTestDelivery(db: Queryable, webhookId: string, key: string): Promise<string | null> {
  const [row] = await db.query(
    sql<{ id: string | number }>`insert into webhook_deliveries (webhook_id, occurrence, type, payload)
      select id, ${`test:${key}`}, 'test', jsonb_build_object('eventId', event_id, 'at', now()) from webhooks where id = ${webhookId}
      returning id`,
  );
  return row ? String(row.id) : null;
}

export interface Claimed extends Occurrence {
  url: string;
  kind: WebhookKind;
  secret: string;
  eventName: string;
  attempts: number;
}

/**
 * Takes up to `limit` due deliveries for this sender: each is moved `leaseSeconds` ahead in the same
 * statement, so another instance's claim (which skips the locked rows, then finds them not due) never
 * takes it while it is being sent. A sender that dies mid-send leaves it to be retried after the lease.
 */
export async function claimDue(db: Queryable, limit: number, leaseSeconds: number): Promise<Claimed[]> {
  const rows = await db.query(
    sql<{
      id: string | number;
      type: WebhookType;
      payload: unknown;
      attempts: number;
      url: string;
      kind: WebhookKind;
      secret: string;
      name: string;
    }>`
      with due as (
        select id from webhook_deliveries where state = 'pending' and next_at <= now()
         order by next_at, id limit ${limit} for update skip locked
      ), claimed as (
        update webhook_deliveries d set attempts = d.attempts + 1, next_at = now() + ${leaseSeconds} * interval '1 second'
          from due where d.id = due.id
        returning d.id, d.webhook_id, d.type, d.payload, d.attempts
      )
      select c.id, c.type, c.payload, c.attempts, w.url, w.kind, w.secret, e.name
        from claimed c join webhooks w on w.id = c.webhook_id join events e on e.id = w.event_id`,
  );
  return rows.map((r) => ({
    deliveryId: String(r.id),
    type: r.type,
    payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as Occurrence['payload'],
    attempts: r.attempts,
    url: r.url,
    kind: r.kind,
    secret: r.secret,
    eventName: r.name,
  }));
}

export async function markDelivered(db: Queryable, id: string, status: number): Promise<void> {
  await db.query(
    sql`update webhook_deliveries set state = 'done', last_status = ${status}, last_error = null, delivered_at = now() where id = ${id}::bigint`,
  );
}

/** A failed attempt: tried again after `retryInSeconds`, or given up (`failed`) when that is null. */
export async function markAttemptFailed(
  db: Queryable,
  id: string,
  result: { status: number | null; error: string },
  retryInSeconds: number | null,
): Promise<void> {
  await db.query(
    sql`update webhook_deliveries
           set last_status = ${result.status}::int, last_error = ${result.error},
               state = ${retryInSeconds === null ? 'failed' : 'pending'},
               next_at = now() + ${retryInSeconds ?? 0} * interval '1 second'
         where id = ${id}::bigint`,
  );
}

/** Forgets finished deliveries older than `days` (the admin shows the last few; the table must not grow forever). */
export async function forgetOldDeliveries(db: Queryable, days: number): Promise<void> {
  await db.query(
    sql`delete from webhook_deliveries where state <> 'pending' and created_at < now() - ${days} * interval '1 day'`,
  );
}
