// Carries each tick from the poller to every instance's hub. The polling instance feeds its own
// hub directly (so its clients keep receiving even while the database is down) and sends a NOTIFY
// holding only a reference (tick time and event ids, far below PostgreSQL's 8,000-byte limit); the
// other instances read the rows. On the embedded engine NOTIFY stays inside the process.
import type { Db } from '../db/db.ts';
import { streamsOf } from '../events/queries.ts';
import { log } from '../log.ts';
import { nextPacificMidnight } from '../youtube/quota-clock.ts';
import type { ReachedMilestone } from '../milestones/queries.ts';
import type { ChatMessage, SampleMessage, StatusMessage } from '../wire.ts';
import type { Hub } from './hub.ts';
import { samplesAfter, samplesAt } from './queries.ts';
import { createRevocation } from './revocation.ts';

export const TICK_CHANNEL = 'livepulse_tick';
const MAX_PAYLOAD = 7000;
const CATCH_UP_LIMIT = 5000;

interface Notice {
  /** Sending instance. */
  i: string;
  /** Tick time in ms, when samples were written. */
  t?: number;
  /** Events with a sample at t; absent = look at every subscribed event. */
  s?: string[];
  /** Events whose statuses changed; absent with `call` = every subscribed event. */
  c?: string[];
  call?: boolean;
  /** Events whose access changed (public flag, embed key, deleted): their open streams are weighed again. */
  a?: string[];
  /** An admin session that was logged out (its token id). */
  x?: string;
  /** Milestones this instance recorded (it won their insert), for every instance's clients. */
  m?: ReachedMilestone[];
  /** Closed minutes of chat activity the leader sent (issue 16): small, so they travel whole. */
  h?: { e: string; m: ChatMessage }[];
}

export interface TickPublication {
  ts: Date;
  samples: Map<string, SampleMessage>;
  statusChanged: Set<string>;
}

export function createBus(deps: { db: Db; hub: Hub; instanceId: string; intervalSeconds: () => number }) {
  const { db, hub } = deps;
  const revocation = createRevocation({ db, hub });
  let unlisten: (() => Promise<void>) | null = null;

  async function statusMessage(eventIds: string[]): Promise<Map<string, StatusMessage>> {
    const streams = await streamsOf(db, eventIds);
    // Quotas reset at midnight Pacific time: whichever instance sends the frame can say when polling resumes.
    const resumesAt = nextPacificMidnight(new Date()).toISOString();
    return new Map(
      eventIds.map((id): [string, StatusMessage] => {
        const list = streams.get(id) ?? [];
        const quotaSpent = list.some((s) => s.status === 'quota_exceeded');
        return [
          id,
          { state: 'ok', intervalSeconds: deps.intervalSeconds(), streams: list, ...(quotaSpent ? { resumesAt } : {}) },
        ];
      }),
    );
  }

  async function sendStatus(eventIds: string[]) {
    const subscribed = eventIds.filter(hub.hasClients);
    if (!subscribed.length) return;
    for (const [id, message] of await statusMessage(subscribed)) hub.publishStatus(id, message);
  }

  async function notify(notice: Notice) {
    let payload = JSON.stringify(notice);
    if (payload.length > MAX_PAYLOAD)
      payload = JSON.stringify({ i: notice.i, t: notice.t, call: Boolean(notice.c?.length), a: notice.a, x: notice.x });
    await db.notify(TICK_CHANNEL, payload).catch(() => {
      // Database down: other instances cannot read the rows anyway; they catch up on reconnect.
    });
  }

  async function onNotice(payload: string) {
    let n: Notice;
    try {
      n = JSON.parse(payload) as Notice;
    } catch {
      return;
    }
    if (n.i === deps.instanceId) return;
    if (n.a) await revocation.eventsChanged(n.a);
    if (n.x) await revocation.sessionEnded(n.x);
    for (const m of n.m ?? []) hub.publishMilestone(m.eventId, { kind: m.kind, value: m.value, ts: m.ts });
    for (const h of n.h ?? []) hub.publishChat(h.e, h.m);
    if (n.t !== undefined) {
      const events = n.s ? n.s.filter(hub.hasClients) : hub.subscribedEvents();
      if (events.length)
        for (const s of await samplesAt(db, new Date(n.t), events)) hub.publishSample(s.eventId, s.tsMs, s.message);
    }
    if (n.c || n.call) await sendStatus(n.c ?? hub.subscribedEvents());
  }

  return {
    async start() {
      // One notice after the other, as they were sent: a tick's milestones (their own notice) must not reach
      // the clients before the tick's samples, which this instance still reads from the database.
      let handled: Promise<void> = Promise.resolve();
      unlisten = await db.listen(
        TICK_CHANNEL,
        (payload) =>
          void (handled = handled.then(() => onNotice(payload)).catch((e) => log('error', 'bus_notice', String(e)))),
        // After a reconnect of the listening connection, notices may have been missed: read what the
        // database has beyond what each event's clients have.
        () => void this.catchUp().catch((e) => log('error', 'bus_catch_up', String(e))),
      );
    },
    async catchUp() {
      for (const eventId of hub.subscribedEvents()) {
        const since = hub.lastTs(eventId);
        if (!since) continue;
        for (const s of await samplesAfter(db, eventId, new Date(since), CATCH_UP_LIMIT))
          hub.publishSample(s.eventId, s.tsMs, s.message);
      }
    },
    /** From the poller: feeds this instance's clients now, then tells the others. */
    async publishTick(tick: TickPublication) {
      const tsMs = tick.ts.getTime();
      for (const [eventId, message] of tick.samples) hub.publishSample(eventId, tsMs, message);
      const changed = [...tick.statusChanged];
      await sendStatus(changed).catch(() => {});
      if (tick.samples.size || changed.length) {
        await notify({
          i: deps.instanceId,
          ...(tick.samples.size ? { t: tsMs, s: [...tick.samples.keys()] } : {}),
          ...(changed.length ? { c: changed } : {}),
        });
      }
    },
    /** From the milestone recorder, for the milestones whose insert this instance won: every instance's clients get them. */
    async publishMilestones(reached: ReachedMilestone[]) {
      if (reached.length === 0) return;
      for (const m of reached) hub.publishMilestone(m.eventId, { kind: m.kind, value: m.value, ts: m.ts });
      // A handful per tick at most (thresholds passed at once on a first sample): far below NOTIFY's limit.
      await notify({ i: deps.instanceId, m: reached.slice(0, 40) });
    },
    /** From the chat reader (leader only): a closed minute of an event, for every instance's clients. */
    async publishChat(eventId: string, message: ChatMessage) {
      hub.publishChat(eventId, message);
      // A few hundred bytes for an event of a dozen streams; one too large for NOTIFY reaches this instance only.
      await notify({ i: deps.instanceId, h: [{ e: eventId, m: message }] });
    },
    /** From the admin routes: an event's streams changed (added, relabelled, removed, paused). */
    async streamsChanged(eventId: string) {
      await sendStatus([eventId]);
      await notify({ i: deps.instanceId, c: [eventId] });
    },
    /**
     * From the admin routes: these events became private, got a new embed key or were deleted. This
     * instance's streams are weighed at once, the others' when the notice reaches them.
     */
    async accessChanged(eventIds: string[]) {
      await revocation.eventsChanged(eventIds);
      await notify({ i: deps.instanceId, a: eventIds });
    },
    /** From logout: the streams only this session admitted end, on every instance. */
    async sessionEnded(jti: string) {
      await revocation.sessionEnded(jti);
      await notify({ i: deps.instanceId, x: jti });
    },
    /** From the SSE route, once a client is in the hub: checks it again and arms its expiry. */
    admitted: revocation.admitted,
    statusMessage: async (eventId: string) => (await statusMessage([eventId])).get(eventId)!,
    async stop() {
      await unlisten?.();
    },
  };
}

export type Bus = ReturnType<typeof createBus>;
