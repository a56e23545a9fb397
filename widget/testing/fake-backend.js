// A stand-in for the LivePulse server's stream and history routes, as a @web/test-runner middleware:
// each test drives its own event (SSE history/status/samples/milestones/chat, the milestones list, the admin's
// PATCH of a stream, refusals, outages) through /__fake/:id.
// Plain JavaScript because the test runner's config loads it without a TypeScript loader.

/** @typedef {'ok' | 'unauthorized' | 'missing' | 'down'} Mode */

/** @type {Map<string, {mode: Mode, token: string | null, history: unknown, status: any, milestones: unknown[], samples: {id: string, data: unknown}[], clients: Set<import('node:http').ServerResponse>, opened: number, resumedFrom: string[]}>} */
const events = new Map();

function event(id) {
  let e = events.get(id);
  if (!e) {
    e = {
      mode: 'ok',
      token: null,
      history: null,
      status: null,
      samples: [],
      milestones: [],
      patches: [],
      clients: new Set(),
      opened: 0,
      resumedFrom: [],
    };
    events.set(id, e);
  }
  return e;
}

const send = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
  res.end(JSON.stringify(body));
};

const frame = (name, data, id) => `${id ? `id: ${id}\n` : ''}event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

/** The refusal the real server would answer with, or null when the request may read the event. */
function refusal(e, token) {
  if (e.mode === 'missing') return [404, { error: { code: 'not_found', message: 'Event not found' } }];
  if (e.mode === 'unauthorized' || (e.token && e.token !== token))
    return [401, { error: { code: 'unauthorized', message: 'A valid token is required' } }];
  if (e.mode === 'down') return [503, { error: { code: 'unavailable', message: 'Down for the test' } }];
  return null;
}

function stream(req, res, e, url) {
  e.opened++;
  const refused = refusal(e, url.searchParams.get('token'));
  if (refused) return send(res, ...refused);
  const resume = req.headers['last-event-id'] ?? url.searchParams.get('lastEventId');
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'access-control-allow-origin': '*',
  });
  res.write('retry: 300\n\n');
  if (resume) {
    e.resumedFrom.push(String(resume));
    for (const s of e.samples) if (Number(s.id) > Number(resume)) res.write(frame('sample', s.data, s.id));
  } else res.write(frame('history', e.history));
  if (e.status) res.write(frame('status', e.status));
  e.clients.add(res);
  req.on('close', () => e.clients.delete(res));
}

async function control(req, res, e, action) {
  let body = '';
  for await (const chunk of req) body += chunk;
  const input = body ? JSON.parse(body) : {};
  if (action === 'setup') {
    Object.assign(e, input);
    // A changed mode applies to the next connection: end the open ones so clients come back and meet it.
    if (input.mode && input.mode !== 'ok') for (const c of e.clients) c.end();
  } else if (action === 'sample') {
    const id = String(Date.parse(input.ts));
    e.samples.push({ id, data: input });
    for (const c of e.clients) c.write(frame('sample', input, id));
  } else if (action === 'status') {
    e.status = input;
    // A final refusal ends the stream right after the frame, as the real server does.
    const final = input.state === 'denied' || input.state === 'not_found';
    for (const c of e.clients) {
      if (final) c.end(frame('status', input));
      else c.write(frame('status', input));
    }
  } else if (action === 'milestone') {
    e.milestones.push(input);
    for (const c of e.clients) c.write(frame('milestone', input));
  } else if (action === 'chat') {
    for (const c of e.clients) c.write(frame('chat', input));
  } else if (action === 'drop') {
    for (const c of e.clients) c.end();
  }
  send(res, 200, { opened: e.opened, open: e.clients.size, resumedFrom: e.resumedFrom, patches: e.patches });
}

/** PATCH /api/events/:id/streams/:sid as the admin sends it: recorded, and answered with the stream as changed
 * (chat switched on is 'pending' until the server reads a minute, off is 'off'). */
async function patchStream(req, res, e, sid) {
  let body = '';
  for await (const chunk of req) body += chunk;
  const input = body ? JSON.parse(body) : {};
  e.patches.push({ sid, body: input });
  const stream = e.status?.streams.find((s) => s.id === sid);
  if (!stream) return send(res, 404, { error: { code: 'not_found', message: 'Stream not found' } });
  if (input.chat !== undefined) Object.assign(stream, { chat: input.chat ? 'pending' : 'off', chatReason: null });
  send(res, 200, stream);
}

/** Koa middleware for the test runner's dev server. */
export function fakeBackend() {
  return async (ctx, next) => {
    const url = new URL(ctx.url, 'http://localhost');
    const api = /^\/api\/events\/([^/]+)\/(stream|history|milestones)$/.exec(url.pathname);
    const ctl = /^\/__fake\/([^/]+)(?:\/(sample|status|milestone|chat|drop))?$/.exec(url.pathname);
    const patch = ctx.method === 'PATCH' && /^\/api\/events\/([^/]+)\/streams\/([^/]+)$/.exec(url.pathname);
    if (patch) {
      ctx.respond = false;
      return patchStream(ctx.req, ctx.res, event(decodeURIComponent(patch[1])), decodeURIComponent(patch[2]));
    }
    // The admin's GET of one event (the editor loads it once): its streams as the status frame lists them.
    const one = ctx.method === 'GET' && /^\/api\/events\/([^/]+)$/.exec(url.pathname);
    if (one) {
      ctx.respond = false;
      const e = event(decodeURIComponent(one[1]));
      const id = decodeURIComponent(one[1]);
      const info = { id, name: 'Fake event', public: true, paused: false, startsAt: null, endsAt: null };
      return send(ctx.res, 200, {
        ...info,
        createdAt: new Date(0).toISOString(),
        streams: e.status?.streams ?? [],
        milestones: [],
      });
    }
    if (!api && !ctl) return next();
    ctx.respond = false; // raw responses: SSE must not be buffered by the dev server's body handling
    if (ctl)
      return control(
        ctx.req,
        ctx.res,
        event(decodeURIComponent(ctl[1])),
        ctl[2] ?? (ctx.method === 'POST' ? 'setup' : 'stats'),
      );
    const e = event(decodeURIComponent(api[1]));
    if (api[2] === 'stream') return stream(ctx.req, ctx.res, e, url);
    const refused = refusal(e, url.searchParams.get('token'));
    if (refused) return send(ctx.res, ...refused);
    return send(ctx.res, 200, api[2] === 'milestones' ? { milestones: e.milestones } : e.history);
  };
}
