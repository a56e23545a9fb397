// One youtubei.js (InnerTube) session, shared in kind by the poller's lookups (client.ts) and the chat
// reader (server/chat/youtubei-chat.ts): every youtube.com request goes to YouTube, or to the origin in
// `baseUrl` (the simulator, YT_INNERTUBE_BASE_URL), with a timeout; YouTube pushing back (a 429, a consent or
// captcha page, a page for people where JSON was asked) is thrown as PushedBackError, a 5xx as an Error that
// says so. Asked in English, so texts are predictable (counts are read from their digits anyway).
import { Innertube, Log } from 'youtubei.js';
import { timeoutSignal } from '../../timeout-signal.ts';

export class PushedBackError extends Error {
  override name = 'PushedBackError';
}

export interface SessionOptions {
  /** Empty: YouTube itself. Otherwise every youtube.com request goes to this origin (the simulator). */
  baseUrl?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** The session, created on first use and again after a failed creation. */
export function innertubeSession(options: SessionOptions): () => Promise<Innertube> {
  const baseFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  // youtubei.js logs parser and session trouble to the console; the callers report their own outcomes.
  Log.setLevel(Log.Level.NONE);

  const innertubeFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const original = new URL(input instanceof Request ? input.url : input);
    const url =
      options.baseUrl && /(^|\.)youtube\.com$/.test(original.hostname)
        ? new URL(original.pathname + original.search, `${options.baseUrl}/`)
        : original;
    const request = input instanceof Request ? new Request(url, input) : url;
    // Not AbortSignal.any with AbortSignal.timeout: see timeout-signal.ts (nodejs/node#57736).
    const signal = timeoutSignal(timeoutMs, init?.signal);
    const res = await baseFetch(request, { ...init, signal });
    const type = res.headers.get('content-type') ?? '';
    if (
      res.status === 429 ||
      /consent\.|\/sorry\//.test(res.url) ||
      (url.pathname.startsWith('/youtubei/') && type.includes('text/html'))
    ) {
      await res.body?.cancel();
      throw new PushedBackError(
        res.status === 429
          ? 'YouTube answered 429 (too many requests)'
          : 'YouTube answered with a consent or captcha page',
      );
    }
    if (res.status >= 500) {
      await res.body?.cancel();
      throw new Error(`YouTube answered HTTP ${res.status}`);
    }
    return res;
  };

  let session: Promise<Innertube> | undefined;
  return () => {
    session ??= Innertube.create({ fetch: innertubeFetch, retrieve_player: false, lang: 'en', location: 'US' }).catch(
      (error: unknown) => {
        session = undefined;
        throw error;
      },
    );
    return session;
  };
}
