// Reads the live chat of every YouTube stream whose organiser enabled it, on the poller's leader only (the
// same advisory lock), and stores each closed minute's message count. Paced: at most `concurrency` reads at
// once in all, each chat read again after the pause YouTube asks for, failures backed off, and everything
// held a while after YouTube pushes back. A stream whose video changes (a followed channel restarting)
// leaves the old chat and opens the new one. A failed read leaves a gap: only minutes read throughout are
// stored (minute-counter.ts). States go to the stream (pending → ok | disabled | members_only | unavailable).
import type { Queryable } from '../db/db.ts';
import { log } from '../log.ts';
import type { ChatMessage } from '../wire.ts';
import { createMinuteCounter } from './minute-counter.ts';
import { chatTargets, storeChatMinutes, writeChatStates, type ChatMinuteRow, type ReadState } from './queries.ts';
import { PushedBackError } from '../sources/innertube/session.ts';
import type { ChatClient, LiveChatReader } from './youtubei-chat.ts';

export interface ChatReaderOptions {
  db: Queryable;
  client: Pick<ChatClient, 'open'>;
  /** True while this instance holds the poller's lock. */
  isLeader: () => boolean;
  /** A closed minute of an event, once (SSE `event: chat`, through the bus to every instance). */
  publish: (eventId: string, message: ChatMessage) => void;
  /** An event's chat states changed (its status frame is sent again). */
  statesChanged?: (eventIds: string[]) => void;
  now?: () => number;
  /** Chat reads in flight at most, over all streams. */
  concurrency?: number;
  /** How often the streams to read are looked up again. */
  syncMs?: number;
}

const MINUTE = 60_000;
const DEFAULT_WAIT_MS = 5_000;
const MIN_WAIT_MS = 1_000;
const MAX_WAIT_MS = 30_000;
/** A chat that cannot be read (disabled, members only, none) is looked at again this often. */
const RECHECK_MS = 60_000;
const FIRST_BACKOFF_MS = 2_000;
const MAX_BACKOFF_MS = 5 * MINUTE;
const PUSH_BACK_MS = 60_000;
/** After this many failed reads in a row the chat is opened again from the watch page. */
const REOPEN_AFTER = 3;
/** A minute is sent to SSE when every stream reading it has closed it, or this long after its end at most. */
const PUBLISH_WAIT_MS = 90_000;
const MAX_UNSTORED = 10_000;

interface Reading {
  streamId: string;
  eventId: string;
  videoId: string | null;
  chat: LiveChatReader | null;
  counter: ReturnType<typeof createMinuteCounter>;
  dueAt: number;
  failures: number;
  busy: boolean;
  state: ReadState;
  reason: string | null;
}

export function createChatReader(o: ChatReaderOptions) {
  const now = o.now ?? Date.now;
  const concurrency = o.concurrency ?? 4;
  const syncMs = o.syncMs ?? 5_000;
  const readings = new Map<string, Reading>();
  let unstored: ChatMinuteRow[] = [];
  /** Stored minutes not yet sent: event → minute (ms) → stream → messages. */
  const unsent = new Map<string, Map<number, Record<string, number>>>();
  const stateChanges = new Map<string, { streamId: string; state: ReadState; reason: string | null }>();
  let syncedAt = -Infinity;
  let heldUntil = 0;
  let inFlight = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = true;
  let running: Promise<void> = Promise.resolve();

  function setState(r: Reading, state: ReadState, reason: string | null) {
    if (r.state === state && r.reason === reason) return;
    r.state = state;
    r.reason = reason;
    stateChanges.set(r.streamId, { streamId: r.streamId, state, reason });
  }

  async function sync() {
    const targets = await chatTargets(o.db);
    const wanted = new Set(targets.map((t) => t.streamId));
    for (const id of readings.keys()) if (!wanted.has(id)) readings.delete(id);
    for (const t of targets) {
      const known = readings.get(t.streamId);
      if (known && known.videoId === t.videoId) continue;
      // New, or its video changed (a followed channel restarted): a new chat, counted from scratch.
      readings.set(t.streamId, {
        streamId: t.streamId,
        eventId: t.eventId,
        videoId: t.videoId,
        chat: null,
        counter: createMinuteCounter(),
        dueAt: 0,
        failures: 0,
        busy: false,
        state: known ? known.state : t.state,
        reason: known ? known.reason : t.reason,
      });
    }
    syncedAt = now();
  }

  function failed(r: Reading, error: unknown) {
    r.counter.gap();
    r.failures++;
    if (error instanceof PushedBackError) heldUntil = now() + PUSH_BACK_MS;
    if (r.failures >= REOPEN_AFTER) {
      r.chat = null;
      setState(r, 'unavailable', `YouTube did not answer the chat: ${(error as Error).message}`.slice(0, 300));
    }
    r.dueAt = now() + Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** (r.failures - 1));
    log('warn', 'chat_read_failed', (error as Error).message, { streamId: r.streamId, failures: r.failures });
  }

  async function step(r: Reading) {
    if (!r.videoId) {
      r.counter.gap();
      setState(r, 'unavailable', 'the channel is not live now');
      r.dueAt = now() + RECHECK_MS;
      return;
    }
    try {
      if (!r.chat) {
        const opened = await o.client.open(r.videoId);
        if (!opened.ok) {
          r.counter.gap();
          r.failures = 0;
          setState(r, opened.state, opened.reason.slice(0, 300));
          r.dueAt = now() + RECHECK_MS;
          return;
        }
        r.chat = opened.chat;
        setState(r, 'ok', null);
      }
      const sentAt = now();
      const batch = await r.chat.next();
      if (!batch) {
        r.chat = null;
        r.counter.gap();
        setState(r, 'unavailable', 'the live chat has ended');
        r.dueAt = now() + RECHECK_MS;
        return;
      }
      r.failures = 0;
      setState(r, 'ok', null);
      for (const m of r.counter.read(sentAt, batch.messages))
        unstored.push({ streamId: r.streamId, minute: new Date(m.minuteMs), messages: m.messages });
      r.dueAt = now() + Math.min(MAX_WAIT_MS, Math.max(MIN_WAIT_MS, batch.waitHintMs ?? DEFAULT_WAIT_MS));
    } catch (error) {
      failed(r, error);
    }
  }

  async function flush() {
    if (unstored.length) {
      const rows = unstored;
      try {
        for (const s of await storeChatMinutes(o.db, rows)) {
          let minutes = unsent.get(s.eventId);
          if (!minutes) unsent.set(s.eventId, (minutes = new Map<number, Record<string, number>>()));
          const at = s.minute.getTime();
          minutes.set(at, { ...minutes.get(at), [s.streamId]: s.messages });
        }
        unstored = unstored.slice(rows.length);
      } catch (error) {
        // Kept for the next round (bounded): the database may be back by then.
        if (unstored.length > MAX_UNSTORED) unstored = unstored.slice(-MAX_UNSTORED);
        log('warn', 'chat_store_failed', (error as Error).message, { minutes: rows.length });
      }
    }
    if (stateChanges.size) {
      const changes = [...stateChanges.values()];
      stateChanges.clear();
      try {
        const events = await writeChatStates(o.db, changes);
        if (events.length) o.statesChanged?.(events);
      } catch (error) {
        for (const c of changes) if (!stateChanges.has(c.streamId)) stateChanges.set(c.streamId, c);
        log('warn', 'chat_state_failed', (error as Error).message);
      }
    }
    publishReady();
  }

  /** Sends each stored minute once, when no stream of its event still owes it (or it waited long enough). */
  function publishReady() {
    const t = now();
    for (const [eventId, minutes] of unsent) {
      const readers = [...readings.values()].filter((r) => r.eventId === eventId);
      for (const [minute, streams] of [...minutes].sort((a, b) => a[0] - b[0])) {
        const owed = readers.some((r) => r.counter.covers(minute));
        if (owed && t < minute + PUBLISH_WAIT_MS) break;
        minutes.delete(minute);
        const total = Object.values(streams).reduce((a, b) => a + b, 0);
        o.publish(eventId, { ts: new Date(minute).toISOString(), total, streams });
      }
      if (!minutes.size) unsent.delete(eventId);
    }
  }

  /** Leaves every chat: this instance is not (or no longer) the leader. */
  function leaveAll() {
    readings.clear();
    unsent.clear();
    syncedAt = -Infinity;
  }

  const launched = new Set<Promise<void>>();

  /**
   * One round: looks up the streams when due, starts every chat read that is due (within the cap), stores and
   * sends what has closed. The loop does not wait for the reads it starts (a slow chat holds only its own slot);
   * tests wait for them, with their own clock.
   */
  async function round(o2: { wait?: boolean } = {}) {
    if (!o.isLeader()) {
      // Minutes closed before the lock was lost were read throughout: still worth storing.
      leaveAll();
      return flush();
    }
    if (now() - syncedAt >= syncMs) await sync();
    const work: Promise<void>[] = [];
    if (now() >= heldUntil) {
      const due = [...readings.values()].filter((r) => !r.busy && r.dueAt <= now()).sort((a, b) => a.dueAt - b.dueAt);
      for (const r of due) {
        if (inFlight >= concurrency) break;
        inFlight++;
        r.busy = true;
        const p = step(r).finally(() => {
          inFlight--;
          r.busy = false;
          launched.delete(p);
        });
        launched.add(p);
        work.push(p);
      }
    }
    if (o2.wait !== false) await Promise.all(work);
    await flush();
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      running = round({ wait: false })
        .catch((error: unknown) => log('warn', 'chat_round_failed', (error as Error).message))
        .finally(schedule);
    }, 1000);
    timer.unref();
  }

  return {
    /** One round now, waiting for its reads (tests drive the reader this way, with their own clock). */
    round: () => round(),
    start() {
      stopped = false;
      schedule();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await Promise.all([...launched]);
      await flush().catch(() => {});
    },
    /** What is being read, for tests and diagnostics. */
    readings: () => [...readings.values()].map((r) => ({ streamId: r.streamId, videoId: r.videoId, state: r.state })),
  };
}

export type ChatReader = ReturnType<typeof createChatReader>;
