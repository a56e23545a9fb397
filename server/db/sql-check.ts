// Reads the literal text of a `sql` template once per call site: each value must sit in SQL code (not
// inside a quoted string, a quoted identifier or a comment), and no $1-style parameter is written by hand.

type State = 'code' | 'string' | 'estring' | 'ident' | 'line' | 'block' | 'dollar';

const INSIDE: Record<Exclude<State, 'code'>, string> = {
  string: 'a quoted string',
  estring: 'a quoted string',
  ident: 'a quoted identifier',
  line: 'a comment',
  block: 'a comment',
  dollar: 'a dollar-quoted string',
};

// A template object is the same array on every call from one place in the code, so each is read once.
const good = new WeakSet<TemplateStringsArray>();

const word = (c: string | undefined) => c !== undefined && /[\w$]/.test(c);

/** What is wrong with the template's text, or null. */
export function templateProblem(template: TemplateStringsArray): string | null {
  if (good.has(template)) return null;
  let state: State = 'code';
  let dollarTag = '';
  let depth = 0;
  for (let part = 0; part < template.length; part++) {
    if (part > 0 && state !== 'code')
      return `a value inside ${INSIDE[state]} would be sent as the text "$n", not as the value`;
    const text = template[part];
    for (let i = 0; i < text.length; i++) {
      const c = text[i];
      const next = text[i + 1];
      if (state === 'code') {
        if (c === "'")
          state = (text[i - 1] === 'e' || text[i - 1] === 'E') && !word(text[i - 2]) ? 'estring' : 'string';
        else if (c === '"') state = 'ident';
        else if (c === '-' && next === '-') state = 'line';
        else if (c === '/' && next === '*') {
          state = 'block';
          depth = 1;
          i++;
        } else if (c === '$' && !word(text[i - 1])) {
          if (next !== undefined && /\d/.test(next)) return 'write ${value} instead of a numbered parameter';
          const tag = /^\$([A-Za-z_]\w*)?\$/.exec(text.slice(i));
          if (tag) {
            state = 'dollar';
            dollarTag = tag[0];
            i += tag[0].length - 1;
          }
        }
      } else if (state === 'string' || state === 'ident') {
        const quote = state === 'string' ? "'" : '"';
        if (c === quote && next === quote)
          i++; // a doubled quote stays inside
        else if (c === quote) state = 'code';
      } else if (state === 'estring') {
        if (c === '\\' || (c === "'" && next === "'")) i++;
        else if (c === "'") state = 'code';
      } else if (state === 'line') {
        if (c === '\n') state = 'code';
      } else if (state === 'block') {
        if (c === '/' && next === '*') depth++;
        if (c === '*' && next === '/') depth--;
        if ((c === '/' && next === '*') || (c === '*' && next === '/')) i++;
        if (depth === 0) state = 'code';
      } else if (text.startsWith(dollarTag, i)) {
        i += dollarTag.length - 1;
        state = 'code';
      }
    }
  }
  good.add(template);
  return null;
}
