// The one live-data connection per page, server, event and token: a shared EventSource that resumes
// after the last sample, reconnects with backoff, tells a refusal for good (denied, not found) from
// network trouble, and knows when the newest count was taken. What to show is live-state.ts's job.
import type { ChatMessage, HistoryResponse, MilestoneMessage, SampleMessage, StatusMessage } from '../server/wire.ts';
import { unread, type Link } from './live-state.ts';

/** `link` follows every history, sample and status: lastSampleAt may have moved. */
export type LiveChange =
  | { type: 'history'; history: HistoryResponse }
  | { type: 'sample'; sample: SampleMessage }
  | { type: 'milestone'; milestone: MilestoneMessage }
  | { type: 'chat'; chat: ChatMessage }
  | { type: 'status'; status: StatusMessage }
  | { type: 'link'; link: Link; lastSampleAt: number | null };

export type LiveListener = (change: LiveChange) => void;

export interface LiveSource {
  server: string;
  event: string;
  token?: string;
  /** History wanted on connect; the first subscribers of a page decide it for the shared connection. */
  minutes: number;
}

/** A stream that ended cleanly may just be a proxy's timeout: the browser reconnects at once, so wait before saying offline. */
const OFFLINE_GRACE_MS = 1500;
const BACKOFF_MAX_MS = 30_000;

/** The server the bundle was loaded from: `https://host/widget/livepulse.js` → `https://host/`. */
export function defaultServer(): string {
  // Not `new URL('.', import.meta.url)`: Vite would take that for an asset to bundle.
  const script = import.meta.url;
  const here = new URL('.', script);
  return here.pathname.endsWith('/widget/') ? new URL('..', here).href : here.origin + '/';
}

/** An event's API route on a server (`path` after /api/events/:id/), with the given query parameters. */
export function apiUrl(server: string, event: string, path: string, params: Record<string, string | undefined>): URL {
  const url = new URL(`api/events/${encodeURIComponent(event)}/${path}`, server.replace(/\/?$/, '/'));
  for (const [key, value] of Object.entries(params)) if (value) url.searchParams.set(key, value);
  return url;
}

class LiveConnection {
  #link: Link = 'connecting';
  #history: HistoryResponse | null = null;
  /** Samples since the history, replayed to elements that join later. */
  #samples: SampleMessage[] = [];
  /** Closed minutes of chat activity since the history, likewise. */
  #chat: ChatMessage[] = [];
  #status: StatusMessage | null = null;
  #lastSampleAt: number | null = null;
  /** This browser's clock minus the server's (from the history's `to`): sample times are the server's. */
  #skew = 0;
  readonly #listeners = new Set<LiveListener>();
  #source: EventSource | null = null;
  #lastId: string | null = null;
  #attempts = 0;
  #timers = new Map<'open' | 'offline', ReturnType<typeof setTimeout>>();
  #opening = false;

  readonly #key: string;
  readonly #target: LiveSource;

  constructor(key: string, target: LiveSource) {
    this.#key = key;
    this.#target = target;
  }

  add(listener: LiveListener, minutes: number) {
    this.#listeners.add(listener);
    this.#target.minutes = Math.max(this.#target.minutes, minutes);
    if (this.#history) listener({ type: 'history', history: this.#history });
    for (const sample of this.#samples) listener({ type: 'sample', sample });
    for (const chat of this.#chat) listener({ type: 'chat', chat });
    if (this.#status) listener({ type: 'status', status: this.#status });
    listener({ type: 'link', link: this.#link, lastSampleAt: this.#lastSampleAt });
    if (!this.#source && !this.#opening && !this.#timers.has('open') && !this.#final()) {
      // Elements of one page subscribe in the same turn: open once they all have, with the largest history.
      this.#opening = true;
      queueMicrotask(() => {
        this.#opening = false;
        if (this.#listeners.size) this.#open();
      });
    }
  }

  remove(listener: LiveListener) {
    this.#listeners.delete(listener);
    if (this.#listeners.size) return;
    this.#close();
    connections.delete(this.#key);
  }

  #emit(change: LiveChange) {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (error) {
        // One element's fault must not starve the others, nor reach the host page as an exception.
        console.error('livepulse:', error);
      }
    }
  }

  #final() {
    return this.#link === 'denied' || this.#link === 'not-found';
  }

  #setLink(link: Link) {
    this.#clearTimer('offline');
    this.#link = link;
    // A refusal for good: no reconnect, no re-check (the server closed the stream; so do we).
    if (this.#final()) this.#close();
    this.#emit({ type: 'link', link, lastSampleAt: this.#lastSampleAt });
  }

  /** A count taken at `ms` on the server's clock is known: the newest one dates what is on screen. */
  #counted(ms: number) {
    const at = Math.min(Date.now(), ms + this.#skew);
    if (at > (this.#lastSampleAt ?? -Infinity)) this.#lastSampleAt = at;
  }

  #setTimer(name: 'open' | 'offline', ms: number, fn: () => void) {
    this.#clearTimer(name);
    this.#timers.set(
      name,
      setTimeout(() => (this.#timers.delete(name), fn()), ms),
    );
  }

  #clearTimer(name: 'open' | 'offline') {
    clearTimeout(this.#timers.get(name));
    this.#timers.delete(name);
  }

  #open() {
    this.#clearTimer('open');
    let url: URL;
    try {
      url = apiUrl(this.#target.server, this.#target.event, 'stream', {
        minutes: String(this.#target.minutes),
        token: this.#target.token,
        // A recreated EventSource cannot send Last-Event-ID, so the id travels in the query.
        lastEventId: this.#lastId ?? undefined,
      });
    } catch {
      this.#setLink('not-found');
      return;
    }
    const source = new EventSource(url);
    this.#source = source;
    source.addEventListener('open', () => {
      this.#attempts = 0;
      this.#clearTimer('offline');
    });
    source.addEventListener('history', (e) =>
      this.#onMessage(e, (history: HistoryResponse) => this.#onHistory(history)),
    );
    source.addEventListener('status', (e) => this.#onMessage(e, (status: StatusMessage) => this.#onStatus(status)));
    source.addEventListener('sample', (e) =>
      this.#onMessage(e, (sample: SampleMessage) => {
        if (e.lastEventId) this.#lastId = e.lastEventId;
        this.#onSample(sample);
      }),
    );
    source.addEventListener('milestone', (e) =>
      this.#onMessage(e, (milestone: MilestoneMessage) => {
        // Its id says which milestones came already: a resume from it gets only later ones.
        if (e.lastEventId) this.#lastId = e.lastEventId;
        this.#emit({ type: 'milestone', milestone });
      }),
    );
    source.addEventListener('chat', (e) =>
      this.#onMessage(e, (chat: ChatMessage) => {
        this.#chat.push(chat);
        this.#trim(this.#chat, Date.parse(chat.ts));
        this.#emit({ type: 'chat', chat });
      }),
    );
    source.addEventListener('error', () => this.#onError(source));
  }

  #close() {
    this.#source?.close();
    this.#source = null;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  #onMessage<T>(e: Event, handle: (data: T) => void) {
    let data: T;
    try {
      data = JSON.parse((e as MessageEvent<string>).data) as T;
    } catch {
      return; // a malformed message is skipped; the next one brings the current state again
    }
    handle(data);
  }

  #onHistory(history: HistoryResponse) {
    this.#history = history;
    this.#samples = [];
    this.#chat = [];
    this.#skew = Date.now() - Date.parse(history.to) || 0;
    // The newest count, whatever the window, dates what is on screen. Without it (an older server), a bucket
    // is stamped with its start: its newest sample may be as late as its end (#counted caps it at now).
    const last = history.total.findLast((p) => p.viewers !== null);
    if (history.latest) this.#counted(Date.parse(history.latest.ts));
    else if (last) this.#counted(Date.parse(last.ts) + history.bucketSeconds * 1000);
    this.#emit({ type: 'history', history });
    this.#setLink('open');
  }

  #onStatus(status: StatusMessage) {
    // A refusal frame (shutting_down, server_full…) carries no streams: the event still has them, and the
    // pages keep their per-stream cards, labels and stream counters through the outage.
    if (status.state !== 'ok' && status.streams.length === 0 && this.#status)
      status = { ...status, streams: this.#status.streams };
    this.#status = status;
    // A stream's count dates the total only when the total was taken with it: while another stream could not
    // be read, the server stores no total (a gap), and the newest total is older than the live ones.
    if (!status.streams.some(unread))
      for (const s of status.streams)
        if (s.status === 'live' && s.viewers !== null) this.#counted(Date.parse(s.updatedAt ?? ''));
    this.#emit({ type: 'status', status });
    // Final: denied, not_found. Passing trouble (server_full…): the server ends the stream right after saying
    // so, and the browser comes back after `retry:`.
    const state = status.state;
    this.#setLink(
      state === 'ok' ? 'open' : state === 'denied' ? state : state === 'not_found' ? 'not-found' : 'offline',
    );
  }

  #onSample(sample: SampleMessage) {
    this.#counted(Date.parse(sample.ts));
    this.#samples.push(sample);
    this.#trim(this.#samples, Date.parse(sample.ts));
    this.#emit({ type: 'sample', sample });
    this.#setLink('open');
  }

  /** Keeps what a late element needs: the connection's minutes back from `newest`. */
  #trim(list: { ts: string }[], newest: number) {
    const keepFrom = newest - this.#target.minutes * 60_000;
    while (list.length && Date.parse(list[0].ts) < keepFrom) list.shift();
  }

  #onError(source: EventSource) {
    if (source !== this.#source) return;
    if (source.readyState === EventSource.CONNECTING) {
      // The browser reconnects by itself (with Last-Event-ID) after the server's `retry:`.
      if (!this.#timers.has('offline')) this.#setTimer('offline', OFFLINE_GRACE_MS, () => this.#setLink('offline'));
      return;
    }
    // CLOSED: the browser gave up (a non-200 answer). EventSource never says why, so ask with a plain fetch.
    source.close();
    this.#source = null;
    void this.#diagnose();
  }

  async #diagnose() {
    let status = 0;
    try {
      const url = apiUrl(this.#target.server, this.#target.event, 'history', {
        minutes: '1',
        token: this.#target.token,
      });
      status = (await fetch(url, { cache: 'no-store' })).status;
    } catch {
      status = 0; // network trouble, or a server that sends no CORS header on its errors
    }
    if (!this.#listeners.size) return;
    if (status === 401 || status === 403 || status === 404)
      return this.#setLink(status === 404 ? 'not-found' : 'denied');
    this.#setLink('offline');
    const delay = Math.min(BACKOFF_MAX_MS, 1000 * 2 ** this.#attempts++) * (0.75 + Math.random() * 0.5);
    this.#setTimer('open', delay, () => this.#open());
  }
}

const connections = new Map<string, LiveConnection>();

/**
 * Subscribes to an event's live data; the listener first gets what is already known (history, samples,
 * status, state), then every change. Returns the unsubscribe function; the last one closes the connection.
 */
export function subscribe(source: LiveSource, listener: LiveListener): () => void {
  const key = JSON.stringify([source.server.replace(/\/?$/, '/'), source.event, source.token ?? '']);
  let connection = connections.get(key);
  if (!connection) {
    connection = new LiveConnection(key, { ...source });
    connections.set(key, connection);
  }
  connection.add(listener, source.minutes);
  const joined = connection;
  return () => joined.remove(listener);
}
