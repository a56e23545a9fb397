// The one way to write SQL: a tagged template (`sql`) whose values become bound parameters, whose
// fragments compose, and which compiles to text + $1…$n for both engines (PGlite and `postgres`).
import type { Row } from './db.ts';
import { templateProblem } from './sql-check.ts';

// Only this module can make an Sql: text that never passed through the template cannot pose as one.
const MINT = Symbol('sql');

/** An immutable piece of SQL: `strings[i]`, then parameter `values[i]`, …, then the last string. */
export class Sql<T = Row> {
  /** The type of the rows the statement returns; never set, only read by `Db.query` for its result type. */
  declare readonly row?: T;
  readonly strings: readonly string[];
  readonly values: readonly unknown[];

  constructor(mint: typeof MINT, strings: readonly string[], values: readonly unknown[]) {
    if (mint !== MINT) throw new SqlError('build SQL with the sql template');
    this.strings = Object.freeze(strings);
    this.values = Object.freeze(values);
    Object.freeze(this);
  }

  /** An Sql pasted into a plain string (`copy (${q})`) would be "[object Object]" or worse: refused. */
  toString(): never {
    throw new SqlError('an sql query is not text: nest it in sql`…` or pass it to db.query');
  }
}

/** `strings.length` must be `values.length + 1`. */
const make = <T = Row>(strings: readonly string[], values: readonly unknown[]) => new Sql<T>(MINT, strings, values);

// "$1" in spliced text would collide with the numbering; "x$1" is an identifier and "$$" a dollar quote.
const HAND_NUMBERED = /(?<![\w$])\$\d/;

/** `` sql`select … where id = ${id}` `` — or `` sql<{ id: string }>`…` `` to type the rows. */
function tag<T = Row>(template: TemplateStringsArray, ...values: unknown[]): Sql<T> {
  const problem = templateProblem(template);
  if (problem) throw new SqlError(`${problem}: ${preview(template)}`);
  const strings: string[] = [template[0]];
  const params: unknown[] = [];
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    const before = template[i];
    const after = template[i + 1];
    if (value instanceof Sql) {
      append(strings, params, value);
      strings[strings.length - 1] += after;
      continue;
    }
    checkValue(value, before);
    params.push(value);
    strings.push(after);
  }
  return make<T>(strings, params);
}

/** Splices a fragment: its first string joins the last one, its parameters follow (renumbered on compile). */
function append(strings: string[], values: unknown[], piece: Sql<unknown>) {
  strings[strings.length - 1] += piece.strings[0];
  for (let j = 0; j < piece.values.length; j++) {
    values.push(piece.values[j]);
    strings.push(piece.strings[j + 1]);
  }
}

function checkValue(value: unknown, before: string) {
  if (value === undefined) throw new SqlError(`undefined value after: ${before.slice(-60).trim()}`);
  if (Array.isArray(value) && value.some((v) => v instanceof Sql))
    throw new SqlError('an array of sql fragments: use sql.join');
  if (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    !(value instanceof Uint8Array)
  ) {
    // The two engines serialise plain objects differently; JSON is written out on purpose.
    throw new SqlError('an object as a value: pass JSON.stringify(value) and cast it (::jsonb)');
  }
}

const preview = (template: readonly string[]) => template.join('${…}').replace(/\s+/g, ' ').trim().slice(0, 100);

export class SqlError extends Error {
  override name = 'SqlError';
}

/** A quoted identifier (`"name"`, or `"schema"."table"` for several parts); embedded quotes are doubled. */
function id(...parts: string[]): Sql {
  if (parts.length === 0) throw new SqlError('sql.id needs a name');
  for (const p of parts) if (p === '' || p.includes('\0')) throw new SqlError(`bad identifier ${JSON.stringify(p)}`);
  return make([parts.map((p) => `"${p.replaceAll('"', '""')}"`).join('.')], []);
}

/**
 * Text spliced into the statement as it is. Only string literal types are accepted (a constant in the
 * code, or a union of them such as `'asc' | 'desc'`), never a `string` that could come from a request.
 */
function unsafe<S extends string>(text: string extends S ? never : S): Sql {
  if (HAND_NUMBERED.test(text))
    throw new SqlError(`write \${value} instead of a numbered parameter in: ${text.slice(0, 80)}`);
  return make([text], []);
}

/** The fragments one after another with `separator` between them (`, ` by default); nothing for none. */
function join(parts: readonly Sql<unknown>[], separator: Sql<unknown> = make([', '], [])): Sql {
  const strings = [''];
  const values: unknown[] = [];
  parts.forEach((part, i) => {
    if (i > 0) append(strings, values, separator);
    append(strings, values, part);
  });
  return make(strings, values);
}

type Condition = Sql<unknown> | false | null | undefined;

/** Each condition in parentheses, joined by `and`; false/null/undefined entries are left out; none is `true`. */
function and(conditions: readonly Condition[]): Sql {
  return combine(conditions, ' and ', 'true');
}

/** Like `and`, joined by `or`; none is `false` (no alternative matches). */
function or(conditions: readonly Condition[]): Sql {
  return combine(conditions, ' or ', 'false');
}

function combine(conditions: readonly Condition[], op: string, none: string): Sql {
  const present = conditions.filter((c): c is Sql<unknown> => c instanceof Sql);
  if (present.length === 0) return make([none], []);
  return join(
    present.map((c) => tag`(${c})`),
    make([op], []),
  );
}

export const sql = Object.assign(tag, { id, unsafe, join, and, or });

export interface Compiled {
  text: string;
  values: unknown[];
}

/** Text with `$1…$n` (or whatever `placeholder` writes for parameter n) and the values in that order. */
export function compile(query: Sql<unknown>, placeholder = (n: number) => `$${n}`): Compiled {
  let text = query.strings[0];
  for (let i = 0; i < query.values.length; i++) text += placeholder(i + 1) + query.strings[i + 1];
  return { text, values: [...query.values] };
}

/** What `Db.query` runs: only a `sql` query (a caller past the types with plain text is refused). */
export function toStatement(query: Sql<unknown>, ...rest: unknown[]): Compiled {
  if (!(query instanceof Sql)) throw new SqlError('build SQL with the sql template: plain text is not run');
  if (rest.length > 0) throw new SqlError('a sql query carries its own values: pass no parameter list');
  return compile(query);
}
