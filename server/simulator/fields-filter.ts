// Google's `fields=` partial-response selector (`items(id,snippet(title),liveStreamingDetails)`, `a/b`, `*`),
// so the simulator returns only what a client asked for and a client that forgets a field notices.

type Selection = Map<string, Selection | true>;

/** Parses a fields expression; throws a short message when the syntax is wrong. */
export function parseFields(text: string): Selection {
  let pos = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at character ${pos + 1}`);
  };
  const name = () => {
    const m = /^[\w*@.-]+/.exec(text.slice(pos));
    if (!m) fail('expected a field name');
    pos += m![0].length;
    return m![0];
  };
  const item = (into: Selection) => {
    const key = name();
    if (text[pos] === '/') {
      pos++;
      const sub = (into.get(key) instanceof Map ? into.get(key) : new Map()) as Selection;
      item(sub);
      into.set(key, sub);
    } else if (text[pos] === '(') {
      pos++;
      const sub = list();
      if (text[pos] !== ')') fail('expected )');
      pos++;
      into.set(key, sub);
    } else into.set(key, true);
  };
  const list = (): Selection => {
    const sel: Selection = new Map();
    item(sel);
    while (text[pos] === ',') {
      pos++;
      item(sel);
    }
    return sel;
  };
  const sel = list();
  if (pos !== text.length) fail('unexpected character');
  return sel;
}

/** Keeps only the selected parts of a JSON value; arrays are filtered element by element. */
export function applyFields(value: unknown, sel: Selection): unknown {
  if (Array.isArray(value)) return value.map((v) => applyFields(v, sel));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const rule = sel.get(key) ?? sel.get('*');
    if (rule === undefined) continue;
    out[key] = rule === true ? child : applyFields(child, rule);
  }
  return out;
}
