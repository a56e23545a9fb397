import { describe, expect, it } from 'vitest';
import { CsvLines, csvCell, isoFromEpochText } from './csv-lines.ts';

const iso = (text: string) => isoFromEpochText(Buffer.from(text), 0, text.length);
const run = (lines: CsvLines, ...chunks: string[]) => {
  for (const c of chunks) lines.push(Buffer.from(c));
  return lines.take().toString();
};
const STREAMS = [
  { id: 's1', videoId: 'vid00000001', label: 'Main hall', platform: 'youtube' },
  { id: 'a,b"c', videoId: 'vid00000002', label: "'=1+2;x", platform: 'youtube' },
  { id: 'e', videoId: '', label: '', platform: 'twitch' },
];

describe('isoFromEpochText', () => {
  it('writes milliseconds cut like to_char MS, never rounded up', () => {
    expect(iso('1714521600')).toBe('2024-05-01T00:00:00.000Z');
    expect(iso('1714521610.5')).toBe('2024-05-01T00:00:10.500Z');
    expect(iso('1714521610.123')).toBe('2024-05-01T00:00:10.123Z');
    expect(iso('1714521610.999999')).toBe('2024-05-01T00:00:10.999Z');
    expect(iso('946684800.000001')).toBe('2000-01-01T00:00:00.000Z');
  });
});

describe('csvCell', () => {
  it('quotes as COPY does: delimiter, quote, CR, LF, and the empty string', () => {
    expect(csvCell('plain', ',')).toBe('plain');
    expect(csvCell('a;b', ',')).toBe('a;b');
    expect(csvCell('a;b', ';')).toBe('"a;b"');
    expect(csvCell('a,b', ',')).toBe('"a,b"');
    expect(csvCell('say "hi"', ',')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines', ',')).toBe('"two\nlines"');
    expect(csvCell('', ',')).toBe('""');
  });
});

describe('CsvLines', () => {
  it('writes the total as ts,total', () => {
    expect(run(new CsvLines(',', false), '1714521600,12\n1714521610.5,36\n')).toBe(
      '2024-05-01T00:00:00.000Z,12\n2024-05-01T00:00:10.500Z,36\n',
    );
  });

  it("writes each stream's cells, hidden counts empty, ids COPY quoted matched unquoted", () => {
    const rows = '1714521600,s1,5,api\n1714521600,"a,b""c",,innertube\n1714521600,e,7,twitch\n1714521610,s1,6,\n';
    expect(run(new CsvLines(',', STREAMS), rows)).toBe(
      '2024-05-01T00:00:00.000Z,s1,vid00000001,Main hall,5,youtube,api\n' +
        '2024-05-01T00:00:00.000Z,"a,b""c",vid00000002,\'=1+2;x,,youtube,innertube\n' +
        '2024-05-01T00:00:00.000Z,e,"","",7,twitch,twitch\n' +
        '2024-05-01T00:00:10.000Z,s1,vid00000001,Main hall,6,youtube,\n',
    );
    expect(run(new CsvLines(';', STREAMS), rows)).toBe(
      '2024-05-01T00:00:00.000Z;s1;vid00000001;Main hall;5;youtube;api\n' +
        '2024-05-01T00:00:00.000Z;"a,b""c";vid00000002;"\'=1+2;x";;youtube;innertube\n' +
        '2024-05-01T00:00:00.000Z;e;"";"";7;twitch;twitch\n' +
        '2024-05-01T00:00:10.000Z;s1;vid00000001;Main hall;6;youtube;\n',
    );
  });

  it('keeps a row cut between chunks (in any field) for the next chunk', () => {
    const rows = '1714521600,s1,5,api\n1714521610,"a,b""c",6,innertube\n1714521620,e,,\n';
    const whole = run(new CsvLines(',', STREAMS), rows);
    for (let cut = 1; cut < rows.length; cut++) {
      const lines = new CsvLines(',', STREAMS);
      expect(run(lines, rows.slice(0, cut), rows.slice(cut))).toBe(whole);
      expect(lines.pending).toBe(0);
    }
  });

  it('leaves out rows of streams it was not given, as the join it replaces did', () => {
    expect(run(new CsvLines(',', STREAMS.slice(0, 1)), '1714521600,s1,5,\n1714521600,e,7,\n1714521610,s1,6,\n')).toBe(
      '2024-05-01T00:00:00.000Z,s1,vid00000001,Main hall,5,youtube,\n2024-05-01T00:00:10.000Z,s1,vid00000001,Main hall,6,youtube,\n',
    );
  });

  it('grows past its working buffer and gives the lines back in order', () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => `${1714521600 + i},s1,${i},api\n`).join('');
    const lines = new CsvLines(',', STREAMS);
    const out = run(lines, rows).trimEnd().split('\n');
    expect(out).toHaveLength(20_000);
    expect(out[19_999]).toBe('2024-05-01T05:33:19.000Z,s1,vid00000001,Main hall,19999,youtube,api');
  });
});
