// The simulator's HTTP control interface under /_control/ (JSON), one route per in-process method, so a
// demo script or another process can script YouTube. Bodies are validated here, at the edge.
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as v from 'valibot';
import { VIDEO_ID } from '../youtube/video-url.ts';
import { MAX_COUNT } from './count-curve.ts';
import { FAULTS } from './error-bodies.ts';
import type { Simulator } from './simulator.ts';

const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_COUNT));
const isoTime = v.pipe(v.string(), v.isoTimestamp('expected an ISO 8601 timestamp'));
const fields = v.optional(v.record(v.string(), v.unknown()));

const Curve = v.variant('kind', [
  v.strictObject({ kind: v.literal('constant'), value: count }),
  v.strictObject({
    kind: v.literal('moving'),
    base: count,
    amplitude: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(MAX_COUNT))),
    periodSeconds: v.optional(v.pipe(v.number(), v.minValue(1), v.maxValue(86_400))),
    trendPerHour: v.optional(v.pipe(v.number(), v.minValue(-MAX_COUNT), v.maxValue(MAX_COUNT))),
    noise: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1))),
  }),
]);

const Spec = v.strictObject({
  state: v.picklist(['live', 'live_hidden', 'upcoming', 'ended', 'not_live', 'missing']),
  title: v.optional(v.pipe(v.string(), v.maxLength(500))),
  channelTitle: v.optional(v.pipe(v.string(), v.maxLength(500))),
  scheduledStart: v.optional(isoTime),
  actualStart: v.optional(isoTime),
  actualEnd: v.optional(isoTime),
  curve: v.optional(Curve),
  raw: v.optional(v.strictObject({ snippet: fields, liveStreamingDetails: fields })),
});

const TwitchChannel = v.strictObject({
  live: v.boolean(),
  curve: v.optional(Curve),
  title: v.optional(v.pipe(v.string(), v.maxLength(500))),
  startedAt: v.optional(isoTime),
});
const TWITCH_LOGIN = /^[a-z0-9][a-z0-9_]{3,24}$/;

const Fault = v.strictObject({
  fault: v.picklist(FAULTS),
  times: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000))),
  retryAfterSeconds: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(86_400))),
  hangMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(600_000))),
});

const MAX_BODY = 64 * 1024;

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Routes: GET videos, PUT|POST videos/:id, DELETE videos/:id, PUT|POST videos/:id/curve, PUT|POST twitch/:login, POST faults, GET calls, POST reset. */
export async function handleControl(sim: Simulator, req: IncomingMessage, res: ServerResponse, route: string) {
  try {
    const result = await dispatch(sim, req, route.split('/'));
    reply(res, 200, result);
  } catch (error) {
    const status = error instanceof ControlError ? error.status : 500;
    const code =
      status === 404 ? 'not_found' : status === 413 ? 'too_large' : status >= 500 ? 'internal' : 'bad_request';
    reply(res, status, { error: { code, message: (error as Error).message } });
  }
}

async function dispatch(sim: Simulator, req: IncomingMessage, path: string[]): Promise<unknown> {
  const method = req.method ?? 'GET';
  // PUT and POST both set: callers need not remember which one a route wants.
  const verb = method === 'PUT' || method === 'POST' ? 'SET' : method;
  const [what, id, sub] = path;
  const route = `${verb} ${what}${id === undefined ? '' : '/:id'}${sub === undefined ? '' : `/${sub}`}`;
  if (path.length > 3) throw new ControlError(404, `no control route ${method} /_control/${path.join('/')}`);
  if (id !== undefined && what === 'videos' && !VIDEO_ID.test(id)) {
    throw new ControlError(400, 'the video id must be 11 characters: letters, digits, - and _');
  }
  if (id !== undefined && what === 'twitch' && !TWITCH_LOGIN.test(id)) {
    throw new ControlError(400, 'a Twitch login is 4 to 25 characters: lowercase letters, digits and _');
  }
  switch (route) {
    case 'GET videos':
      return sim.videos();
    case 'SET videos/:id':
      sim.setVideo(id, parse(Spec, await readJson(req)));
      return { ok: true };
    case 'DELETE videos/:id':
      sim.setVideo(id, { state: 'missing' });
      return { ok: true };
    case 'SET videos/:id/curve': {
      const curve = parse(Curve, await readJson(req));
      try {
        sim.setCurve(id, curve);
      } catch (error) {
        // The one refusal setCurve has: the video is not a live one of the simulator. A caller's mistake.
        throw new ControlError(400, (error as Error).message);
      }
      return { ok: true };
    }
    case 'SET twitch/:id':
      sim.twitch.setChannel(id, parse(TwitchChannel, await readJson(req)));
      return { ok: true };
    case 'SET faults': {
      const { fault, ...opts } = parse(Fault, await readJson(req));
      sim.injectFault(fault, opts);
      return { ok: true };
    }
    case 'GET calls':
      return sim.calls();
    case 'SET reset':
      sim.reset();
      return { ok: true };
    default:
      throw new ControlError(404, `no control route ${method} /_control/${path.join('/')}`);
  }
}

function parse<T extends v.GenericSchema>(schema: T, body: unknown): v.InferOutput<T> {
  const result = v.safeParse(schema, body);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const path = v.getDotPath(issue);
  throw new ControlError(400, `${path ? `${path}: ` : ''}${issue.message}`);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ControlError(413, `the body is larger than ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
  } catch {
    throw new ControlError(400, 'the body is not valid JSON');
  }
}

function reply(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body ?? null);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}
