// Why a video's live chat cannot be read, from what youtubei.js parsed of its watch page: the one reading
// shared by the chat-activity reader (server/chat/youtubei-chat.ts) and the live-chat exporter
// (tools/livechat/youtubei-source.ts), so both give the same reason in the same words.
import { Utils, YTNodes, type Innertube } from 'youtubei.js';
import type { ChatState } from '../wire.ts';

type VideoInfo = Awaited<ReturnType<Innertube['getInfo']>>;

export interface ChatRefusal {
  state: Extract<ChatState, 'disabled' | 'members_only' | 'unavailable'>;
  reason: string;
}

// YouTube's own words for members-only content ("Join this channel to get access to members-only content…").
const MEMBERS = /members[- ]only|join this channel/i;

/** getInfo throws on playability ERROR (removed, or never existed) before the page can be looked at. */
export function refusalOfError(error: unknown): ChatRefusal | null {
  // youtubei.js types `info` as any; this is the playability status it attaches.
  const info = error instanceof Utils.InnertubeError ? (error.info as { status?: string; reason?: string }) : null;
  if (info?.status !== 'ERROR') return null;
  return { state: 'unavailable', reason: `the video is unavailable: ${info.reason || 'no reason given'}` };
}

/** Why a watch page offers no chat to read (call it when `info.livechat` is missing). */
export function refusalOf(info: VideoInfo): ChatRefusal {
  const status = info.playability_status;
  if (status?.status && status.status !== 'OK' && status.status !== 'LIVE_STREAM_OFFLINE') {
    // Private, members-only, age-restricted and geo-blocked videos all land here; YouTube's reason says which.
    const reason = `YouTube will not show this video (${status.status}): ${status.reason || 'no reason given'}`;
    return { state: MEMBERS.test(status.reason ?? '') ? 'members_only' : 'unavailable', reason };
  }
  const bar = info.page[1]?.contents_memo?.getType(YTNodes.ConversationBar)[0];
  const said = bar?.availability_message?.text.toString();
  if (said) {
    const state = MEMBERS.test(said) ? 'members_only' : /disabled|turned off/i.test(said) ? 'disabled' : 'unavailable';
    return { state, reason: `the chat is not available: ${said}` };
  }
  return {
    state: 'unavailable',
    reason: 'this video has no live chat (it is not a live stream or premiere, or its chat replay is not available)',
  };
}
