// GET /api/events/:id/now.json, now.xml, now.csv: the event's number now, for tools that read a URL
// (vMix data sources, Companion, Singular, CasparCG). Same access as history. A public event's answer
// is cacheable for one polling interval with an ETag, so a CDN in front absorbs any number of readers.
import { createHash } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { AppDeps } from '../../app.ts';
import { eventIdParam } from '../../auth/access.ts';
import { notFound } from '../../errors.ts';
import type { AddressLimits } from '../../security/address-limits.ts';
import type { NowResponse } from '../../wire.ts';
import { nowCsv } from './now-csv.ts';
import { nowXml } from './now-xml.ts';
import { parseLocale } from './params.ts';
import { readNow } from './queries.ts';
import { nowSnapshot } from './snapshot.ts';
import { readLimit as limitReads } from '../../security/read-limit.ts';

type NowDeps = Pick<AppDeps, 'db' | 'config' | 'access' | 'bus'> & { now?: () => Date };

const FORMATS = {
  json: { type: 'application/json; charset=utf-8', render: (n: NowResponse) => JSON.stringify(n) },
  xml: { type: 'application/xml; charset=utf-8', render: nowXml },
  csv: { type: 'text/csv; charset=utf-8', render: nowCsv },
} as const;
type Format = keyof typeof FORMATS;

/** A strong ETag of the exact bytes: the same answer for every reader of a public event. */
const etagOf = (body: string) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;

/** RFC 9110 If-None-Match: `*`, or a list of (possibly weak) tags compared weakly. */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

export function nowRoutes(deps: NowDeps, limits: AddressLimits) {
  const app = new Hono();
  const clock = () => (deps.now?.() ?? new Date()).getTime();

  // Refusals (rate limit, private, unknown event, bad locale) must never be kept by a cache in front:
  // the answer changes the moment the admin fixes the event.
  // (Hono has already turned a thrown error into the app's error response when next() returns.)
  const refusalsUncached: MiddlewareHandler = async (c, next) => {
    await next();
    if (c.res.status >= 400) c.res.headers.set('Cache-Control', 'no-store');
  };
  const readLimit = limitReads(limits, deps.config);

  const handler = (format: Format) => async (c: Context) => {
    const eventId = eventIdParam(c);
    const locale = parseLocale(c.req.queries());
    const [status, read] = await Promise.all([deps.bus.statusMessage(eventId), readNow(deps.db, eventId)]);
    if (!read) throw notFound('Event'); // deleted since the access check
    const body = FORMATS[format].render(nowSnapshot(status, read.sample, locale, clock()));
    // Public: the same bytes for everyone, for one polling interval (a new count cannot come sooner).
    // Private: an embed token or the admin's cookie let this reader in, so nothing may keep a copy.
    const etag = etagOf(body);
    c.header(
      'Cache-Control',
      read.public ? `public, max-age=${Math.max(1, status.intervalSeconds)}` : 'private, no-store',
    );
    c.header('ETag', etag);
    if (matchesEtag(c.req.header('if-none-match'), etag)) return c.body(null, 304);
    c.header('Content-Type', FORMATS[format].type);
    if (format === 'csv') c.header('Content-Disposition', `inline; filename="${eventId}-now.csv"`);
    return c.body(body);
  };

  for (const format of Object.keys(FORMATS) as Format[]) {
    app.get(
      `/api/events/:id/now.${format}`,
      refusalsUncached,
      readLimit,
      deps.access.requireEventReader,
      handler(format),
    );
  }
  return app;
}
