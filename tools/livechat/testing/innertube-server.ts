// Test-only: a `fetch` that answers youtubei.js like YouTube would, from fixtures, with no network.
// youtubei.js first loads /sw.js_data and /youtubei/v1/config (session), then /player and /next
// (getInfo), then the chat endpoints with a continuation token in the JSON body.

export type Answer = object | { status: number } | Error | 'hang';

export interface Scenario {
  player: object;
  next: object;
  /** Answers of get_live_chat / get_live_chat_replay by continuation token; a list is served in turn. */
  chat?: Record<string, Answer | Answer[]>;
}

export interface RecordedRequest {
  path: string;
  body?: Record<string, unknown>;
}

// The JSPB answer of /sw.js_data: data[0][2] = [[device_info], api_key]; Session reads these indexes.
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

export function innertubeServer(scenario: Scenario) {
  const requests: RecordedRequest[] = [];
  const queues = new Map(
    Object.entries(scenario.chat ?? {}).map(([token, a]) => [token, Array.isArray(a) ? [...a] : [a]]),
  );

  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input);
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : undefined;
    requests.push({ path: url.pathname, body });
    switch (url.pathname) {
      case '/sw.js_data':
        return new Response(swJsData());
      case '/youtubei/v1/config':
        return json({ responseContext: {}, configData: 'CONFIG' });
      case '/youtubei/v1/player':
        return json(scenario.player);
      case '/youtubei/v1/next':
        return json(scenario.next);
      case '/youtubei/v1/live_chat/get_live_chat':
      case '/youtubei/v1/live_chat/get_live_chat_replay': {
        const queue = queues.get(String(body?.continuation));
        const answer = queue && queue.length > 1 ? queue.shift() : queue?.[0];
        if (answer === undefined)
          return json({ error: { code: 400, message: 'Invalid continuation', status: 'INVALID_ARGUMENT' } }, 400);
        return respond(answer, init?.signal ?? undefined);
      }
    }
    return new Response('Not Found', { status: 404 });
  };
  return {
    fetch: fetch,
    requests,
    chatRequests: () => requests.filter((r) => r.path.includes('/live_chat/')),
  };
}

function respond(answer: Answer, signal: AbortSignal | undefined): Promise<Response> | Response {
  if (answer === 'hang') {
    return new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason), { once: true }));
  }
  if (answer instanceof Error) throw answer;
  if ('status' in answer && typeof answer.status === 'number')
    return json({ error: { code: answer.status } }, answer.status);
  return json(answer);
}

const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json; charset=UTF-8' } });
