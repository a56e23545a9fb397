// Reads a video's live chat or chat replay through youtubei.js (InnerTube), as a ChatSource.
//
// youtubei.js finds the chat, makes the requests and parses the answers; the polling loop is ours.
// Its own LiveChat wrapper does not fit an exporter: it paces messages out on timers for display
// (a replay would take as long as the video), can report 'end' before the last batch is emitted,
// retries on a fixed 2 s with no way to tell a network failure from the end, and polls metadata.
import { Innertube, LiveChatContinuation, Log, YTNodes, type Actions } from 'youtubei.js';
import { refusalOf, refusalOfError } from '../../server/chat/chat-refusal.ts';
import { timeoutSignal } from '../../server/timeout-signal.ts';
import { ChatUnavailableError, NetworkError, type ChatBatch, type ChatSource, type ChatStream } from './source.ts';
import { messagesOf } from './youtubei-items.ts';

export interface YoutubeiSourceOptions {
  /** Every request goes through this fetch; tests inject InnerTube-shaped answers here. */
  fetch?: typeof fetch;
  requestTimeoutMs?: number;
}

// A live chat answers with the pause it wants before the next poll (usually 1–10 s); more than this
// would only delay messages, so a larger hint is capped.
const MAX_WAIT_HINT_MS = 10_000;

export function createYoutubeiSource(options: YoutubeiSourceOptions = {}): ChatSource {
  // The library logs parser and session trouble to the console; the exporter reports its own errors.
  Log.setLevel(Log.Level.NONE);
  const baseFetch = options.fetch ?? fetch;
  const timeoutMs = options.requestTimeoutMs ?? 15_000;
  return {
    async open(videoId, signal) {
      const yt = await Innertube.create({
        fetch: classifyingFetch(baseFetch, signal, timeoutMs),
        retrieve_player: false,
        // Amounts and reasons are read in en-US (see amount.ts).
        lang: 'en',
        location: 'US',
      });
      const info = await yt.getInfo(videoId).catch((error: unknown) => {
        const refused = refusalOfError(error);
        if (refused) throw new ChatUnavailableError(refused.reason);
        throw error;
      });
      const chat = info.livechat;
      if (!chat) throw new ChatUnavailableError(refusalOf(info).reason);
      // The default view is "Top chat", a filtered selection; the second view is the whole chat.
      const header = chat.header?.is(YTNodes.LiveChatHeader) ? chat.header : undefined;
      const all = header?.view_selector?.sub_menu_items?.[1]?.continuation;
      const continuation = all ?? chat.continuation;
      if (!continuation)
        throw new ChatUnavailableError('YouTube lists a chat for this video but gave no way to read it');
      return new YoutubeiChatStream(yt.actions, continuation, chat.is_replay);
    },
  };
}

class YoutubeiChatStream implements ChatStream {
  readonly isReplay: boolean;
  #actions: Actions;
  #continuation: string | undefined;
  #offsetMs = 0;

  constructor(actions: Actions, continuation: string, isReplay: boolean) {
    this.#actions = actions;
    this.#continuation = continuation;
    this.isReplay = isReplay;
  }

  async next(): Promise<ChatBatch | null> {
    if (!this.#continuation) return null;
    const response = this.isReplay
      ? await this.#actions.execute('live_chat/get_live_chat_replay', {
          continuation: this.#continuation,
          // The web player says where playback is; the next chunk follows on from there.
          currentPlayerState: { playerOffsetMs: String(this.#offsetMs) },
          parse: true,
        })
      : await this.#actions.execute('live_chat/get_live_chat', { continuation: this.#continuation, parse: true });
    const contents = response.continuation_contents;
    // No chat contents, or no continuation in them, is how YouTube says the chat is over.
    if (!(contents instanceof LiveChatContinuation)) return null;
    const previous = this.#continuation;
    this.#continuation = contents.continuation.token;
    const messages = contents.actions.flatMap((action) => messagesOf(action));
    if (this.isReplay) {
      this.#offsetMs = messages.at(-1)?.videoOffsetMs ?? this.#offsetMs;
      // A replay that hands back the same position with nothing in it would loop forever.
      if (!messages.length && this.#continuation === previous) this.#continuation = undefined;
      return { messages };
    }
    const hint = contents.continuation.timeout_ms;
    return { messages, waitHintMs: typeof hint === 'number' ? Math.min(hint, MAX_WAIT_HINT_MS) : undefined };
  }
}

/**
 * Wraps fetch so that every failure worth retrying surfaces as a NetworkError: no answer (reset,
 * DNS, timeout) and answers that mean "try later" (408, 429, 5xx). Other statuses are left to the library.
 */
function classifyingFetch(base: typeof fetch, signal: AbortSignal, timeoutMs: number): typeof fetch {
  return async (input, init) => {
    let response: Response;
    try {
      // Not AbortSignal.any with AbortSignal.timeout: see timeout-signal.ts (nodejs/node#57736).
      response = await base(input, { ...init, signal: timeoutSignal(timeoutMs, signal) });
    } catch (error) {
      if (signal.aborted) throw error;
      const reason =
        error instanceof Error && error.name === 'TimeoutError'
          ? `no answer in ${timeoutMs / 1000} s`
          : describeFailure(error);
      throw new NetworkError(`${urlOf(input)}: ${reason}`, { cause: error });
    }
    if (response.status === 408 || response.status === 429 || response.status >= 500) {
      await response.body?.cancel();
      throw new NetworkError(`${urlOf(input)}: HTTP ${response.status}`);
    }
    return response;
  };
}

function urlOf(input: string | URL | Request): string {
  const url = new URL(input instanceof Request ? input.url : input);
  return url.pathname;
}

function describeFailure(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : undefined;
  const code = cause && 'code' in cause ? String(cause.code) : undefined;
  return [error instanceof Error ? error.message : String(error), code].filter(Boolean).join(': ');
}
