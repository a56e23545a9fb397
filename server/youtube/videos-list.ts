// The videos.list client: one GET for up to 50 ids, answered as video states or one classified fault.
// The same code talks to YouTube and to the simulator; only baseUrl differs.
import { classifyHttpFault, classifyThrown, type UpstreamFault } from './classify-fault.ts';
import { VIDEO_ID } from './video-url.ts';
import { readVideos, type VideoState } from './video-state.ts';

export type { UpstreamFault, UpstreamFaultKind } from './classify-fault.ts';
export type { VideoState, VideoStatus } from './video-state.ts';

export type VideosListResult =
  | { ok: true; videos: VideoState[]; missing: string[] }
  | { ok: false; fault: UpstreamFault };

export interface FetchVideosOptions {
  /** e.g. https://www.googleapis.com/youtube/v3, or the simulator's baseUrl. */
  baseUrl: string;
  apiKey: string;
  fetch?: typeof fetch;
  /** Whole call, headers and body; default 10 s. */
  timeoutMs?: number;
}

export const MAX_IDS_PER_CALL = 50;
// A partial response: only what video-state.ts reads. It does not lower the quota cost (1 unit per
// call) but keeps each answer a few hundred bytes instead of kilobytes of thumbnails and descriptions.
export const VIDEO_FIELDS =
  'items(id,snippet(title,channelTitle,liveBroadcastContent),' +
  'liveStreamingDetails(actualStartTime,actualEndTime,scheduledStartTime,concurrentViewers))';

/**
 * Fetches the live state of 1–50 videos. Throws only for a wrong call (no ids, more than 50, a malformed
 * id); every upstream problem comes back as `{ ok: false, fault }`.
 */
export async function fetchVideos(ids: string[], opts: FetchVideosOptions): Promise<VideosListResult> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) throw new RangeError('fetchVideos needs at least one video id');
  if (unique.length > MAX_IDS_PER_CALL) {
    throw new RangeError(
      `fetchVideos takes at most ${MAX_IDS_PER_CALL} ids per call (got ${unique.length}); batch them`,
    );
  }
  const bad = unique.find((id) => !VIDEO_ID.test(id));
  if (bad !== undefined) throw new TypeError(`not an 11-character video id: ${JSON.stringify(bad.slice(0, 40))}`);

  const url = new URL(`${opts.baseUrl.replace(/\/+$/, '')}/videos`);
  url.searchParams.set('part', 'liveStreamingDetails,snippet');
  url.searchParams.set('id', unique.join(','));
  url.searchParams.set('fields', VIDEO_FIELDS);

  const doFetch = opts.fetch ?? fetch;
  let status: number;
  let contentType: string | null;
  let body: string;
  let retryAfter: string | null;
  try {
    // The key travels in a header (Google documents x-goog-api-key as the alternative to ?key=) so it
    // never appears in a URL that an error message, proxy or log line might print.
    const res = await doFetch(url, {
      headers: { 'X-goog-api-key': opts.apiKey, accept: 'application/json' },
      signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
    });
    status = res.status;
    contentType = res.headers.get('content-type');
    retryAfter = res.headers.get('retry-after');
    body = await res.text(); // inside the try: the timeout also covers a body that stalls
  } catch (error) {
    return { ok: false, fault: classifyThrown(error) };
  }

  if (status !== 200) return { ok: false, fault: classifyHttpFault(status, contentType, body, retryAfter) };
  if (!/^application\/json\b/i.test(contentType ?? '')) {
    return {
      ok: false,
      fault: { kind: 'unavailable', httpStatus: status, reason: 'YouTube answered 200 with a non-JSON body' },
    };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return {
      ok: false,
      fault: { kind: 'unavailable', httpStatus: status, reason: 'YouTube answered 200 with malformed JSON' },
    };
  }
  const read = readVideos(parsed, unique);
  if (!read)
    return {
      ok: false,
      fault: { kind: 'unavailable', httpStatus: status, reason: 'YouTube answered 200 without a usable items list' },
    };
  return { ok: true, ...read };
}
