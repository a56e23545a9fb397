// Token ids that may not be used again: single-use magic links once spent, and sessions after logout.
// One table (used_magic_links) for both; a row is needed only until its token would expire anyway.
import type { Queryable } from '../db/db.ts';

export async function isSpent(db: Queryable, jti: string): Promise<boolean> {
  return (await db.query('select 1 from used_magic_links where jti = $1', [jti])).length > 0;
}

/** Marks an id spent; of any number of parallel calls for one id, exactly one returns true. */
export async function spend(db: Queryable, jti: string, exp: number): Promise<boolean> {
  const rows = await db.query(
    'insert into used_magic_links (jti, expires_at) values ($1, to_timestamp($2)) on conflict (jti) do nothing returning jti',
    [jti, exp],
  );
  return rows.length === 1;
}

export async function forgetExpired(db: Queryable): Promise<void> {
  await db.query('delete from used_magic_links where expires_at < now()');
}
