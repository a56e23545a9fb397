// Admin routes of export jobs: queue one, follow its progress, download the finished file.
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import * as v from 'valibot';
import type { AppDeps } from '../app.ts';
import { ApiError, badParam, notFound } from '../errors.ts';
import { csvResponse } from '../history/csv-response.ts';
import { requireStream } from '../history/routes.ts';
import { assertStorableText } from '../json-body.ts';
import { eventIdParam } from '../auth/access.ts';
import { eventExists } from '../events/queries.ts';
import { csvFileName } from '../history/csv.ts';
import { parseWindow } from '../history/params.ts';
import { isId, newId } from '../ids.ts';
import type { ExportQueued, ExportStatus } from '../wire.ts';
import { getJob, insertJob, type ExportJob } from './queries.ts';
import { EXPORTS_CHANNEL, exportsDir } from './runner.ts';

const ExportRequest = v.strictObject(
  {
    type: v.picklist(['total', 'streams', 'stream'], 'expected total, streams or stream'),
    sid: v.optional(v.string('expected a stream id')),
    minutes: v.optional(v.union([v.number(), v.string()], 'expected a whole number of minutes')),
    from: v.optional(v.string('expected an ISO 8601 date and time')),
    to: v.optional(v.string('expected an ISO 8601 date and time')),
    delimiter: v.optional(v.picklist(['comma', 'semicolon'], 'expected comma or semicolon'), 'comma'),
    bom: v.optional(v.boolean('expected true or false'), false),
  },
  'unknown field: accepted are type, sid, minutes, from, to, delimiter, bom',
);

function toStatus(job: ExportJob): ExportStatus {
  const percent =
    job.state === 'done'
      ? 100
      : job.rowsExpected
        ? Math.min(99, Math.floor((job.rowsWritten / job.rowsExpected) * 100))
        : job.rowsExpected === 0
          ? 0
          : null;
  return {
    jobId: job.id,
    eventId: job.eventId,
    type: job.kind,
    state: job.state,
    error: job.error,
    rowsWritten: job.rowsWritten,
    rowsExpected: job.rowsExpected,
    percent,
    createdAt: job.createdAt.toISOString(),
    expiresAt: job.expiresAt.toISOString(),
  };
}

async function jobFrom(deps: AppDeps, id: string | undefined): Promise<ExportJob> {
  if (!isId(id)) throw notFound('Export');
  const job = await getJob(deps.db, id);
  if (!job) throw notFound('Export');
  return job;
}

export function exportRoutes(deps: AppDeps) {
  const app = new Hono();
  const { db, config } = deps;

  app.post('/api/events/:id/export', deps.access.requireAdmin, async (c) => {
    const eventId = eventIdParam(c);
    const body = await c.req.json<unknown>().catch(() => {
      throw new ApiError(400, 'validation_error', 'Expected a JSON body');
    });
    assertStorableText(body);
    const parsed = v.safeParse(ExportRequest, body, { abortPipeEarly: true });
    if (!parsed.success) {
      const issue = parsed.issues[0];
      const field = v.getDotPath(issue) ?? 'body';
      throw badParam(field, `${field}: ${issue.message}`);
    }
    const input = parsed.output;
    if (input.type === 'stream' && input.sid === undefined) throw badParam('sid', 'sid: required with type stream');
    if (input.type !== 'stream' && input.sid !== undefined) throw badParam('sid', 'sid: only with type stream');
    const window = parseWindow(
      {
        minutes: input.minutes === undefined ? undefined : [String(input.minutes)],
        from: input.from === undefined ? undefined : [input.from],
        to: input.to === undefined ? undefined : [input.to],
      },
      config.MAX_HISTORY_MINUTES,
    );
    if (!(await eventExists(db, eventId))) throw notFound('Event');
    const streamId = input.type === 'stream' ? await requireStream(db, eventId, input.sid) : null;
    const jobId = newId();
    await insertJob(db, {
      id: jobId,
      eventId,
      kind: input.type,
      streamId,
      window,
      delimiter: input.delimiter === 'semicolon' ? ';' : ',',
      bom: input.bom,
      ttlHours: config.EXPORT_TTL_HOURS,
    });
    await db.notify(EXPORTS_CHANNEL, jobId);
    c.header('Location', `/api/exports/${jobId}/status`);
    return c.json({ jobId } satisfies ExportQueued, 202);
  });

  app.get('/api/exports/:jobId/status', deps.access.requireAdmin, async (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(toStatus(await jobFrom(deps, c.req.param('jobId'))));
  });

  app.get('/api/exports/:jobId/download', deps.access.requireAdmin, async (c) => {
    const job = await jobFrom(deps, c.req.param('jobId'));
    if (job.state !== 'done' || !job.fileName)
      throw new ApiError(409, 'export_not_ready', `Export is ${job.state}, not done`);
    const path = join(exportsDir(config), job.fileName);
    // With several instances the file is on the disk of the one that ran the job, unless DATA_DIR is shared.
    await access(path).catch(() => {
      throw notFound('Export file');
    });
    const name = csvFileName({
      eventId: job.eventId,
      kind: job.kind,
      streamId: job.streamId ?? undefined,
      window: job.window,
    });
    return csvResponse(c, createReadStream(path), name);
  });

  return app;
}
