// Opens and reads a video's live chat through youtubei.js (InnerTube: no Data API quota, but an unofficial
// interface), as the live-chat exporter does (tools/livechat/youtubei-source.ts): youtubei.js finds the chat on
// the watch page and parses get_live_chat; the polling is ours. The whole chat ("Live chat"), not the filtered
// "Top chat", is read: every message counts. Only message ids and timestamps are kept, never authors or text.
import { LiveChatContinuation, YTNodes, type Actions, type Innertube } from 'youtubei.js';
import { innertubeSession } from '../sources/innertube/session.ts';
import { refusalOf, refusalOfError, type ChatRefusal } from './chat-refusal.ts';

export interface ChatClientOptions {
  /** Empty: YouTube itself. Otherwise every youtube.com request goes to this origin (the simulator). */
  baseUrl: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** One read of the chat: the messages since the last one (timestamp in ms when YouTube gave one). */
export interface ChatBatch {
  messages: { id: string; tsMs: number | null }[];
  /** The pause YouTube asks for before the next read, when it gave one. */
  waitHintMs: number | null;
}

export interface LiveChatReader {
  /** The next batch, or null when YouTube says the chat is over. Rejects on any failure (a gap). */
  next(): Promise<ChatBatch | null>;
}

export type ChatOpening = { ok: true; chat: LiveChatReader } | ({ ok: false } & ChatRefusal);

export function createChatClient(options: ChatClientOptions) {
  const yt = innertubeSession(options);

  return {
    /** Finds the video's live chat, or says why there is none to read; rejects on a failure worth retrying. */
    async open(videoId: string): Promise<ChatOpening> {
      const innertube = await yt();
      let info: Awaited<ReturnType<Innertube['getInfo']>>;
      try {
        info = await innertube.getInfo(videoId);
      } catch (error) {
        const refused = refusalOfError(error);
        if (refused) return { ok: false, ...refused };
        throw error;
      }
      const chat = info.livechat;
      if (!chat) return { ok: false, ...refusalOf(info) };
      if (chat.is_replay) {
        return { ok: false, state: 'unavailable', reason: 'the stream has ended: only its chat replay is left' };
      }
      const header = chat.header?.is(YTNodes.LiveChatHeader) ? chat.header : undefined;
      const continuation = header?.view_selector?.sub_menu_items?.[1]?.continuation ?? chat.continuation;
      if (!continuation) {
        return {
          ok: false,
          state: 'unavailable',
          reason: 'YouTube lists a chat for this video but gave no way to read it',
        };
      }
      return { ok: true, chat: liveChat(innertube.actions, continuation) };
    },
  };
}

function liveChat(actions: Actions, first: string): LiveChatReader {
  let continuation: string | undefined = first;
  return {
    async next() {
      if (!continuation) return null;
      const response = await actions.execute('live_chat/get_live_chat', { continuation, parse: true });
      const contents = response.continuation_contents;
      if (!(contents instanceof LiveChatContinuation)) return null;
      continuation = contents.continuation.token;
      const messages = contents.actions.flatMap((action) => {
        // Messages of every kind (text, Super Chat, stickers, memberships, gifts) count; tickers and banners do not.
        if (!action.is(YTNodes.AddChatItemAction) || !action.item) return [];
        const item = action.item as { id?: unknown; timestamp_usec?: unknown };
        if (typeof item.id !== 'string' || action.item.is(YTNodes.LiveChatViewerEngagementMessage)) return [];
        const usec = Number(item.timestamp_usec);
        return [{ id: item.id, tsMs: Number.isFinite(usec) && usec > 0 ? Math.floor(usec / 1000) : null }];
      });
      const hint = contents.continuation.timeout_ms;
      return { messages, waitHintMs: typeof hint === 'number' ? hint : null };
    },
  };
}

export type ChatClient = ReturnType<typeof createChatClient>;
