// What /metrics reads from the database at scrape time: streams by status, export jobs by state. Both are
// the whole deployment's figures (every instance shares the database), not this instance's.
import type { Queryable } from '../../db/db.ts';
import { sql } from '../../db/sql.ts';

export async function streamsByStatus(db: Queryable): Promise<{ status: string; count: number }[]> {
  const rows = await db.query(
    sql<{ status: string; n: number | string }>`select status, count(*) as n from streams group by status`,
  );
  return rows.map((r) => ({ status: r.status, count: Number(r.n) }));
}

export async function exportJobsByState(db: Queryable): Promise<{ state: string; count: number }[]> {
  const rows = await db.query(
    sql<{ state: string; n: number | string }>`select state, count(*) as n from export_jobs group by state`,
  );
  return rows.map((r) => ({ state: r.state, count: Number(r.n) }));
}

export async function webhookDeliveriesByState(db: Queryable): Promise<{ state: string; count: number }[]> {
  const rows = await db.query(
    sql<{ state: string; n: number | string }>`select state, count(*) as n from webhook_deliveries group by state`,
  );
  return rows.map((r) => ({ state: r.state, count: Number(r.n) }));
}
