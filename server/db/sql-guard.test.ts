// The SQL rules of the codebase, checked over every tracked .ts/.js file: no $1-style parameter written by
// hand outside the sql module, and no SQL text outside the queries.ts files, server/db/ and sql/.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

interface Finding {
  file: string;
  line: number;
  rule: 'numbered parameter' | 'sql outside queries.ts';
  text: string;
}

// The sql module and its tests are where numbered parameters are produced and checked.
const MAY_NUMBER = /^server\/db\/sql[^/]*\.ts$/;
// Where SQL text belongs: the queries of each subject, the engines and migration runner, and migrations.
const MAY_HOLD_SQL = /(^|\/)queries\.ts$|^server\/db\/|^sql\//;

// Still written the old way on this branch and converted on branch poller/speed: the lead deletes this list
// when those branches are merged.
const CONVERTED_ON_OTHER_BRANCHES = new Set([
  // poller engineer
  'bench/poller.ts',
  'server/poller/poller.test.ts',
  'server/poller/quota.test.ts',
  'server/poller/rollups.test.ts',
  'server/poller/write-path.test.ts',
]);

// A literal that begins as a statement. Lower case on purpose: our SQL is written in lower case, and
// sentences (log lines, UI text) that begin with "Select" or "Update" are not SQL.
const STATEMENT = new RegExp(
  '^\\s*\\(?\\s*(?:' +
    [
      'select\\s+(?:\\*|\\d|distinct\\b|[a-z_"(][\\w".]*\\s*(?:[(,]|as\\b|from\\b|$))',
      'insert\\s+into\\s',
      'update\\s+[\\w".]+\\s+(?:\\w+\\s+)?set\\s',
      'delete\\s+from\\s',
      'with\\s+(?:recursive\\s+)?[\\w"]+\\s+as\\s*(?:(?:not\\s+)?materialized\\s*)?\\(',
      'create\\s+(?:or\\s+replace\\s+|unique\\s+|temp(?:orary)?\\s+)*(?:table|index|database|extension|function|trigger|type|schema|view|materialized|sequence)\\b',
      'alter\\s+(?:table|database|index|system|sequence|type|role)\\b',
      'drop\\s+(?:table|database|index|trigger|function|view|schema|type|sequence)\\b',
      'copy\\s*\\(\\s*select\\b',
      'copy\\s+[\\w"]+\\s+(?:from|to)\\b',
      '(?:listen|notify|unlisten)\\s+[\\w"]+\\s*;?\\s*$',
      'lock\\s+table\\b',
      // A bare "begin" or "commit" is too often a word (playwright's waitUntil: 'commit'); transactions go
      // through db.transaction anyway.
      '(?:begin|start)\\s+(?:transaction|work|isolation)\\b',
      '(?:commit|rollback)\\s*;\\s*$',
      '(?:vacuum|analyze)(?:\\s+(?:analyze|full|verbose))*(?:\\s+[\\w".]+)?\\s*;?\\s*$',
      'truncate\\s+(?:table\\s+)?[\\w".]+',
      'set\\s+(?:local\\s+|session\\s+)?[a-z_.]+\\s*(?:=|to)\\s',
    ].join('|') +
    ')',
);
// A $1 that is a parameter: not part of a word ("x$1" is an identifier) and not a dollar quote ("$$").
const NUMBERED = /(?<![\w$])\$\d/;
// Words that make a literal holding a $1 SQL rather than a regex replacement or a price.
const SQL_WORDS = /\b(?:select|insert|update|delete|from|where|values|returning|set_config|limit|any|and|or)\b/i;

/** What breaks the SQL rules in one file's text (`file` is the path from the repository root). */
function sqlFindings(file: string, source: string): Finding[] {
  const findings: Finding[] = [];
  const kind = file.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const tree = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, kind);
  const report = (node: ts.Node, rule: Finding['rule'], text: string) =>
    findings.push({
      file,
      line: tree.getLineAndCharacterOfPosition(node.getStart(tree)).line + 1,
      rule,
      text: text.replace(/\s+/g, ' ').trim().slice(0, 80),
    });
  const literalText = (node: ts.TemplateLiteral | ts.StringLiteral) =>
    ts.isTemplateExpression(node)
      ? [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join('${…}')
      : node.text;

  const visit = (node: ts.Node) => {
    if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && node.tag.text === 'sql') {
      if (!MAY_HOLD_SQL.test(file)) report(node, 'sql outside queries.ts', literalText(node.template));
      ts.forEachChild(node.template, visit); // values may nest other literals
      return;
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) {
      const text = literalText(node);
      if (!MAY_NUMBER.test(file) && NUMBERED.test(text) && SQL_WORDS.test(text))
        report(node, 'numbered parameter', text);
      else if (!MAY_HOLD_SQL.test(file) && STATEMENT.test(text)) report(node, 'sql outside queries.ts', text);
    }
    ts.forEachChild(node, visit);
  };
  visit(tree);
  return findings;
}

const describeFinding = (f: Finding) => `${f.file}:${f.line} ${f.rule}: ${f.text}`;

describe('the SQL rules', () => {
  it('flag a numbered parameter written by hand, wherever it is', () => {
    const sample = [
      "const q = 'select name from events where id = $1';",
      'const r = `update events set name = $2 where id = $1`;',
      'const s = `${SELECT} where s.ts = $1 and s.event_id = any($2::text[])`;',
    ].join('\n');
    expect(sqlFindings('server/events/queries.ts', sample).map(describeFinding)).toEqual([
      'server/events/queries.ts:1 numbered parameter: select name from events where id = $1',
      'server/events/queries.ts:2 numbered parameter: update events set name = $2 where id = $1',
      'server/events/queries.ts:3 numbered parameter: ${…} where s.ts = $1 and s.event_id = any($2::text[])',
    ]);
  });

  it('flag SQL text outside a queries.ts, as a string, a template or a sql`…` fragment', () => {
    const sample = [
      "await db.query('delete from login_failures');",
      'const rows = await db.query(sql`select 1 from streams where id = ${id}`);',
      'const cond = sql`ts >= ${since}`;',
      "await tx.query('set local statement_timeout = 50');",
      'await admin.unsafe(`create database ${name}`);',
      "await db.query('vacuum analyze');",
      "await db.query('begin transaction isolation level serializable');",
      '  `with recent as (select 1) select * from recent`;',
      'const [row] = await db.query(sql<{ n: number }>`select count(*)::int as n from samples`);',
    ].join('\n');
    expect(sqlFindings('server/auth/routes.test.ts', sample).map((f) => `${f.line} ${f.rule}`)).toEqual([
      '1 sql outside queries.ts',
      '2 sql outside queries.ts',
      '3 sql outside queries.ts',
      '4 sql outside queries.ts',
      '5 sql outside queries.ts',
      '6 sql outside queries.ts',
      '7 sql outside queries.ts',
      '8 sql outside queries.ts',
      '9 sql outside queries.ts',
    ]);
    // The same text is at home in a queries.ts, in server/db/ and (numbered) only in the sql module.
    expect(sqlFindings('server/auth/queries.ts', sample)).toEqual([]);
    expect(sqlFindings('server/db/postgres.ts', sample)).toEqual([]);
  });

  it('leave alone what only looks like SQL: regex replacements, prices, sentences, regex literals', () => {
    const sample = [
      "out = text.replace(SECRET_PARAMS, '$1[redacted]');",
      "css.replace(/([\\s:,(])0\\./g, '$1.');",
      'site.replace(/^(\\s*)listen\\s+80;/m, `$1listen 127.0.0.1:${port};`);',
      "const price = ['$5.00', 'CA$10.00'];",
      "throw new Error('Select a stream first');",
      "log.info('update available: restart to apply');",
      'const raw = /order by ts limit \\$5|rank <= \\$5/.test(text);',
      "const word = 'select';",
      "const plan = 'begin the show at 8';",
      "await page.goto(url, { waitUntil: 'commit' });",
      "const steps = ['analyze the logs', 'truncate'];",
    ].join('\n');
    expect(sqlFindings('server/log.ts', sample)).toEqual([]);
  });

  it('hold in every tracked file', () => {
    const files = execFileSync('git', ['ls-files', '*.ts', '*.js'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    const findings = files
      .filter((f) => !CONVERTED_ON_OTHER_BRANCHES.has(f))
      .flatMap((f) => sqlFindings(f, readFileSync(f, 'utf8')));
    expect(findings.map(describeFinding)).toEqual([]);
  });
});
