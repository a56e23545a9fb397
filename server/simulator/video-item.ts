// One simulated video: what a test says about it (VideoSpec) and the videos.list item YouTube would
// return for it at a given moment, shaped like the captures in the wire reference §2.
import { countAt, type CountCurve } from './count-curve.ts';
import type { ChatSpec } from './live-chat.ts';

export type SimState = 'live' | 'live_hidden' | 'upcoming' | 'ended' | 'not_live' | 'missing';

export interface VideoSpec {
  state: SimState;
  title?: string;
  channelTitle?: string;
  /** ISO times; sensible defaults are derived from the moment the spec was set. */
  scheduledStart?: string;
  actualStart?: string;
  actualEnd?: string;
  /** Live only: the count curve (default: moving around 1,000). */
  curve?: CountCurve;
  /**
   * Merged over the generated item last, to imitate schema drift or odd states (a stale "live" label,
   * `concurrentViewers: 12` as a number). A null value removes that field.
   */
  raw?: { snippet?: Record<string, unknown>; liveStreamingDetails?: Record<string, unknown> };
  /** Live and ended only: the live chat (default: on, 20 messages a minute per 1,000 viewers). */
  chat?: ChatSpec;
}

export interface StoredVideo {
  spec: VideoSpec;
  setAt: number;
}

export const DEFAULT_CURVE: CountCurve = { kind: 'moving', base: 1000 };
const MINUTE = 60_000;

/** YouTube writes times without milliseconds in current answers. */
const stamp = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const at = (iso: string | undefined, fallback: number) => (iso === undefined ? fallback : Date.parse(iso));

export function buildItem(videoId: string, video: StoredVideo, seed: number, now: number): Record<string, unknown> {
  const { spec, setAt } = video;
  const title = spec.title ?? `Simulated ${spec.state.replace('_', ' ')} video ${videoId}`;
  const channelTitle = spec.channelTitle ?? 'LivePulse Simulator';
  const label =
    spec.state === 'live' || spec.state === 'live_hidden' ? 'live' : spec.state === 'upcoming' ? 'upcoming' : 'none';
  const item: Record<string, unknown> = {
    kind: 'youtube#video',
    etag: etag(`${videoId}|${spec.state}|${setAt}`),
    id: videoId,
    snippet: merge(
      {
        publishedAt: stamp(setAt - 30 * MINUTE),
        channelId: `UC${etag(channelTitle).slice(0, 22)}`,
        title,
        description: '',
        thumbnails: {
          default: {
            url: `https://i.ytimg.com/vi/${videoId}/default${label === 'none' ? '' : '_live'}.jpg`,
            width: 120,
            height: 90,
          },
        },
        channelTitle,
        categoryId: '22',
        liveBroadcastContent: label,
        localized: { title, description: '' },
      },
      spec.raw?.snippet,
    ),
  };
  const details = liveDetails(videoId, spec, setAt, seed, now);
  if (details) item.liveStreamingDetails = merge(details, spec.raw?.liveStreamingDetails);
  return item;
}

function liveDetails(
  videoId: string,
  spec: VideoSpec,
  setAt: number,
  seed: number,
  now: number,
): Record<string, unknown> | undefined {
  switch (spec.state) {
    case 'live':
    case 'live_hidden': {
      const start = liveStartMs(spec, setAt);
      return {
        actualStartTime: stamp(start),
        scheduledStartTime: stamp(at(spec.scheduledStart, start - 2 * MINUTE)),
        ...(spec.state === 'live'
          ? { concurrentViewers: String(countAt(spec.curve ?? DEFAULT_CURVE, seed, videoId, start, now)) }
          : {}),
        activeLiveChatId: `Cg0KC${etag(videoId).slice(0, 16)}`,
      };
    }
    case 'upcoming':
      return { scheduledStartTime: stamp(at(spec.scheduledStart, setAt + 60 * MINUTE)) };
    case 'ended': {
      const end = at(spec.actualEnd, setAt - 5 * MINUTE);
      const start = at(spec.actualStart, end - 90 * MINUTE);
      return {
        actualStartTime: stamp(start),
        actualEndTime: stamp(end),
        scheduledStartTime: stamp(at(spec.scheduledStart, start)),
      };
    }
    default:
      return undefined;
  }
}

/** When a live video started: its actualStart, or 20 minutes before it was set. */
export function liveStartMs(spec: VideoSpec, setAt: number): number {
  return spec.state === 'ended'
    ? at(spec.actualStart, at(spec.actualEnd, setAt - 5 * MINUTE) - 90 * MINUTE)
    : at(spec.actualStart, setAt - 20 * MINUTE);
}

function merge(base: Record<string, unknown>, over: Record<string, unknown> | undefined): Record<string, unknown> {
  const out = { ...base, ...over };
  for (const [k, v] of Object.entries(out)) if (v === null) delete out[k];
  return out;
}

/** An opaque etag-looking string (YouTube's are 27 base64url characters). */
export function etag(text: string): string {
  let h1 = 0x9e3779b9;
  let h2 = 0x85ebca6b;
  for (const ch of text) {
    h1 = Math.imul(h1 ^ ch.charCodeAt(0), 0x01000193);
    h2 = Math.imul(h2 ^ ch.charCodeAt(0), 0x5bd1e995);
  }
  return Buffer.from(new Uint32Array([h1, h2, h1 ^ h2, h1 + h2, h2 - h1]).buffer)
    .toString('base64url')
    .slice(0, 27);
}
