import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type { Db, Row } from './db.ts';
import { engines, openTestDb, type TestDb } from '../testing/test-db.ts';
import { compile, Sql, sql, SqlError, toStatement } from './sql.ts';

describe('sql compiles', () => {
  it('values to $1…$n in order, never into the text', () => {
    const id = 'e1';
    const since = new Date('2026-01-01T00:00:00Z');
    expect(compile(sql`select name from events where id = ${id} and created_at >= ${since}`)).toEqual({
      text: 'select name from events where id = $1 and created_at >= $2',
      values: ['e1', since],
    });
  });

  it('a statement with no values as its text alone', () => {
    expect(compile(sql`select 1`)).toEqual({ text: 'select 1', values: [] });
  });

  it('nested fragments, renumbering their parameters after the ones before them', () => {
    const inner = sql`b = ${2} and c = ${3}`;
    const q = sql`select * from t where a = ${1} and ${inner} and d = ${4}`;
    expect(compile(q)).toEqual({
      text: 'select * from t where a = $1 and b = $2 and c = $3 and d = $4',
      values: [1, 2, 3, 4],
    });
    // Fragments are immutable and reusable: the same one twice gets fresh numbers each time.
    expect(compile(sql`${inner} or ${inner}`)).toEqual({
      text: 'b = $1 and c = $2 or b = $3 and c = $4',
      values: [2, 3, 2, 3],
    });
    expect(compile(inner)).toEqual({ text: 'b = $1 and c = $2', values: [2, 3] });
    expect(Object.isFrozen(q) && Object.isFrozen(q.values) && Object.isFrozen(q.strings)).toBe(true);
  });

  it('fragments at the edges and fragments of fragments', () => {
    const a = sql`${sql`x = ${1}`}`;
    const b = sql`${a} and ${sql`${sql`y = ${2}`}`}`;
    expect(compile(b)).toEqual({ text: 'x = $1 and y = $2', values: [1, 2] });
    expect(compile(sql`select 1 ${sql``}`)).toEqual({ text: 'select 1 ', values: [] });
  });

  it('an array as one parameter (for unnest and = any)', () => {
    const ids = ['a', 'b'];
    expect(compile(sql`select * from t where id = any(${ids}::text[])`)).toEqual({
      text: 'select * from t where id = any($1::text[])',
      values: [['a', 'b']],
    });
    expect(compile(sql`select ${[]}::bigint[]`).values).toEqual([[]]);
  });

  it('identifiers quoted, with embedded quotes doubled', () => {
    expect(compile(sql`select ${sql.id('name')} from ${sql.id('public', 'events')}`).text).toBe(
      'select "name" from "public"."events"',
    );
    expect(compile(sql`select 1 as ${sql.id('a"; drop table events; --')}`).text).toBe(
      'select 1 as "a""; drop table events; --"',
    );
    expect(() => sql.id('')).toThrow(SqlError);
    expect(() => sql.id('a\0b')).toThrow(SqlError);
    expect(() => sql.id()).toThrow(SqlError);
  });

  it('hostile strings only ever as values', () => {
    const hostile = ["'; drop table events; --", '$1', '"x"', '\\', "e'\\x27", '$$ select 1 $$'];
    for (const h of hostile) {
      const { text, values } = compile(sql`select * from events where name = ${h} and ${sql.and([sql`id = ${h}`])}`);
      expect(text).toBe('select * from events where name = $1 and (id = $2)');
      expect(values).toEqual([h, h]);
    }
  });

  it('and/or: parenthesised, absent entries left out, an empty list a constant', () => {
    const c = sql.and([sql`a = ${1}`, false, sql`b = ${2} or c = ${3}`, null, undefined]);
    expect(compile(c)).toEqual({ text: '(a = $1) and (b = $2 or c = $3)', values: [1, 2, 3] });
    expect(compile(sql.and([])).text).toBe('true');
    expect(compile(sql.or([])).text).toBe('false');
    expect(compile(sql.or([sql`a`, sql`b`])).text).toBe('(a) or (b)');
    expect(compile(sql`where ${sql.and([sql.or([]), sql`x = ${1}`])}`).text).toBe('where (false) and (x = $1)');
  });

  it('join: a separator between, nothing for none', () => {
    const cols = ['id', 'name'].map((c) => sql.id(c));
    expect(compile(sql`select ${sql.join(cols)} from t`).text).toBe('select "id", "name" from t');
    expect(compile(sql`values ${sql.join([sql`(${1})`, sql`(${2})`], sql`, `)}`)).toEqual({
      text: 'values ($1), ($2)',
      values: [1, 2],
    });
    expect(compile(sql.join([])).text).toBe('');
  });

  it('unsafe: constant text spliced as it is', () => {
    const dir: 'asc' | 'desc' = 'desc';
    expect(compile(sql`select 1 order by 1 ${sql.unsafe(dir)}`).text).toBe('select 1 order by 1 desc');
  });

  it('refuses numbered parameters written by hand', () => {
    expect(() => sql`select * from t where id = $1`).toThrow(/numbered parameter/);
    expect(() => sql`select ${1}, $2`).toThrow(SqlError);
    expect(() => sql.unsafe('x = $1')).toThrow(SqlError);
    // Not numbered parameters: a dollar-quoted string and an identifier with a $.
    expect(compile(sql`select $$a$$, a$1 from t`).text).toBe('select $$a$$, a$1 from t');
  });

  it('refuses undefined, a value in quotes, objects and arrays of fragments', () => {
    expect(() => sql`select ${undefined}`).toThrow(/undefined value/);
    expect(() => sql`select * from t where name = '${'x'}'`).toThrow(/inside a quoted string/);
    expect(() => sql`select ${{ a: 1 }}`).toThrow(/JSON.stringify/);
    expect(() => sql`select ${[sql`a`, sql`b`]}`).toThrow(/sql.join/);
  });

  it('refuses a value inside a string, an identifier or a comment, and reads quotes and comments right', () => {
    const n = 5;
    expect(() => sql`select now() - interval '${n} minutes'`).toThrow(/inside a quoted string/);
    expect(() => sql`select 1 as "${'x'}"`).toThrow(/inside a quoted identifier/);
    expect(() => sql`select 1 -- ${n}`).toThrow(/inside a comment/);
    expect(() => sql`select /* a /* nested */ ${n} */ 1`).toThrow(/inside a comment/);
    expect(() => sql`select $tag$ it's ${n} $tag$`).toThrow(/inside a dollar-quoted string/);
    // Closed quotes, escapes and comments with apostrophes leave the value in code.
    const ok = [
      sql`select 'it''s', ${n}`,
      sql`select E'it\\'s', ${n}`,
      sql`select "a""b", ${n}`,
      sql`select 1 -- the event's streams
            , ${n}`,
      sql`select /* it's /* nested */ still */ ${n}`,
      sql`select $$ it's $$, $x$ '$1' $x$, ${n}`,
      sql`select '$1 is text here', ${n}`,
    ];
    for (const q of ok) expect(compile(q).values).toEqual([5]);
    expect(compile(sql`select ${n} * interval '1 minute'`).text).toBe("select $1 * interval '1 minute'");
  });

  it('cannot be made from outside the template, nor pasted into a plain string', () => {
    expect(() => new Sql(Symbol('sql') as never, ['drop table events'], [])).toThrow(SqlError);
    const q = sql`select ${1}`;
    expect(() => `copy (${String(q)}) to stdout`).toThrow(/not text/);
  });

  it('types the rows (checked by tsc)', () => {
    const q = (db: Db) => ({
      typed: db.query(sql<{ units: number }>`select 1 as units`),
      contextual: db.query<{ units: number }>(sql`select 1 as units`),
      plain: db.query(sql`select 1`),
    });
    expectTypeOf(q).toBeFunction();
    expectTypeOf<Awaited<ReturnType<typeof q>['typed']>>().toEqualTypeOf<{ units: number }[]>();
    expectTypeOf<Awaited<ReturnType<typeof q>['contextual']>>().toEqualTypeOf<{ units: number }[]>();
    expectTypeOf<Awaited<ReturnType<typeof q>['plain']>>().toEqualTypeOf<Row[]>();
    // @ts-expect-error a runtime string is not a constant
    expect(() => sql.unsafe(String('desc'))).not.toThrow();
  });

  it('toStatement: plain text is refused, and a sql query takes no separate parameter list', () => {
    expect(() => toStatement('select $1' as unknown as Sql)).toThrow(/sql template/);
    expect(() => toStatement(sql`select ${1}`, [2])).toThrow(SqlError);
    expect(toStatement(sql`select ${1}`)).toEqual({ text: 'select $1', values: [1] });
  });
});

describe.each(engines)('sql on %s', (engine) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDb(engine);
  });
  afterAll(() => t?.close());

  it('round-trips every type the project binds', async () => {
    const ts = new Date('2026-03-04T05:06:07.089Z');
    const [row] = await t.db.query<{
      t: string;
      i: number;
      b: string;
      ts: Date;
      ok: boolean;
      nul: null;
      ta: string[];
      ba: string[];
      hostile: string;
      ia: string;
      tsa: Date[];
      oka: boolean[];
    }>(sql`select ${'héllo'}::text as t, ${2147483647}::int as i, ${9007199254740993n}::bigint::text as b,
             ${ts}::timestamptz as ts, ${true}::bool as ok, ${null}::text as nul,
             ${['a', 'b,c', '"q"', '']}::text[] as ta, (${[1n, 9007199254740993n]}::bigint[])::text[] as ba,
             ${"'; select 1; --"}::text as hostile, (${[1, null]}::int[])::text as ia, ${[ts]}::timestamptz[] as tsa,
             ${[false, true]}::bool[] as oka`);
    expect(row).toEqual({
      t: 'héllo',
      i: 2147483647,
      b: '9007199254740993',
      ts,
      ok: true,
      nul: null,
      ta: ['a', 'b,c', '"q"', ''],
      ba: ['1', '9007199254740993'],
      hostile: "'; select 1; --",
      // ia read as text: postgres.js reads a NULL in int[] as NaN (porsager/postgres#1049)
      ia: '{1,NULL}',
      tsa: [ts],
      oka: [false, true],
    });
  });

  it('runs a composed condition and an identifier', async () => {
    const rows = (name: string | null, ids: string[] | null) =>
      t.db.query<{ id: string }>(sql`select ${sql.id('x')} as id from unnest(${['e1', 'e2', 'e3']}::text[]) as u(x)
        where ${sql.and([name !== null && sql`x = ${name}`, ids !== null && sql`x = any(${ids}::text[])`])} order by 1`);
    expect(await rows(null, null)).toEqual([{ id: 'e1' }, { id: 'e2' }, { id: 'e3' }]);
    expect(await rows(null, ['e3', 'e1'])).toEqual([{ id: 'e1' }, { id: 'e3' }]);
    expect(await rows('e2', ['e3', 'e1'])).toEqual([]);
    expect(await rows("e1' or 'x' = 'x", null)).toEqual([]);
  });

  it('inserts a batch with unnest in a transaction', async () => {
    const events = [
      { id: 'sq1', name: 'One', key: 'k1' },
      { id: 'sq2', name: 'Two\'s "quoted"', key: 'k2' },
    ];
    await t.db.transaction((tx) =>
      tx.query(sql`insert into events (id, name, embed_key)
        select * from unnest(${events.map((e) => e.id)}::text[], ${events.map((e) => e.name)}::text[], ${events.map((e) => e.key)}::text[])`),
    );
    const rows = await t.db.query(
      sql<{
        id: string;
        name: string;
      }>`select id, name from events where id = any(${['sq1', 'sq2']}::text[]) order by id`,
    );
    expect(rows).toEqual([
      { id: 'sq1', name: 'One' },
      { id: 'sq2', name: 'Two\'s "quoted"' },
    ]);
  });

  it('refuses plain text from a caller past the types, on both query and COPY', async () => {
    await expect(t.db.query('select 1' as unknown as Sql)).rejects.toThrow(/sql template/);
    const copy = t.db.copyCsv('select 1' as unknown as Sql);
    await expect(
      (async () => {
        for await (const _ of copy) void _;
      })(),
    ).rejects.toThrow(/sql template/);
  });

  it('streams a COPY whose values arrive through settings, never spliced', async () => {
    const hostile = "x'), ('pwned";
    const from = new Date('2026-01-01T00:00:00Z');
    const chunks: Uint8Array[] = [];
    for await (const c of t.db.copyCsv(
      sql`select ${hostile} as a, ${from}::timestamptz = '2026-01-01Z' as b, ${7}::int + 1 as c, ${null}::text as d`,
    ))
      chunks.push(c);
    expect(Buffer.concat(chunks).toString()).toBe(`"x'), ('pwned",t,8,\n`);
    const semi: Uint8Array[] = [];
    for await (const c of t.db.copyCsv(sql`select ${'a;b'} as a, 1`, { delimiter: ';' })) semi.push(c);
    expect(Buffer.concat(semi).toString()).toBe('"a;b";1\n');
  });

  it('refuses an array in a COPY instead of guessing its text', async () => {
    const run = async () => {
      for await (const _ of t.db.copyCsv(sql`select ${['a']}::text[]`)) void _;
    };
    await expect(run()).rejects.toThrow(/COPY can only read/);
  });
});
