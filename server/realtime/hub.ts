// Fan-out of one instance: the SSE clients of each event, fed one pre-encoded buffer per message.
// Writes go straight to the sockets (Hono routes the request, not the stream): a client whose
// socket buffer passes the bound is cut off and will resume with Last-Event-ID, so a reader that
// stalls never grows this process's memory.
import type { ServerResponse } from 'node:http';
import type { ReaderGrant } from '../auth/access.ts';
import { log } from '../log.ts';
import type { ChatMessage, MilestoneMessage, SampleMessage, StatusMessage } from '../wire.ts';
import { milestoneEventId } from './resume-point.ts';
import { HEARTBEAT, refusal, sseFrame } from './sse-frame.ts';

/** Bytes a client may have unsent before it counts as stalled. */
export const MAX_PENDING_BYTES = 64 * 1024;
const HEARTBEAT_MS = 15_000;

export interface SseClient {
  eventId: string;
  res: ServerResponse;
  /** Tick time (ms) of the last sample written to this client; later frames only. */
  lastTs: number;
  /** Frames that arrived while the client was being caught up from the database (samples, and milestones). */
  backlog: ({ tsMs: number; data: Buffer } | { milestone: MilestoneMessage })[] | null;
  /** While being caught up: the milestones already replayed from the database (milestoneKey), not to send twice. */
  replayed: Set<string> | null;
  /** What admitted this client (token, session), weighed again when access changes. */
  grant: ReaderGrant;
  /** Ends the stream when the earliest credential of the grant expires. */
  expiryTimer?: NodeJS.Timeout;
}

export function createHub({ heartbeatMs = HEARTBEAT_MS, maxPendingBytes = MAX_PENDING_BYTES } = {}) {
  const byEvent = new Map<string, Set<SseClient>>();
  let count = 0;
  let slowDisconnects = 0;
  /** Frames handed to sockets (samples, statuses, catch-up, heartbeats), for /metrics. */
  let framesWritten = 0;
  const heartbeat = Buffer.from(HEARTBEAT);
  const heartbeatWire = httpChunk(heartbeat);

  /**
   * Writes one frame; `wire` is the same frame already framed as an HTTP/1.1 chunk, made once per fan-out.
   * Through ServerResponse each write is four socket writes under a cork released on the next tick, per
   * client; the pre-framed chunk is one socket write. The bytes on the wire are the same.
   */
  function write(client: SseClient, data: Buffer | string, wire?: Buffer): boolean {
    const { res } = client;
    if (res.destroyed || res.writableEnded) return false;
    const socket = res.socket;
    if (wire && socket?.writable && res.headersSent && res.chunkedEncoding) socket.write(wire);
    else res.write(data);
    framesWritten++;
    // Catch-up frames (history, replay: bounded in size) are exempt: a fresh socket starts with a small
    // kernel buffer, so a history of a few streams over three hours is pending at first even for a
    // client that reads. The bound judges live frames, which come seconds apart.
    if (client.backlog === null && res.writableLength > maxPendingBytes) {
      slowDisconnects++;
      log('warn', 'sse_slow_consumer', 'client stopped reading: disconnected', {
        eventId: client.eventId,
        pending: res.writableLength,
      });
      res.destroy();
      return false;
    }
    return true;
  }

  /** A milestone frame whose id lets this client resume right after it. */
  function writeMilestone(client: SseClient, milestone: MilestoneMessage): boolean {
    return write(client, sseFrame('milestone', milestone, milestoneEventId(client.lastTs, milestone)));
  }

  const timer = setInterval(() => {
    for (const clients of byEvent.values()) for (const c of clients) if (!c.backlog) write(c, heartbeat, heartbeatWire);
  }, heartbeatMs);
  timer.unref();

  return {
    get size() {
      return count;
    },
    get slowDisconnects() {
      return slowDisconnects;
    },
    get framesWritten() {
      return framesWritten;
    },
    subscribedEvents: () => [...byEvent.keys()],
    hasClients: (eventId: string) => byEvent.has(eventId),
    lastTs(eventId: string): number {
      let max = 0;
      for (const c of byEvent.get(eventId) ?? []) max = Math.max(max, c.lastTs);
      return max;
    },

    /** Registers a client that is still being caught up: live frames wait in its backlog. */
    add(eventId: string, res: ServerResponse, grant: ReaderGrant = {}): SseClient {
      const client: SseClient = { eventId, res, lastTs: 0, backlog: [], replayed: null, grant };
      let set = byEvent.get(eventId);
      if (!set) byEvent.set(eventId, (set = new Set()));
      set.add(client);
      count++;
      res.on('close', () => {
        clearTimeout(client.expiryTimer);
        if (set.delete(client)) count--;
        if (set.size === 0 && byEvent.get(eventId) === set) byEvent.delete(eventId);
      });
      return client;
    },

    write,
    writeMilestone,

    /** Ends the catch-up: backlog frames newer than what the client got are written, then it is live. */
    goLive(client: SseClient) {
      const backlog = client.backlog ?? [];
      for (const f of backlog) {
        if ('milestone' in f) {
          if (!client.replayed?.has(milestoneKey(f.milestone))) writeMilestone(client, f.milestone);
        } else if (f.tsMs > client.lastTs && write(client, f.data)) client.lastTs = f.tsMs;
      }
      client.backlog = null;
      client.replayed = null;
    },

    publishSample(eventId: string, tsMs: number, message: SampleMessage) {
      const clients = byEvent.get(eventId);
      if (!clients?.size) return;
      const data = Buffer.from(sseFrame('sample', message, String(tsMs)));
      const wire = httpChunk(data);
      for (const c of clients) {
        if (c.backlog) c.backlog.push({ tsMs, data });
        else if (tsMs > c.lastTs && write(c, data, wire)) c.lastTs = tsMs;
      }
    },

    publishStatus(eventId: string, status: StatusMessage) {
      const clients = byEvent.get(eventId);
      if (!clients?.size) return;
      const data = Buffer.from(sseFrame('status', status));
      const wire = httpChunk(data);
      for (const c of clients) if (!c.backlog) write(c, data, wire);
    },

    /**
     * A milestone (issue 16), to the event's clients as it happens; one being caught up gets it after the
     * replay, unless the replay had it. Framed per client (its id carries the client's last tick, see
     * resume-point.ts): a handful per event and hour, so the shared buffer of samples buys nothing here.
     */
    publishMilestone(eventId: string, milestone: MilestoneMessage) {
      for (const c of byEvent.get(eventId) ?? []) {
        if (c.backlog) c.backlog.push({ milestone });
        else writeMilestone(c, milestone);
      }
    },

    /** A closed minute of chat activity (issue 16): sent to the event's live clients once, with no id (never replayed). */
    publishChat(eventId: string, message: ChatMessage) {
      const clients = byEvent.get(eventId);
      if (!clients?.size) return;
      const data = Buffer.from(sseFrame('chat', message));
      for (const c of clients) if (!c.backlog) write(c, data);
    },

    /** The clients of some events (all when `eventIds` is absent), as a copy safe to end while iterating. */
    clients(eventIds?: string[]): SseClient[] {
      const sets = eventIds ? eventIds.map((id) => byEvent.get(id)) : [...byEvent.values()];
      return sets.flatMap((set) => (set ? [...set] : []));
    },

    /** Writes a last frame and ends the response: the client leaves the hub when its socket closes. */
    end(client: SseClient, data: string) {
      clearTimeout(client.expiryTimer);
      if (!client.res.destroyed && !client.res.writableEnded) client.res.end(data);
    },

    /** Tells every client to come back later (after `retryMs`) and closes it. */
    closeAll(state: 'shutting_down', retryMs: number) {
      const data = Buffer.from(refusal(state, retryMs));
      for (const clients of byEvent.values()) {
        for (const c of clients) {
          if (!c.res.destroyed && !c.res.writableEnded) c.res.end(data);
        }
      }
    },

    stop() {
      clearInterval(timer);
    },
  };
}

export type Hub = ReturnType<typeof createHub>;

/** The identity of a milestone (the table's key is event, kind and slot; value and time settle it for one event). */
export const milestoneKey = (m: MilestoneMessage) => `${m.kind}:${m.value}:${Date.parse(m.ts)}`;

/** `data` as one chunk of HTTP/1.1 chunked transfer coding (RFC 9112 §7.1): size in hex, CRLF, data, CRLF. */
export function httpChunk(data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`, 'latin1'), data, CRLF]);
}
const CRLF = Buffer.from('\r\n', 'latin1');
