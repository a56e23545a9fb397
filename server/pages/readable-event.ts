// Who may see an event's page (dashboard, report, OBS dock): the admin's session, a valid embed token, or
// anyone for a public event. Only then is the page told the event's name; an unknown event is told apart.
import type { Context } from 'hono';
import { publicReader } from '../auth/access.ts';
import { createSessions } from '../auth/session.ts';
import type { Config } from '../config.ts';
import type { Db } from '../db/db.ts';
import { eventName } from '../events/queries.ts';
import { isId } from '../ids.ts';
import { escapeHtml } from './shell.ts';

export type ReadableEvent = (c: Context, id: string) => Promise<{ exists: boolean; name: string | null }>;

export function readableEvent(config: Config, db: Db, sessionNow?: () => Date): ReadableEvent {
  const sessions = createSessions(config, db, sessionNow);
  return async (c, id) => {
    if (!isId(id)) return { exists: false, name: null };
    const name = await eventName(db, id);
    if (name === null) return { exists: false, name: null };
    const reader = await publicReader(config, db, id, c.req.query('token'));
    const allowed = reader !== null || (await sessions.read(c)).state === 'valid';
    return { exists: true, name: allowed ? name : null };
  };
}

/** An HTML attribute for a page's element, escaped and bounded; nothing for an empty value. */
export const attr = (name: string, value: string | undefined) =>
  value ? ` ${name}="${escapeHtml(value.slice(0, 2000))}"` : '';
