// Reads YouTube videos and channels without an API key through InnerTube (YouTube's internal API, the one
// its own web client uses) by way of youtubei.js: per video one paced lookup (player + next, asked in
// English), per channel link one resolve_url of its /live page. YouTube pushing back (429, a consent or
// captcha page instead of JSON) holds every lookup for a growing while; a failed lookup is a gap.
import { Utils } from 'youtubei.js';
import type { VideoState } from '../../youtube/video-state.ts';
import type { ChannelRef } from '../links.ts';
import { createPacer, HeldError, type Pacer } from './pacer.ts';
import { readVideo } from './read-video.ts';
import { innertubeSession, PushedBackError } from './session.ts';

export interface InnertubeOptions {
  /** Empty: YouTube itself. Otherwise every youtube.com request goes to this origin (the simulator). */
  baseUrl: string;
  perSecond: number;
  concurrency: number;
  /** A video is looked up at most once per this many ms (the poll interval). */
  minIntervalMs: number;
  fetch?: typeof fetch;
  now?: () => number;
  timeoutMs?: number;
}

export type InnertubeOutcome =
  | { videoId: string; ok: true; state: VideoState }
  /** missing: YouTube says the video is unavailable; blocked: held after a push-back. */
  | { videoId: string; ok: false; kind: 'missing' | 'blocked' | 'failed'; reason: string };

export type ChannelOutcome =
  | { ok: true; videoId: string }
  | { ok: true; videoId: null; channelId: string | null }
  | { ok: false; kind: 'missing' | 'blocked' | 'failed'; reason: string };

/** YouTube answered with a 429 or a page for people (consent, captcha) instead of InnerTube JSON. */
export function createInnertubeClient(options: InnertubeOptions) {
  const now = options.now ?? Date.now;
  const pacer: Pacer = createPacer({ perSecond: options.perSecond, concurrency: options.concurrency, now });
  /** Each video's last lookup (perhaps still running) and when it started. */
  const lastLookup = new Map<string, { at: number; outcome: Promise<InnertubeOutcome> }>();
  const yt = innertubeSession(options);

  async function lookup(videoId: string): Promise<InnertubeOutcome> {
    try {
      const info = await pacer.run(async () => (await yt()).getInfo(videoId));
      pacer.succeeded();
      const basic = info.basic_info;
      const viewCount = info.primary_info?.view_count;
      const state = readVideo(videoId, {
        isLive: !!basic.is_live,
        isUpcoming: !!basic.is_upcoming,
        isLiveContent: !!basic.is_live_content,
        startTimestamp: basic.start_timestamp ?? null,
        endTimestamp: basic.end_timestamp ?? null,
        title: basic.title ?? null,
        author: basic.author ?? null,
        viewCount: viewCount
          ? {
              isLive: viewCount.is_live,
              text: viewCount.view_count?.toString() ?? null,
              unlabeled: viewCount.unlabeled_view_count_value?.toString() ?? null,
            }
          : undefined,
      });
      return { videoId, ok: true, state };
    } catch (error) {
      return failure(videoId, error);
    }
  }

  function failure(videoId: string, error: unknown): InnertubeOutcome & { ok: false } {
    if (error instanceof HeldError) return { videoId, ok: false, kind: 'blocked', reason: error.message };
    if (error instanceof PushedBackError) {
      pacer.pushedBack();
      return { videoId, ok: false, kind: 'blocked', reason: error.message };
    }
    // getInfo throws on playability ERROR: removed, private, or never existed.
    const info =
      error instanceof Utils.InnertubeError
        ? (error.info as { status?: string; reason?: string } | undefined)
        : undefined;
    if (info?.status === 'ERROR') return { videoId, ok: false, kind: 'missing', reason: info.reason || 'unavailable' };
    return { videoId, ok: false, kind: 'failed', reason: failedReason(error) };
  }

  return {
    /** One outcome per id, in order; an id looked up less than minIntervalMs ago gets that lookup's outcome. */
    async videos(ids: string[]): Promise<InnertubeOutcome[]> {
      return Promise.all(
        [...new Set(ids)].map(async (videoId): Promise<InnertubeOutcome> => {
          const held = pacer.blockedUntil();
          if (held !== null) {
            return {
              videoId,
              ok: false,
              kind: 'blocked',
              reason: `YouTube pushed back; InnerTube resumes at ${new Date(held).toISOString()}`,
            };
          }
          // Looked up less than a poll interval ago (a tick right after an admin's add, the same video in two
          // events): that lookup's answer is the current one. Before, no answer here left the stream out of its
          // event's total for that tick, and made an add of a video already counted say it does not exist.
          const last = lastLookup.get(videoId);
          if (last !== undefined && now() - last.at < options.minIntervalMs) return last.outcome;
          const outcome = lookup(videoId);
          lastLookup.set(videoId, { at: now(), outcome });
          return outcome;
        }),
      );
    },

    /** The video a channel's /live page shows now (its live stream, or the next scheduled one), or none. */
    async channel(ref: ChannelRef): Promise<ChannelOutcome> {
      const held = pacer.blockedUntil();
      if (held !== null) return { ok: false, kind: 'blocked', reason: 'YouTube pushed back' };
      const path = {
        handle: `@${ref.value}`,
        id: `channel/${ref.value}`,
        custom: `c/${ref.value}`,
        user: `user/${ref.value}`,
      }[ref.by];
      try {
        const endpoint = await pacer.run(async () =>
          (await yt()).resolveURL(`https://www.youtube.com/${encodeURI(path)}/live`),
        );
        pacer.succeeded();
        const payload = endpoint.payload as { videoId?: unknown; browseId?: unknown };
        if (typeof payload.videoId === 'string') return { ok: true, videoId: payload.videoId };
        return { ok: true, videoId: null, channelId: typeof payload.browseId === 'string' ? payload.browseId : null };
      } catch (error) {
        if (error instanceof HeldError) return { ok: false, kind: 'blocked', reason: error.message };
        if (error instanceof PushedBackError) {
          pacer.pushedBack();
          return { ok: false, kind: 'blocked', reason: error.message };
        }
        const status = (error as { info?: { error?: { code?: number } } }).info?.error?.code;
        if (status === 404 || /404/.test((error as Error).message))
          return { ok: false, kind: 'missing', reason: 'YouTube knows no such channel' };
        return { ok: false, kind: 'failed', reason: failedReason(error) };
      }
    },

    blockedUntil: () => pacer.blockedUntil(),
  };
}

export type InnertubeClient = ReturnType<typeof createInnertubeClient>;

/**
 * A failed lookup in words an organiser can act on: fetch's bare "TypeError" meant no network (the cause
 * holds the code: ENOTFOUND, ECONNREFUSED…), a timeout that YouTube did not answer in time.
 */
export function failedReason(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'YouTube did not answer in time';
  if (e?.name === 'TypeError' && /fetch failed/i.test(e.message ?? '')) {
    return `YouTube cannot be reached (${e.cause?.code ?? 'network error'})`;
  }
  const message = (e?.message ?? '').replace(/\s+/g, ' ').slice(0, 120);
  return `InnerTube lookup failed: ${e?.name ?? 'Error'}${message ? `: ${message}` : ''}`;
}
