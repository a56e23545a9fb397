// Fan-out of one instance: the SSE clients of each event, fed one pre-encoded buffer per message.
// Writes go straight to the sockets (Hono routes the request, not the stream): a client whose
// socket buffer passes the bound is cut off and will resume with Last-Event-ID, so a reader that
// stalls never grows this process's memory.
import type { ServerResponse } from 'node:http';
import type { ReaderGrant } from '../auth/access.ts';
import { log } from '../log.ts';
import type { ChatMessage, MilestoneMessage, SampleMessage, StatusMessage } from '../wire.ts';
import { HEARTBEAT, refusal, sseFrame } from './sse-frame.ts';

/** Bytes a client may have unsent before it counts as stalled. */
export const MAX_PENDING_BYTES = 64 * 1024;
const HEARTBEAT_MS = 15_000;

export interface SseClient {
  eventId: string;
  res: ServerResponse;
  /** Tick time (ms) of the last sample written to this client; later frames only. */
  lastTs: number;
  /** Frames that arrived while the client was being caught up from the database. */
  backlog: { tsMs: number; data: Buffer }[] | null;
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
      const client: SseClient = { eventId, res, lastTs: 0, backlog: [], grant };
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

    /** Ends the catch-up: backlog frames newer than what the client got are written, then it is live. */
    goLive(client: SseClient) {
      const backlog = client.backlog ?? [];
      for (const f of backlog) {
        if (f.tsMs > client.lastTs && write(client, f.data)) client.lastTs = f.tsMs;
      }
      client.backlog = null;
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

    /** A milestone (issue 16): sent to the event's live clients as it happens, never replayed. */
    publishMilestone(eventId: string, milestone: MilestoneMessage) {
      const clients = byEvent.get(eventId);
      if (!clients?.size) return;
      const data = Buffer.from(sseFrame('milestone', milestone));
      for (const c of clients) if (!c.backlog) write(c, data);
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

/** `data` as one chunk of HTTP/1.1 chunked transfer coding (RFC 9112 §7.1): size in hex, CRLF, data, CRLF. */
export function httpChunk(data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`, 'latin1'), data, CRLF]);
}
const CRLF = Buffer.from('\r\n', 'latin1');
