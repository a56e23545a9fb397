// A local stand-in for YouTube's videos.list (node:http, loopback): the real wire format and error
// bodies, scripted video states and count curves, injectable faults, and a call log, so tests and the
// demo run without a key or a network. Controlled in-process or over HTTP under /_control/.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { handleControl } from './control-api.ts';
import type { CountCurve } from './count-curve.ts';
import { faultResponse, googleError, invalidKey, type CannedResponse, type FaultName } from './error-bodies.ts';
import { applyFields, parseFields } from './fields-filter.ts';
import { innertubeSim, videoFromItem, type InnertubeSim } from './innertube.ts';
import { messagesBetween, simChat, type ChatSpec } from './live-chat.ts';
import { twitchHelix, type TwitchSim } from './twitch-helix.ts';
import { buildItem, etag, type StoredVideo, type VideoSpec } from './video-item.ts';

export type { CountCurve } from './count-curve.ts';
export type { FaultName } from './error-bodies.ts';
export type { SimState, VideoSpec } from './video-item.ts';
export type { TwitchChannelSpec, TwitchSim } from './twitch-helix.ts';
export type { InnertubeSim } from './innertube.ts';
export type { ChatSpec } from './live-chat.ts';

export interface SimulatorOptions {
  host?: string;
  port?: number;
  /** Makes moving count curves repeatable (default 1). */
  seed?: number;
  /** When set, any other key gets YouTube's invalid-key answer; otherwise any non-empty key is accepted. */
  apiKey?: string;
  /** The simulator's clock (default Date.now), so tests can move time. */
  now?: () => number;
  /** What an id nobody has set becomes when first asked for (the demo makes any pasted link a live stream); default: missing. */
  adopt?: (videoId: string) => VideoSpec | null;
  /** The app credentials the simulated Twitch accepts (defaults simclientid0… / simclientsecret0…). */
  twitchClientId?: string;
  twitchClientSecret?: string;
}

export interface FaultOptions {
  /** How many of the next calls get this fault (default 1). */
  times?: number;
  /** too_many_requests and 5xx: the Retry-After header to send. */
  retryAfterSeconds?: number;
  /** hang: how long to hold the answer (default 60 s). */
  hangMs?: number;
}

export interface CallRecord {
  at: string;
  ids: string[];
  /** Where the key came from; the key itself is never stored. */
  keyVia: 'header' | 'query' | 'both' | null;
  fields: string | null;
  part: string | null;
  status: number | 'reset' | 'hang';
  fault?: FaultName;
}

export interface Simulator {
  /** Use as YT_API_BASE_URL, e.g. http://127.0.0.1:PORT/youtube/v3 */
  baseUrl: string;
  /** http://127.0.0.1:PORT; the control interface is under /_control/. */
  origin: string;
  /** Use as TWITCH_API_BASE_URL and TWITCH_AUTH_BASE_URL. */
  twitchApiBaseUrl: string;
  twitchAuthBaseUrl: string;
  /** The simulated Twitch (Helix and its token endpoint). */
  twitch: TwitchSim;
  /** The simulated InnerTube; use `origin` as YT_INNERTUBE_BASE_URL. */
  innertube: InnertubeSim;
  /** The simulator's clock, in ms. */
  now(): number;
  setVideo(videoId: string, spec: VideoSpec): void;
  setCurve(videoId: string, curve: CountCurve): void;
  /** Sets a live or ended video's chat: its mode and rate. */
  setChat(videoId: string, chat: ChatSpec): void;
  /** The chat messages the video posted after `afterMs` up to `upToMs` (the most one answer holds). */
  chatMessages(videoId: string, afterMs: number, upToMs: number): { id: string; tsMs: number }[];
  injectFault(fault: FaultName, opts?: FaultOptions): void;
  calls(): CallRecord[];
  videos(): Record<string, VideoSpec>;
  reset(): void;
  close(): Promise<void>;
}

const API_PATH = '/youtube/v3/videos';
const KNOWN_PARTS = new Set([
  'id',
  'snippet',
  'liveStreamingDetails',
  'contentDetails',
  'statistics',
  'status',
  'topicDetails',
  'player',
  'recordingDetails',
  'localizations',
  'paidProductPlacementDetails',
]);
const MAX_IDS = 50;
const MAX_LOG = 10_000;

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const { host = '127.0.0.1', port = 0, seed = 1, apiKey, now = Date.now, adopt } = options;
  const twitch = twitchHelix({
    clientId: options.twitchClientId,
    clientSecret: options.twitchClientSecret,
    seed,
    now,
  });
  const videos = new Map<string, StoredVideo>();
  const innertube = innertubeSim({
    now,
    video(videoId) {
      let video = videos.get(videoId);
      const adopted = video ? null : adopt?.(videoId);
      if (adopted) videos.set(videoId, (video = { spec: adopted, setAt: now() }));
      if (!video || video.spec.state === 'missing') return null;
      return videoFromItem(video.spec.state, buildItem(videoId, video, seed, now()));
    },
    chat(videoId) {
      const video = videos.get(videoId);
      return video ? simChat(videoId, video, seed) : null;
    },
  });
  let faults: { fault: FaultName; left: number; opts: FaultOptions }[] = [];
  let log: CallRecord[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();

  const sim: Simulator = {
    baseUrl: '',
    origin: '',
    twitchApiBaseUrl: '',
    twitchAuthBaseUrl: '',
    twitch,
    innertube,
    now,
    setVideo(videoId, spec) {
      if (spec.state === 'missing') videos.delete(videoId);
      else videos.set(videoId, { spec: structuredClone(spec), setAt: now() });
    },
    setCurve(videoId, curve) {
      const video = videos.get(videoId);
      if (!video || video.spec.state !== 'live')
        throw new Error(`video ${videoId} is not a live video of the simulator`);
      video.spec.curve = structuredClone(curve);
    },
    setChat(videoId, chat) {
      const video = videos.get(videoId);
      if (!video || !['live', 'live_hidden', 'ended'].includes(video.spec.state))
        throw new Error(`video ${videoId} is not a live or ended video of the simulator`);
      video.spec.chat = structuredClone(chat);
    },
    chatMessages(videoId, afterMs, upToMs) {
      const video = videos.get(videoId);
      const chat = video && simChat(videoId, video, seed);
      return chat && chat.mode === 'on' ? messagesBetween(videoId, chat, afterMs, upToMs) : [];
    },
    injectFault(fault, opts = {}) {
      faults.push({ fault, left: Math.max(1, opts.times ?? 1), opts });
    },
    calls: () => structuredClone(log),
    videos: () => Object.fromEntries([...videos].map(([id, v]) => [id, structuredClone(v.spec)])),
    reset() {
      videos.clear();
      faults = [];
      log = [];
      twitch.reset();
      innertube.reset();
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const nextFault = () => {
    const next = faults[0];
    if (!next) return undefined;
    if (--next.left === 0) faults.shift();
    return next;
  };

  function answerVideos(req: IncomingMessage, res: ServerResponse, url: URL) {
    const header = req.headers['x-goog-api-key'];
    const headerKey = typeof header === 'string' && header !== '' ? header : undefined;
    const queryKey = url.searchParams.get('key') || undefined;
    const ids = (url.searchParams.get('id') ?? '').split(',').filter(Boolean);
    const record: CallRecord = {
      at: new Date(now()).toISOString(),
      ids,
      keyVia: headerKey && queryKey ? 'both' : headerKey ? 'header' : queryKey ? 'query' : null,
      fields: url.searchParams.get('fields'),
      part: url.searchParams.get('part'),
      status: 200,
    };
    if (log.length >= MAX_LOG) log.shift();
    log.push(record);

    const injected = nextFault();
    if (injected) {
      record.fault = injected.fault;
      if (injected.fault === 'reset') {
        record.status = 'reset';
        req.socket.resetAndDestroy();
        return;
      }
      if (injected.fault === 'hang') {
        record.status = 'hang';
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) send(res, listVideos(url, ids, headerKey ?? queryKey));
        }, injected.opts.hangMs ?? 60_000);
        timers.add(timer);
        res.on('close', () => {
          clearTimeout(timer);
          timers.delete(timer);
        });
        return;
      }
      const canned = faultResponse(injected.fault, injected.opts.retryAfterSeconds);
      record.status = canned.status;
      return send(res, canned);
    }
    const answer = listVideos(url, ids, headerKey ?? queryKey);
    record.status = answer.status;
    send(res, answer);
  }

  function listVideos(url: URL, ids: string[], key: string | undefined): CannedResponse {
    if (!key)
      return googleError(403, 'forbidden', 'The request is missing a valid API key.', 'global', {
        status: 'PERMISSION_DENIED',
      });
    if (apiKey !== undefined && key !== apiKey) return invalidKey();
    const parts = (url.searchParams.get('part') ?? '').split(',').filter(Boolean);
    if (parts.length === 0) {
      return googleError(400, 'required', 'Required parameter: part', 'global', {
        location: 'part',
        locationType: 'parameter',
      });
    }
    const unknown = parts.find((p) => !KNOWN_PARTS.has(p));
    if (unknown)
      return googleError(400, 'unknownPart', unknown, 'youtube.part', { location: 'part', locationType: 'parameter' });
    if (ids.length === 0)
      return googleError(
        400,
        'missingRequiredParameter',
        'No filter selected. Expected one of: chart, id, myRating',
        'youtube.parameter',
      );
    if (ids.length > MAX_IDS)
      return googleError(
        400,
        'invalidFilters',
        'The request specifies an invalid filter parameter.',
        'youtube.parameter',
      );

    const t = now();
    const items = [...new Set(ids)].flatMap((id) => {
      let video = videos.get(id);
      const adopted = video ? null : adopt?.(id);
      if (adopted) videos.set(id, (video = { spec: adopted, setAt: t }));
      if (!video) return [];
      const item = buildItem(id, video, seed, t);
      // Only the parts asked for, as YouTube does.
      if (!parts.includes('snippet')) delete item.snippet;
      if (!parts.includes('liveStreamingDetails')) delete item.liveStreamingDetails;
      return [item];
    });
    let body: unknown = {
      kind: 'youtube#videoListResponse',
      etag: etag(`${ids.join(',')}|${t}`),
      items,
      pageInfo: { totalResults: items.length, resultsPerPage: items.length },
    };
    const fields = url.searchParams.get('fields');
    if (fields !== null) {
      try {
        body = applyFields(body, parseFields(fields));
      } catch (error) {
        return googleError(400, 'invalidParameter', `Invalid field selection ${(error as Error).message}`, 'global', {
          location: 'fields',
          locationType: 'parameter',
        });
      }
    }
    return {
      status: 200,
      headers: { 'content-type': 'application/json; charset=UTF-8' },
      body: JSON.stringify(body, null, 2),
    };
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (url.pathname.startsWith('/_control/'))
      return void handleControl(sim, req, res, url.pathname.slice('/_control/'.length));
    if (url.pathname === API_PATH && req.method === 'GET') return answerVideos(req, res, url);
    if (twitch.handle(req, res, url) || innertube.handle(req, res, url)) return;
    send(res, {
      status: 404,
      headers: { 'content-type': 'text/html; charset=UTF-8' },
      body: `<!DOCTYPE html>\n<html lang=en><title>Error 404 (Not Found)!!1</title><p><b>404.</b> <ins>That’s an error.</ins><p>The requested URL <code>${url.pathname.replace(/[<>&"]/g, '')}</code> was not found on this server.\n`,
    });
  });
  // Clients (undici) drop an idle connection after about 4 s; a server that closes first at Node's default
  // 5 s races them when the event loop stalls (a test creating a PGlite database blocks it for seconds),
  // and the next call is written into a closing socket: ECONNRESET, a failed tick no test asked for.
  server.keepAliveTimeout = 60_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  sim.origin = `http://${shownHost}:${address.port}`;
  sim.baseUrl = `${sim.origin}/youtube/v3`;
  sim.twitchApiBaseUrl = `${sim.origin}/helix`;
  sim.twitchAuthBaseUrl = `${sim.origin}/oauth2`;
  return sim;
}

function send(res: ServerResponse, answer: CannedResponse) {
  res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
  res.end(answer.body);
}
