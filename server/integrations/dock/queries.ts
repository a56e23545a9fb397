// The dock page's one read: the event's name (null for an unknown event).
import type { Queryable } from '../../db/db.ts';
import { sql } from '../../db/sql.ts';

export async function eventName(db: Queryable, id: string): Promise<string | null> {
  const [row] = await db.query(sql<{ name: string }>`select name from events where id = ${id}`);
  return row?.name ?? null;
}
