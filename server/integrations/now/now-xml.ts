// now.xml: the JSON tree as XML elements of the same names (a vMix XML data source or a CasparCG
// template reads it by XPath: /now/total, /now/streams/stream[1]/viewers). Null is an empty element.
import type { NowResponse } from '../../wire.ts';

// XML 1.0 cannot carry most C0 controls at all, escaped or not; a label holding one gets U+FFFD.
const NOT_XML =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function xmlText(value: string | number | null): string {
  if (value === null) return '';
  return String(value)
    .replace(NOT_XML, '\ufffd')
    .replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

const el = (name: string, value: string | number | null) => `<${name}>${xmlText(value)}</${name}>`;

export function nowXml(now: NowResponse): string {
  const streams = now.streams.map(
    (s) =>
      `    <stream>${el('label', s.label)}${el('platform', s.platform)}${el('viewers', s.viewers)}${el('viewersFormatted', s.viewersFormatted)}${el('status', s.status)}</stream>\n`,
  );
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<now>\n' +
    `  ${el('total', now.total)}\n  ${el('totalFormatted', now.totalFormatted)}\n` +
    `  ${el('updatedAt', now.updatedAt)}\n  ${el('state', now.state)}\n` +
    `  <streams>\n${streams.join('')}  </streams>\n</now>\n`
  );
}
