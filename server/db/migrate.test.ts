import { describe, expect, it } from 'vitest';
import { openPostgres } from './postgres.ts';
import { migrate, readMigrations } from './migrate.ts';
import { sql } from './sql.ts';
import { engines, openBlankDb } from '../testing/test-db.ts';

describe.each(engines)('migrations on %s', (engine) => {
  it('apply once, and a second run does nothing and harms nothing', async () => {
    const t = await openBlankDb(engine);
    try {
      const first = await migrate(t.db);
      expect(first).toEqual(readMigrations().map((m) => m.name));
      await t.db.query(sql`insert into events (id, name, embed_key) values ('e1', 'Kept', 'k')`);
      expect(await migrate(t.db)).toEqual([]);
      const rows = await t.db.query(sql<{ name: string }>`select name from events`);
      expect(rows).toEqual([{ name: 'Kept' }]);
      const tables = await t.db.query(
        sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_schema = 'public'
           and table_name in ('events','streams','samples','stream_samples','export_jobs','quota_usage','used_magic_links')`,
      );
      expect(tables[0].n).toBe(7);
      const indexes = (
        await t.db.query(
          sql<{ def: string }>`select indexdef as def from pg_indexes where tablename in ('samples','stream_samples')`,
        )
      ).map((r) => r.def);
      expect(indexes.some((d) => /samples.*\(event_id, ts\)/.test(d))).toBe(true);
      expect(indexes.some((d) => /stream_samples.*\(event_id, stream_id, ts\)/.test(d))).toBe(true);
      expect(indexes.some((d) => /stream_samples_event_ts.*\(event_id, ts\)/.test(d))).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('roll back entirely when a migration fails', async () => {
    const t = await openBlankDb(engine);
    try {
      const broken = [
        ...readMigrations(),
        { version: 999, name: '999_broken.sql', text: 'create table ok_table (x int);\nselect * from no_such_table;' },
      ];
      await expect(migrate(t.db, broken)).rejects.toThrow(/no_such_table/);
      const [row] = await t.db.query(
        sql<{
          n: number;
        }>`select count(*)::int as n from information_schema.tables where table_name in ('events', 'ok_table')`,
      );
      expect(row.n).toBe(0);
    } finally {
      await t.close();
    }
  });

  it.runIf(engine === 'postgres')('are safe under two concurrent starters', async () => {
    const t = await openBlankDb(engine);
    const second = openPostgres(t.url!, { max: 1 });
    try {
      const [a, b] = await Promise.all([migrate(t.db), migrate(second)]);
      expect([...a, ...b].sort()).toEqual(readMigrations().map((m) => m.name));
      const [row] = await t.db.query(sql<{ n: number }>`select count(*)::int as n from schema_migrations`);
      expect(row.n).toBe(readMigrations().length);
    } finally {
      await second.close();
      await t.close();
    }
  });
});
