// The admin API for events and their streams. Adding a stream parses whatever YouTube link was
// pasted, then asks YouTube once for its title and channel (one quota unit).
import { Hono } from 'hono';
import * as v from 'valibot';
import type { Access } from '../auth/access.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/db.ts';
import { ApiError, notFound } from '../errors.ts';
import { isId, newEmbedKey, newId } from '../ids.ts';
import { eventIdParam } from '../auth/access.ts';
import { IsoInstant, jsonBody } from '../json-body.ts';
import type { Poller } from '../poller/poller.ts';
import { faultStatus } from '../poller/tick.ts';
import type { Bus } from '../realtime/bus.ts';
import { parseLink, type Link } from '../sources/links.ts';
import type { EventInfo, StreamStatus } from '../wire.ts';
import * as q from './queries.ts';
import { setThresholds, thresholdsOf } from '../milestones/queries.ts';
import { setChatEnabled } from '../chat/queries.ts';

export interface EventsDeps {
  db: Db;
  access: Access;
  poller: Pick<Poller, 'lookup' | 'wake' | 'quota'>;
  bus: Pick<Bus, 'streamsChanged' | 'accessChanged'>;
  config: Pick<Config, 'TWITCH_CLIENT_ID'>;
}

const Name = v.pipe(
  v.string('expected a string'),
  v.trim(),
  v.minLength(1, 'must not be empty'),
  v.maxLength(200, 'at most 200 characters'),
);
const Label = v.pipe(v.string('expected a string'), v.trim(), v.maxLength(200, 'at most 200 characters'));
// Renaming to nothing is refused rather than read as "use the video's title": a stream with no name shows
// as a bare icon on the cards and "· YouTube" on the chart, and the admin would not see which title it got.
// (Adding a stream with no label still takes the video's title or the channel's name: nothing to rename yet.)
const NewLabel = v.pipe(Label, v.minLength(1, 'must not be empty'));
const When = v.nullable(IsoInstant);

const CreateEvent = v.strictObject({
  name: Name,
  public: v.optional(v.boolean('expected true or false')),
  startsAt: v.optional(When),
  endsAt: v.optional(When),
});
// Viewer thresholds (issue 16): whole numbers from 1 to 10^15, at most 30, kept sorted and distinct.
const Milestones = v.pipe(
  v.array(
    v.pipe(
      v.number('expected whole numbers'),
      v.integer('expected whole numbers'),
      v.minValue(1, 'expected numbers from 1'),
      v.maxValue(1e15, 'expected numbers up to 10^15'),
    ),
    'expected a list of viewer counts',
  ),
  v.maxLength(30, 'at most 30 thresholds'),
  v.transform((list) => [...new Set(list)].sort((a, b) => a - b)),
);
const PatchEvent = v.strictObject({
  milestones: v.optional(Milestones),
  name: v.optional(Name),
  public: v.optional(v.boolean('expected true or false')),
  paused: v.optional(v.boolean('expected true or false')),
  startsAt: v.optional(When),
  endsAt: v.optional(When),
});
const AddStream = v.strictObject({
  url: v.pipe(
    v.string('expected a YouTube video or channel link, a video id, or a Twitch channel link'),
    v.maxLength(2048, 'at most 2048 characters'),
  ),
  label: v.optional(Label),
});
const PatchStream = v.strictObject({
  label: v.optional(NewLabel),
  position: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000))),
  chat: v.optional(v.boolean('expected true or false')),
});

/** A channel's default label: its handle or name, not its URL (rows of "youtube.com/cha…" look alike once cut). */
function channelLabel(link: Exclude<Link, { kind: 'video' }>): string {
  if (link.platform === 'twitch') return link.login;
  return link.channel.by === 'handle' ? `@${link.channel.value}` : link.channel.value;
}

function checkWindow(startsAt: Date | null | undefined, endsAt: Date | null | undefined) {
  if (startsAt && endsAt && startsAt >= endsAt)
    throw new ApiError(400, 'validation_error', 'endsAt: must be after startsAt', 'endsAt');
}

export function eventRoutes(deps: EventsDeps) {
  const { db } = deps;
  const app = new Hono();

  const loaded = async (id: string) => (await q.getEvent(db, id)) ?? Promise.reject(notFound('Event'));
  /** One event as the admin edits it: with its milestone thresholds. */
  const withThresholds = async (id: string): Promise<EventInfo> => ({
    ...(await loaded(id)),
    milestones: await thresholdsOf(db, id),
  });
  // On each route rather than on path patterns: a pattern like /api/events/:id/streams/:sid would also
  // catch public read routes such as /api/events/:id/streams/history.csv.
  const admin = deps.access.requireAdmin;

  app.get('/api/events', admin, async (c) => c.json(await q.listEvents(db)));

  app.post('/api/events', admin, async (c) => {
    const body = await jsonBody(c, CreateEvent);
    checkWindow(body.startsAt, body.endsAt);
    const id = newId();
    await q.insertEvent(db, {
      id,
      name: body.name,
      public: body.public ?? false,
      startsAt: body.startsAt ?? null,
      endsAt: body.endsAt ?? null,
      embedKey: newEmbedKey(),
    });
    return c.json(await loaded(id), 201);
  });

  app.get('/api/events/:id', admin, async (c) => c.json(await withThresholds(eventIdParam(c))));

  app.patch('/api/events/:id', admin, async (c) => {
    const id = eventIdParam(c);
    const body = await jsonBody(c, PatchEvent);
    const current = await loaded(id);
    checkWindow(
      body.startsAt !== undefined ? body.startsAt : current.startsAt ? new Date(current.startsAt) : null,
      body.endsAt !== undefined ? body.endsAt : current.endsAt ? new Date(current.endsAt) : null,
    );
    const { milestones, ...patch } = body;
    await q.updateEvent(db, id, patch);
    if (milestones) await setThresholds(db, id, milestones);
    // Made private: its anonymous streams end now, not at their next reconnect.
    if (body.public === false) await deps.bus.accessChanged([id]);
    if (body.paused !== undefined || body.startsAt !== undefined || body.endsAt !== undefined) deps.poller.wake();
    return c.json(await withThresholds(id));
  });

  app.delete('/api/events/:id', admin, async (c) => {
    const id = eventIdParam(c);
    if (!(await q.deleteEvent(db, id))) throw notFound('Event');
    await deps.bus.accessChanged([id]);
    return c.body(null, 204);
  });

  app.post('/api/events/:id/streams', admin, async (c) => {
    const id = eventIdParam(c);
    const body = await jsonBody(c, AddStream);
    if (!(await q.eventExists(db, id))) throw notFound('Event');
    const parsed = parseLink(body.url);
    if (!parsed.ok) throw new ApiError(400, parsed.code, parsed.message, 'url');
    const link = parsed.link;
    if (link.kind === 'channel') {
      if (link.platform === 'twitch' && !deps.config.TWITCH_CLIENT_ID) {
        throw new ApiError(
          400,
          'twitch_not_configured',
          'Twitch links need a Twitch app: set TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET (dev.twitch.tv/console) and restart.',
          'url',
        );
      }
      // A channel is resolved by the poller (its current or next live video), not here: no quota spent.
      const sid = newId();
      const added = await q.insertStream(db, {
        id: sid,
        eventId: id,
        platform: link.platform,
        target: link.target,
        follows: link.platform === 'youtube',
        videoId: null,
        login: link.platform === 'twitch' ? link.login : null,
        label: body.label || channelLabel(link),
        status: 'pending',
        statusReason: null,
        scheduledStart: null,
        title: null,
        channelTitle: null,
      });
      if (!added) throw new ApiError(409, 'duplicate_stream', `${link.target} is already in this event`, 'url');
      await deps.bus.streamsChanged(id);
      deps.poller.wake();
      return c.json(await q.getStream(db, id, sid), 201);
    }
    const videoId = link.videoId;

    const lookup = await deps.poller.lookup(videoId);
    if (!lookup.ok && 'missing' in lookup) {
      throw new ApiError(
        422,
        'video_not_found',
        `YouTube does not know the video ${videoId}, or it is private or deleted`,
        'url',
      );
    }
    let status: StreamStatus = 'pending';
    let statusReason: string | null = null;
    if (!lookup.ok && 'noKey' in lookup) {
      status = 'no_api_key';
      statusReason = 'no YouTube API key is configured';
    } else if (!lookup.ok && 'fault' in lookup) {
      // YouTube could not be asked now (quota, key, network): keep the stream, the poller will fill it in.
      ({ status, reason: statusReason } = faultStatus(lookup.fault));
    }
    const video = lookup.ok ? lookup.video : null;
    const sid = newId();
    const added = await q.insertStream(db, {
      id: sid,
      eventId: id,
      videoId: videoId,
      label: body.label || video?.title?.slice(0, 200) || videoId,
      status,
      statusReason,
      scheduledStart: video?.scheduledStart ?? null,
      title: video?.title ?? null,
      channelTitle: video?.channelTitle ?? null,
    });
    if (!added) throw new ApiError(409, 'duplicate_stream', `The video ${videoId} is already in this event`, 'url');
    await deps.bus.streamsChanged(id);
    deps.poller.wake();
    return c.json(await q.getStream(db, id, sid), 201);
  });

  app.patch('/api/events/:id/streams/:sid', admin, async (c) => {
    const id = eventIdParam(c);
    const sid = c.req.param('sid');
    const { chat, ...body } = await jsonBody(c, PatchStream);
    if (!isId(sid)) throw notFound('Stream');
    if (chat !== undefined) {
      // Chat activity (issue 16) is read from YouTube's live chat; Twitch's is not read.
      const stream = await q.getStream(db, id, sid);
      if (!stream) throw notFound('Stream');
      if (stream.platform !== 'youtube')
        throw new ApiError(400, 'chat_not_supported', 'Chat activity is read for YouTube streams only', 'chat');
    }
    if (!(await q.updateStream(db, id, sid, body))) throw notFound('Stream');
    if (chat !== undefined) await setChatEnabled(db, id, sid, chat);
    await deps.bus.streamsChanged(id);
    return c.json(await q.getStream(db, id, sid));
  });

  app.delete('/api/events/:id/streams/:sid', admin, async (c) => {
    const id = eventIdParam(c);
    const sid = c.req.param('sid');
    if (!isId(sid) || !(await q.deleteStream(db, id, sid))) throw notFound('Stream');
    await deps.bus.streamsChanged(id);
    return c.body(null, 204);
  });

  app.get('/api/quota', admin, async (c) => c.json(await deps.poller.quota()));

  return app;
}
