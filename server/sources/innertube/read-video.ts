// Reads what InnerTube says about a video into the same VideoState the Data API path produces, with the
// same data truth: only a live "watching now" count is a count; an upcoming stream's "waiting" number is
// not viewers; a live stream without a readable count is live_hidden; a past broadcast (a replay) is
// ended, as the Data API path says it, and a regular video not_live (never a count). The count is read from its digits only, never from words, so
// the page language does not matter (we still ask in English).
import { toStorable } from '../../storable-text.ts';
import type { VideoState } from '../../youtube/video-state.ts';

/** The few fields we use, as youtubei.js parses them (VideoDetails, PlayerMicroformat, VideoViewCount). */
export interface InnertubeFacts {
  isLive: boolean;
  isUpcoming: boolean;
  isLiveContent: boolean;
  startTimestamp: Date | null;
  endTimestamp: Date | null;
  title: string | null;
  author: string | null;
  /** videoPrimaryInfoRenderer.viewCount, when the watch page has one. */
  viewCount?: { isLive: boolean; text: string | null; unlabeled: string | null };
}

// Digit grouping marks of the languages YouTube serves: comma, dot, apostrophe, spaces (thin, no-break),
// Arabic thousands separator.
const GROUPING = /[,.'\s\u00a0\u202f\u066c]/g;
const COUNT = /^\d{1,15}$/;
// The first number in the text, with its grouping marks, and what follows it.
const NUMBER = /(\d[\d,.'\s\u00a0\u202f\u066c]*)(.?)/u;

export function readVideo(videoId: string, facts: InnertubeFacts): VideoState {
  const iso = (d: Date | null) => (d && !Number.isNaN(d.getTime()) ? d.toISOString() : null);
  const state: VideoState = {
    videoId,
    status: 'not_live',
    viewers: null,
    scheduledStart: null,
    actualStart: null,
    actualEnd: null,
    title: facts.title === null ? null : toStorable(facts.title),
    channelTitle: facts.author === null ? null : toStorable(facts.author),
  };
  if (facts.isUpcoming) {
    state.status = 'upcoming';
    state.scheduledStart = iso(facts.startTimestamp);
    return state;
  }
  if (facts.isLive) {
    state.actualStart = iso(facts.startTimestamp);
    const viewers = liveCount(facts.viewCount);
    state.viewers = viewers;
    state.status = viewers === null ? 'live_hidden' : 'live';
    if (viewers === null && facts.viewCount?.text) state.drift = 'viewCount: a live count we could not read';
    return state;
  }
  // A past broadcast is ended, as the Data API path says of any video whose liveStreamingDetails carry an
  // actualEndTime (so the status does not flip when auto changes source mid-event); a premiere that has
  // run says so by an end time in liveBroadcastDetails. Neither is ever a count. Anything else is not_live.
  if (facts.isLiveContent || facts.endTimestamp) {
    state.status = 'ended';
    state.actualStart = iso(facts.startTimestamp);
    state.actualEnd = iso(facts.endTimestamp);
  }
  return state;
}

function liveCount(viewCount: InnertubeFacts['viewCount']): number | null {
  // Only a renderer that says it is live carries "watching now"; otherwise it is a view total or "waiting".
  if (!viewCount?.isLive) return null;
  const match = NUMBER.exec(viewCount.unlabeled ?? viewCount.text ?? '');
  if (!match) return null;
  // "1.2K watching", "12万人が視聴中": an abbreviated count is not an exact one.
  if (/\p{L}/u.test(match[2] ?? '') && !/\s$/.test(match[1] ?? '')) return null;
  const digits = (match[1] ?? '').replace(GROUPING, '');
  return COUNT.test(digits) ? Number(digits) : null;
}
