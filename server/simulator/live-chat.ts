// The simulated live chat of a video: how many messages it posts each minute (a fixed rate, or one that moves
// with its viewer curve), the messages themselves (ids and times, a pure function of video and minute, so a
// test can work out what a reader must count), and the continuation tokens that page through them as
// YouTube's get_live_chat does.
import { countAt } from './count-curve.ts';
import { DEFAULT_CURVE, liveStartMs, type StoredVideo } from './video-item.ts';

export interface ChatSpec {
  /** on (the default for live streams), disabled by the owner, members_only (a members-only video), none (no chat). */
  mode?: 'on' | 'disabled' | 'members_only' | 'none';
  /** Messages every minute; otherwise they follow the viewer curve at `perThousandViewers`. */
  perMinute?: number;
  /** Messages a minute per 1,000 viewers at the minute's start (default 20, so 1,000 viewers post 20 a minute). */
  perThousandViewers?: number;
  /** The pause get_live_chat asks for (timeoutMs of its continuation), default 5,000 ms. */
  timeoutMs?: number;
}

export interface SimChat {
  mode: NonNullable<ChatSpec['mode']>;
  /** Live: the chat is being written; otherwise (ended) only a replay is left. */
  live: boolean;
  timeoutMs: number;
  /** Messages posted in the minute starting at `minuteMs`. */
  perMinute(minuteMs: number): number;
}

const MINUTE = 60_000;
/** At most this many messages a minute (a busy chat), and per answer, as YouTube batches them. */
export const MAX_PER_MINUTE = 3000;
export const MAX_PER_ANSWER = 500;
/** How far back the first answer reaches: YouTube opens a chat with its recent messages. */
export const BACKLOG_MS = 30_000;

export function simChat(videoId: string, video: StoredVideo, seed: number): SimChat | null {
  const { spec } = video;
  const chat = spec.chat ?? {};
  const live = spec.state === 'live' || spec.state === 'live_hidden';
  if (!live && spec.state !== 'ended') return null;
  const start = liveStartMs(spec, video.setAt);
  const per1000 = chat.perThousandViewers ?? 20;
  return {
    mode: chat.mode ?? 'on',
    live,
    timeoutMs: chat.timeoutMs ?? 5000,
    perMinute(minuteMs) {
      if (minuteMs + MINUTE <= start) return 0;
      // A hidden count still has viewers: the chat follows the default curve.
      const viewers = countAt(spec.curve ?? DEFAULT_CURVE, seed, videoId, start, minuteMs);
      const n = chat.perMinute ?? Math.round((viewers * per1000) / 1000);
      return Math.min(MAX_PER_MINUTE, Math.max(0, Math.floor(n)));
    },
  };
}

/** The messages posted after `afterMs` up to and including `upToMs`: n a minute, evenly spaced inside it. */
export function messagesBetween(videoId: string, chat: SimChat, afterMs: number, upToMs: number) {
  const out: { id: string; tsMs: number }[] = [];
  for (let minute = Math.floor(afterMs / MINUTE) * MINUTE; minute <= upToMs; minute += MINUTE) {
    const n = chat.perMinute(minute);
    for (let i = 0; i < n; i++) {
      const tsMs = minute + Math.floor(((i + 0.5) * MINUTE) / n);
      if (tsMs > afterMs && tsMs <= upToMs) out.push({ id: `${videoId}.${minute / MINUTE}.${i}`, tsMs });
      if (out.length === MAX_PER_ANSWER) return out;
    }
  }
  return out;
}

/** A continuation: the video and the time up to which its messages were handed out. */
export const chatToken = (videoId: string, afterMs: number) => `simchat.${videoId}.${afterMs}`;

export function readChatToken(token: string): { videoId: string; afterMs: number } | null {
  const m = /^simchat\.([\w-]{11})\.(\d{1,15})$/.exec(token);
  return m ? { videoId: m[1], afterMs: Number(m[2]) } : null;
}
