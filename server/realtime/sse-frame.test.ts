// Catalogue case 25: every frame is id/event/one data line/blank line, whatever a stream title holds.
import { describe, expect, it } from 'vitest';
import { sseFrame } from './sse-frame.ts';

describe('sseFrame', () => {
  const titles = [
    'two\nlines',
    'carriage\rreturn',
    'crlf\r\nevent: injected',
    '</script><script>alert(1)</script>',
    '🎉 live',
    '\u202Eעברית مرحبا',
    'sep\u2028\u2029',
    'nul\u0000',
  ];

  it.each(titles.map((t) => [JSON.stringify(t), t]))(
    'keeps a title of %s on one data line that parses back',
    (_shown, title) => {
      const frame = sseFrame('status', { streams: [{ title }] }, '1714557600000');
      expect(frame.endsWith('\n\n')).toBe(true);
      // Split as a browser does (CRLF, LF or CR end a line): exactly three fields, then the blank line.
      const lines = frame.slice(0, -2).split(/\r\n|\r|\n/);
      expect(lines).toEqual(['id: 1714557600000', 'event: status', expect.stringMatching(/^data: /)]);
      expect(JSON.parse(lines[2].slice('data: '.length))).toEqual({ streams: [{ title }] });
    },
  );

  it.each(['1\r\nevent: x', '1\n', '1\r', '1\u0000'])('refuses an id of %j rather than let it add a field', (id) => {
    expect(() => sseFrame('sample', {}, id)).toThrow(/one line/);
  });

  it('refuses an event name with a line break', () => {
    expect(() => sseFrame('sample\nretry: 1', {})).toThrow(/one line/);
  });
});
