// What the exporter needs from wherever chat messages come from: the youtubei.js source in
// production, a scripted fake in tests.
import type { ChatMessage } from './message.ts';

export interface ChatSource {
  /**
   * Finds the chat of a video. Rejects with ChatUnavailableError when there is none to read, with
   * NetworkError when YouTube could not be reached (worth retrying).
   */
  open(videoId: string, signal: AbortSignal): Promise<ChatStream>;
}

export interface ChatStream {
  readonly isReplay: boolean;
  /** The next messages in chat order, or null once the chat has ended. Rejects like `open`. */
  next(): Promise<ChatBatch | null>;
}

export interface ChatBatch {
  messages: ChatMessage[];
  /** How long YouTube asks the client to wait before asking again (live chats only). */
  waitHintMs?: number;
}

/** The video has no chat that can be read: exit 3 with the reason. */
export class ChatUnavailableError extends Error {
  override name = 'ChatUnavailableError';
}

/** YouTube could not be reached or answered with a transient error: retried with backoff. */
export class NetworkError extends Error {
  override name = 'NetworkError';
}
