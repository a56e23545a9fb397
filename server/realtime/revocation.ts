// Ends the open streams an access change revokes: an event made private, its embed key regenerated,
// the event deleted, an admin session logged out, a token or session past its expiry. Each affected
// client gets a final `status` frame (denied / not_found, no retry) and its response ends; the clients
// an access change does not touch (a public reader of a public event, the admin) keep streaming.
import type { Db } from '../db/db.ts';
import { eventAccess, nextExpiry, readerVerdict } from '../auth/access.ts';
import { log } from '../log.ts';
import type { Hub, SseClient } from './hub.ts';
import { finalStatus } from './sse-frame.ts';

/** setTimeout's longest delay (about 24.8 days); a later expiry is armed again when this one fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export function createRevocation({ db, hub, now = () => Date.now() }: { db: Db; hub: Hub; now?: () => number }) {
  /** Weighs each client's grant against its event as the database has it now; ends the ones refused. */
  async function recheck(clients: SseClient[]) {
    if (!clients.length) return;
    const events = await eventAccess(db, [...new Set(clients.map((c) => c.eventId))]);
    const at = now();
    const ended = new Map<string, number>();
    for (const client of clients) {
      const verdict = readerVerdict(client.grant, events.get(client.eventId) ?? null, at);
      if (verdict.ok) {
        arm(client);
        continue;
      }
      hub.end(client, finalStatus(verdict.state, verdict.reason));
      const key = `${client.eventId} ${verdict.reason}`;
      ended.set(key, (ended.get(key) ?? 0) + 1);
    }
    for (const [key, clients] of ended) {
      const [eventId, reason] = key.split(' ');
      log('info', 'sse_revoked', `${clients} stream(s) ended: ${reason}`, { eventId, clients });
    }
  }

  /** Re-checks the client when the first credential it holds expires. */
  function arm(client: SseClient) {
    clearTimeout(client.expiryTimer);
    client.expiryTimer = undefined;
    const at = nextExpiry(client.grant, now());
    if (at === null || client.res.writableEnded || client.res.destroyed) return;
    client.expiryTimer = setTimeout(
      () => {
        client.expiryTimer = undefined;
        recheck([client]).catch((e) => log('error', 'sse_expiry_check', String(e), { eventId: client.eventId }));
      },
      Math.min(Math.max(at - now(), 0), MAX_TIMER_MS),
    );
    client.expiryTimer.unref();
  }

  return {
    /** A new client, once in the hub: checked again (an access change may have landed since the request's check), then armed. */
    admitted: (client: SseClient) => recheck([client]),

    /** These events changed their public flag or embed key, or were deleted. */
    eventsChanged: (eventIds: string[]) => recheck(hub.clients(eventIds)),

    /** An admin session was logged out: streams that only it admitted end. */
    sessionEnded(jti: string) {
      const held = hub.clients().filter((c) => c.grant.session?.jti === jti);
      for (const c of held) c.grant.session!.revoked = true;
      return recheck(held);
    },
  };
}

export type Revocation = ReturnType<typeof createRevocation>;
