// Browser-side test helpers: one fake event per test (see fake-backend.js), fixtures, and waiting for the DOM.
import type {
  ChatMessage,
  HistoryPoint,
  HistoryResponse,
  MilestoneMessage,
  SampleMessage,
  StatusMessage,
  StreamInfo,
} from '../../server/wire.ts';

export type Mode = 'ok' | 'unauthorized' | 'missing' | 'down';

export interface FakeStats {
  opened: number;
  open: number;
  resumedFrom: string[];
}

/** `platform` … `sourceReason` default to a YouTube video link not polled yet; `videoId` to `vid<id>` (null: none). */
export interface FakeStream
  extends Partial<Pick<StreamInfo, 'platform' | 'target' | 'follows' | 'login' | 'source' | 'sourceReason'>> {
  id: string;
  label: string;
  viewers: number | null;
  status?: StreamInfo['status'];
  videoId?: string | null;
  scheduledStart?: string;
}

export interface FakeEventOptions {
  intervalSeconds?: number;
  /** Totals of the history, oldest first, one step apart and ending one step ago; null = no point (a pause). */
  history?: (number | null)[];
  /** The history's `bucketSeconds` (default 0: raw samples). */
  bucketSeconds?: number;
  /** Seconds between the history's points (default: the buckets, else the interval). */
  stepSeconds?: number;
  /** How long ago the last count was taken (default: one step): the history's end and the streams' updatedAt. */
  lastCountAgoSeconds?: number;
  streams?: FakeStream[];
  resumesAt?: string;
  mode?: Mode;
  token?: string;
  /** Milestones already recorded: what GET …/milestones lists. */
  milestones?: MilestoneMessage[];
  /** Chat messages per minute, oldest first, the last in the minute before the newest count: the history's `chat`. */
  chat?: number[];
}

let created = 0;

function streamInfo(s: FakeStream, updatedAt: string): StreamInfo {
  const status = s.status ?? 'live';
  return {
    id: s.id,
    platform: s.platform ?? 'youtube',
    target: s.target ?? null,
    follows: s.follows ?? false,
    login: s.login ?? null,
    source: s.source ?? null,
    sourceReason: s.sourceReason ?? null,
    videoId: s.videoId === undefined ? `vid${s.id}` : s.videoId,
    label: s.label,
    status,
    statusReason: null,
    scheduledStart: s.scheduledStart ?? null,
    title: null,
    channelTitle: null,
    viewers: status === 'live' ? s.viewers : null,
    updatedAt,
    chat: 'off',
    chatReason: null,
  };
}

export class FakeEvent {
  readonly id = `ev-${Date.now().toString(36)}-${++created}`;
  streams: FakeStream[] = [];
  intervalSeconds = 10;
  resumesAt: string | undefined;
  /** When the streams were last polled (their updatedAt). */
  updatedAt = new Date().toISOString();

  static async create(options: FakeEventOptions = {}): Promise<FakeEvent> {
    const e = new FakeEvent();
    e.intervalSeconds = options.intervalSeconds ?? 10;
    e.streams = options.streams ?? [
      { id: 's1', label: 'Main stage', viewers: 700 },
      { id: 's2', label: 'Backstage', viewers: 300 },
    ];
    e.resumesAt = options.resumesAt;
    const totals = options.history ?? [800, 900, 1000];
    const now = Date.now();
    const step = options.stepSeconds ?? (options.bucketSeconds || e.intervalSeconds);
    const end = now - ((options.lastCountAgoSeconds ?? step) - step) * 1000;
    const at = (i: number) => new Date(end - (totals.length - i) * step * 1000).toISOString();
    e.updatedAt = new Date(end - step * 1000).toISOString();
    const point = (viewers: number | null, i: number): HistoryPoint => ({ ts: at(i), viewers, max: viewers });
    const history: HistoryResponse = {
      eventId: e.id,
      from: at(0),
      to: new Date(now).toISOString(),
      bucketSeconds: options.bucketSeconds ?? 0,
      total: totals.flatMap((t, i) => (t === null ? [] : [point(t, i)])),
      streams: Object.fromEntries(
        // A pending stream (added, not polled yet) has no count in the history.
        e.streams.map((s, k) => [
          s.id,
          s.status === 'pending'
            ? []
            : totals.flatMap((t, i) => (t === null ? [] : [point(Math.round(t * (k === 0 ? 0.7 : 0.3)), i)])),
        ]),
      ),
    };
    if (options.chat) {
      const lastMinute = Math.floor(end / 60_000) * 60_000 - 60_000;
      const minutes = options.chat.map((messages, i) => ({
        ts: new Date(lastMinute - (options.chat!.length - 1 - i) * 60_000).toISOString(),
        messages,
      }));
      const [first] = e.streams;
      history.chat = { total: minutes, streams: first ? { [first.id]: minutes } : {} };
    }
    await e.post('', {
      mode: options.mode ?? 'ok',
      token: options.token ?? null,
      history,
      status: e.statusMessage(),
      milestones: options.milestones ?? [],
    });
    return e;
  }

  statusMessage(patch: Partial<StatusMessage> = {}): StatusMessage {
    const streams = this.streams.map((s) => streamInfo(s, this.updatedAt));
    return {
      state: 'ok',
      intervalSeconds: this.intervalSeconds,
      streams,
      ...(this.resumesAt ? { resumesAt: this.resumesAt } : {}),
      ...patch,
    };
  }

  /** Pushes a sample to every open connection; `at` defaults to now. */
  sample(streams: Record<string, number | null>, at = Date.now()): Promise<FakeStats> {
    const total = Object.values(streams).reduce<number>((sum, n) => sum + (n ?? 0), 0);
    const sample: SampleMessage = { ts: new Date(at).toISOString(), total, streams };
    return this.post('/sample', sample);
  }

  status(patch: Partial<StatusMessage> = {}) {
    return this.post('/status', this.statusMessage(patch));
  }

  /** An SSE `chat` frame (a closed minute of chat activity) to the open connections; `ts` is the minute's start. */
  chatMinute(ts: number, total: number): Promise<FakeStats> {
    const [first] = this.streams;
    const chat: ChatMessage = { ts: new Date(ts).toISOString(), total, streams: first ? { [first.id]: total } : {} };
    return this.post('/chat', chat);
  }

  /** The PATCH bodies the admin sent to /api/events/:id/streams/:sid, oldest first. */
  async patches(): Promise<{ sid: string; body: unknown }[]> {
    return ((await (await fetch(`/__fake/${this.id}`)).json()) as { patches: { sid: string; body: unknown }[] })
      .patches;
  }

  /** Replaces what GET …/milestones lists (milestones recorded before the page opened). */
  setMilestones(milestones: MilestoneMessage[]) {
    return this.post('', { milestones });
  }

  setMode(mode: Mode) {
    return this.post('', { mode });
  }

  /** Ends the open connections, as a restarting server or a proxy timeout would. */
  drop() {
    return this.post('/drop', {});
  }

  async stats(): Promise<FakeStats> {
    return (await fetch(`/__fake/${this.id}`)).json();
  }

  /** An SSE `milestone` frame to the open connections (a threshold passed, a new peak); listed from then on. */
  milestone(m: MilestoneMessage): Promise<FakeStats> {
    return this.post('/milestone', m);
  }

  private async post(path: string, body: unknown): Promise<FakeStats> {
    const res = await fetch(`/__fake/${this.id}${path}`, { method: 'POST', body: JSON.stringify(body) });
    return res.json();
  }
}

/** Resolves with the first truthy value of `read()`, polled every 20 ms; rejects naming `what` after the timeout. */
type Falsy = null | undefined | false | '';

export async function waitFor<T>(
  read: () => T | Falsy | Promise<T | Falsy>,
  what: string,
  timeoutMs = 5000,
): Promise<T> {
  const until = performance.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const value = await read();
    if (value) return value;
    last = value;
    if (performance.now() > until) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const mounted: HTMLElement[] = [];

/** Adds markup to the page inside a wrapper; `unmountAll` in afterEach takes it away again. */
export function mount<T extends Element = HTMLElement>(markup: string, attributes: Record<string, string> = {}): T {
  const wrapper = document.createElement('div');
  for (const [k, v] of Object.entries(attributes)) wrapper.setAttribute(k, v);
  wrapper.innerHTML = markup;
  document.body.append(wrapper);
  mounted.push(wrapper);
  return wrapper.firstElementChild as T;
}

export function unmountAll() {
  for (const w of mounted.splice(0)) w.remove();
}

export function part(el: Element, name: string): HTMLElement {
  const found = el.shadowRoot?.querySelector<HTMLElement>(`[part~="${name}"]`);
  if (!found) throw new Error(`no part ${name} in <${el.localName}>`);
  return found;
}
