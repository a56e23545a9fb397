// The simulator's InnerTube (YouTube's internal API, as youtubei.js calls it): the session bootstrap
// (/sw.js_data, /youtubei/v1/config), /player and /next for a video's state and "watching now" count, and
// /navigation/resolve_url for a channel's /live link; plus 429 and consent/captcha blocks on demand.
// It reads the same simulated videos as the Data API stand-in, so one setVideo answers both sources alike.
//
// Shapes: the fields youtubei.js 18.1 reads, from its parsers in node_modules/youtubei.js/dist/src/parser/
// classes/ (misc/VideoDetails.js: isLive, isUpcoming, isLiveContent; PlayerMicroformat.js: liveBroadcastDetails;
// VideoPrimaryInfo.js + VideoViewCount.js: viewCount runs, isLive, originalViewCount; NavigationEndpoint.js:
// watchEndpoint / browseEndpoint), arranged as in the watch-page captures of tools/livechat/testing/
// innertube-fixtures.ts; the texts ("1,234 watching now", "57 waiting") are the en-US ones of the site.
// The live chat (issue 16): the watch page's conversation bar and live_chat/get_live_chat, in the shapes of
// chat-shapes.ts, with the messages of live-chat.ts.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { add, chatResponse, conversationBar, textMessage } from './chat-shapes.ts';
import { BACKLOG_MS, chatToken, MAX_PER_ANSWER, messagesBetween, readChatToken, type SimChat } from './live-chat.ts';

/** What the simulated YouTube says about a video right now (derived from its VideoSpec). */
export interface InnertubeVideo {
  state: 'live' | 'live_hidden' | 'upcoming' | 'ended' | 'not_live';
  viewers: number | null;
  title: string;
  channelTitle: string;
  scheduledStart: string | null;
  actualStart: string | null;
  actualEnd: string | null;
}

export interface InnertubeCall {
  at: string;
  path: string;
  videoId: string | null;
  url: string | null;
  hl: string | null;
  status: number;
}

export interface InnertubeSim {
  /** A channel link (`@handle`, `channel/UC…`, `c/name`, `user/name`) and the video its /live page shows now. */
  setChannel(ref: string, channel: { channelId: string; liveVideoId: string | null }): void;
  /** The next `times` InnerTube calls are refused: a 429, or the consent/captcha page YouTube shows bots. */
  block(kind: '429' | 'consent' | 'captcha', times?: number): void;
  calls(): InnertubeCall[];
  reset(): void;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean;
}

// The JSPB answer of /sw.js_data: data[0][2] = [[device_info], api_key]; youtubei.js's Session reads these
// indexes (the same answer as tools/livechat/testing/innertube-server.ts).
function swJsData(): string {
  const device: unknown[] = [];
  Object.assign(device, {
    0: 'en',
    1: 'US',
    3: '203.0.113.1',
    13: 'CgtWSVNJVE9SX0lEKgA%3D',
    16: '2.20250101.00.00',
    17: 'X11',
    18: '',
    61: ['CAgQAA'],
    86: 'Chrome',
    87: '125.0.0.0',
  });
  return `)]}'\n${JSON.stringify([[null, null, [[device], 'FAKE_API_KEY']]])}`;
}

export function innertubeSim(options: {
  now: () => number;
  video: (videoId: string) => InnertubeVideo | null;
  chat: (videoId: string) => SimChat | null;
}) {
  const channels = new Map<string, { channelId: string; liveVideoId: string | null }>();
  let blocks: { kind: '429' | 'consent' | 'captcha'; left: number }[] = [];
  let log: InnertubeCall[] = [];

  const sim: InnertubeSim = {
    setChannel(ref, channel) {
      channels.set(ref.toLowerCase(), { ...channel });
    },
    block(kind, times = 1) {
      blocks.push({ kind, left: times });
    },
    calls: () => structuredClone(log),
    reset() {
      channels.clear();
      blocks = [];
      log = [];
    },
    handle(req, res, url) {
      if (url.pathname === '/sw.js_data') {
        send(res, 200, swJsData(), 'application/json');
        return true;
      }
      if (!url.pathname.startsWith('/youtubei/v1/') || req.method !== 'POST') return false;
      void readJson(req).then((body) => answer(res, url.pathname.slice('/youtubei/v1/'.length), body));
      return true;
    },
  };

  function answer(res: ServerResponse, endpoint: string, body: Record<string, unknown>) {
    const client = (body.context as { client?: { hl?: string } } | undefined)?.client;
    const record: InnertubeCall = {
      at: new Date(options.now()).toISOString(),
      path: endpoint,
      videoId:
        typeof body.videoId === 'string'
          ? body.videoId
          : (readChatToken(typeof body.continuation === 'string' ? body.continuation : '')?.videoId ?? null),
      url: typeof body.url === 'string' ? body.url : null,
      hl: client?.hl ?? null,
      status: 200,
    };
    log.push(record);
    const reply = (status: number, value: unknown) => {
      record.status = status;
      json(res, status, value);
    };
    const block = endpoint === 'config' ? undefined : blocks[0];
    if (block) {
      if (--block.left === 0) blocks.shift();
      record.status = block.kind === '429' ? 429 : 200;
      // Google's "unusual traffic" page comes with a 429; the consent interstitial is an HTML 200.
      if (block.kind === 'consent') {
        return send(res, 200, '<!DOCTYPE html><html><title>Before you continue to YouTube</title></html>', 'text/html');
      }
      return send(
        res,
        block.kind === '429' ? 429 : 200,
        '<!DOCTYPE html><html><title>https://www.youtube.com/sorry/index</title><body>Our systems have detected unusual traffic</body></html>',
        'text/html',
      );
    }
    switch (endpoint) {
      case 'config':
        return reply(200, { responseContext: {}, configData: 'CONFIG' });
      case 'player':
      case 'next': {
        const id = record.videoId ?? '';
        const video = options.video(id);
        const chat = video ? options.chat(id) : null;
        if (endpoint === 'player') return reply(200, player(id, video, chat));
        return reply(200, next(video, id, chat, options.now()));
      }
      case 'live_chat/get_live_chat':
        return liveChat(typeof body.continuation === 'string' ? body.continuation : '', reply);
      case 'navigation/resolve_url':
        return resolve(record.url ?? '', reply);
    }
    reply(404, { error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } });
  }

  function liveChat(continuation: string, reply: (status: number, value: unknown) => void) {
    const token = readChatToken(continuation);
    const chat = token && options.chat(token.videoId);
    if (!token || !chat || chat.mode !== 'on') {
      return reply(400, { error: { code: 400, message: 'Invalid continuation', status: 'INVALID_ARGUMENT' } });
    }
    const upTo = options.now();
    const messages = messagesBetween(token.videoId, chat, token.afterMs, upTo);
    const actions = messages.map((m) =>
      add(textMessage(m.id, String(m.tsMs * 1000), 'Viewer', 'UCsimulatorviewer0000000', 'hello')),
    );
    // A stream that ended answers its last messages with no continuation: the chat is over.
    if (!chat.live) return reply(200, chatResponse(actions));
    const after = messages.length === MAX_PER_ANSWER ? messages[MAX_PER_ANSWER - 1].tsMs : upTo;
    reply(
      200,
      chatResponse(actions, {
        timedContinuationData: { continuation: chatToken(token.videoId, after), timeoutMs: chat.timeoutMs },
      }),
    );
  }

  function resolve(link: string, reply: (status: number, value: unknown) => void) {
    const path = new URL(link, 'https://www.youtube.com').pathname.replace(/^\/+|\/+$/g, '');
    const live = path.endsWith('/live');
    const channel = channels.get(decodeURIComponent(live ? path.slice(0, -'/live'.length) : path).toLowerCase());
    if (!channel) {
      return reply(404, { error: { code: 404, message: 'Requested entity was not found.', status: 'NOT_FOUND' } });
    }
    // A channel's /live page is its current live stream, or the next scheduled one; otherwise the channel page.
    if (live && channel.liveVideoId) {
      return reply(200, {
        responseContext: {},
        endpoint: {
          commandMetadata: {
            webCommandMetadata: {
              url: `/watch?v=${channel.liveVideoId}`,
              webPageType: 'WEB_PAGE_TYPE_WATCH',
              rootVe: 3832,
            },
          },
          watchEndpoint: { videoId: channel.liveVideoId },
        },
      });
    }
    reply(200, {
      responseContext: {},
      endpoint: {
        commandMetadata: {
          webCommandMetadata: {
            url: `/channel/${channel.channelId}`,
            webPageType: 'WEB_PAGE_TYPE_CHANNEL',
            rootVe: 3611,
            apiUrl: '/youtubei/v1/browse',
          },
        },
        browseEndpoint: { browseId: channel.channelId },
      },
    });
  }

  return sim;
}

// YouTube's answer to a viewer who is not a member (the exporter's fixtures hold the same words).
const MEMBERS_ONLY =
  'Join this channel to get access to members-only content like this video, and other exclusive perks.';

function player(videoId: string, video: InnertubeVideo | null, chat: SimChat | null) {
  if (!video) {
    return {
      responseContext: {},
      playabilityStatus: { status: 'ERROR', reason: 'This video is unavailable' },
    };
  }
  const wasLive = video.state !== 'not_live';
  const live = video.state === 'live' || video.state === 'live_hidden';
  const upcoming = video.state === 'upcoming';
  const start = upcoming ? video.scheduledStart : video.actualStart;
  return {
    responseContext: {},
    playabilityStatus: upcoming
      ? { status: 'LIVE_STREAM_OFFLINE', reason: 'This live event will begin in a few moments.' }
      : chat?.mode === 'members_only'
        ? { status: 'UNPLAYABLE', reason: MEMBERS_ONLY }
        : { status: 'OK', playableInEmbed: true },
    videoDetails: {
      videoId,
      title: video.title,
      lengthSeconds: live || upcoming ? '0' : '5400',
      channelId: 'UCsimulator000000000000a',
      author: video.channelTitle,
      viewCount: '48213',
      isLiveContent: wasLive,
      ...(live ? { isLive: true } : {}),
      ...(upcoming ? { isUpcoming: true } : {}),
    },
    microformat: {
      playerMicroformatRenderer: {
        title: { simpleText: video.title },
        lengthSeconds: live || upcoming ? '0' : '5400',
        ownerChannelName: video.channelTitle,
        externalChannelId: 'UCsimulator000000000000a',
        viewCount: '48213',
        category: 'Entertainment',
        ...(wasLive
          ? {
              liveBroadcastDetails: {
                isLiveNow: live,
                ...(start ? { startTimestamp: start } : {}),
                ...(video.actualEnd ? { endTimestamp: video.actualEnd } : {}),
              },
            }
          : {}),
      },
    },
  };
}

function next(video: InnertubeVideo | null, videoId: string, chat: SimChat | null, now: number) {
  const grouped = (n: number) => n.toLocaleString('en-US');
  let viewCount: object | undefined;
  if (video?.state === 'live' && video.viewers !== null) {
    viewCount = {
      viewCount: { runs: [{ text: grouped(video.viewers) }, { text: ' watching now' }] },
      isLive: true,
      extraShortViewCount: { simpleText: grouped(video.viewers) },
      unlabeledViewCountValue: { simpleText: grouped(video.viewers) },
      originalViewCount: '0',
    };
  } else if (video?.state === 'upcoming') {
    // An upcoming premiere or stream shows how many wait for it: not viewers.
    viewCount = { viewCount: { runs: [{ text: '57' }, { text: ' waiting' }] }, originalViewCount: '0' };
  } else if (video && video.state !== 'live_hidden') {
    viewCount = {
      viewCount: { simpleText: '48,213 views' },
      shortViewCount: { simpleText: '48K views' },
      originalViewCount: '48213',
    };
  }
  const primary = video
    ? [
        {
          videoPrimaryInfoRenderer: {
            title: { runs: [{ text: video.title }] },
            ...(viewCount ? { viewCount: { videoViewCountRenderer: viewCount } } : {}),
            dateText: {
              simpleText: video.state === 'upcoming' ? 'Scheduled for today' : 'Started streaming 20 minutes ago',
            },
          },
        },
      ]
    : [];
  const first = chatToken(videoId, now - BACKLOG_MS);
  const bar =
    chat?.mode === 'on'
      ? conversationBar({ isReplay: !chat.live, top: `${first}.top`, all: first })
      : chat?.mode === 'disabled'
        ? conversationBar({ disabledMessage: 'Chat is disabled for this live stream.' })
        : undefined;
  return {
    responseContext: {},
    contents: {
      twoColumnWatchNextResults: {
        results: { results: { contents: primary } },
        secondaryResults: { secondaryResults: { results: [] } },
        ...(bar ? { conversationBar: bar } : {}),
      },
    },
  };
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      if (text.length < 100_000) text += chunk;
    });
    req.on('end', () => {
      try {
        const value: unknown = JSON.parse(text);
        resolve(typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {});
      } catch {
        resolve({});
      }
    });
  });
}

function json(res: ServerResponse, status: number, value: unknown) {
  send(res, status, JSON.stringify(value), 'application/json; charset=UTF-8');
}

function send(res: ServerResponse, status: number, body: string, type: string) {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** The InnerTube view of a simulated video, read from the videos.list item the Data API stand-in builds. */
export function videoFromItem(state: InnertubeVideo['state'], item: Record<string, unknown>): InnertubeVideo {
  const snippet = (item.snippet ?? {}) as Record<string, unknown>;
  const live = (item.liveStreamingDetails ?? {}) as Record<string, unknown>;
  const text = (x: unknown) => (typeof x === 'string' ? x : null);
  const viewers = text(live.concurrentViewers);
  return {
    state,
    viewers: viewers !== null && /^\d+$/.test(viewers) ? Number(viewers) : null,
    title: text(snippet.title) ?? '',
    channelTitle: text(snippet.channelTitle) ?? '',
    scheduledStart: text(live.scheduledStartTime),
    actualStart: text(live.actualStartTime),
    actualEnd: text(live.actualEndTime),
  };
}
