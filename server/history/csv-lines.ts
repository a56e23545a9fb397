// Writes the CSV lines of a history export from the compact rows COPY sends: `epoch seconds,stream id,
// viewers,source` (or `epoch seconds,total`). The database only walks an index; the ISO timestamp is made once
// per tick and each stream's `stream_id,video_id,label` cells once per export, here. Formatting both
// per row in SQL (to_char and a join) cost the database three times the walk (issue 14).
const LF = 10;
const COMMA = 44;
const QUOTE = 34;
const DOT = 46;

/** A stream's cells after the timestamp, without delimiters at either end. */
export interface StreamCells {
  id: string;
  videoId: string;
  label: string;
  /** youtube or twitch: written after the count, before the row's source (issue 15's last columns). */
  platform: string;
}

/** A value as COPY (FORMAT csv) writes it: quoted when it holds the delimiter, a quote, CR or LF, or is empty. */
export function csvCell(value: string, delimiter: string): string {
  if (value !== '' && !value.includes(delimiter) && !/["\r\n]/.test(value)) return value;
  return `"${value.replaceAll('"', '""')}"`;
}

/**
 * Epoch seconds as float8 text ("1714521610", "1714521610.5", "1714521610.123456") to ISO 8601 UTC with
 * milliseconds, cut (not rounded) like to_char's MS. Read digit by digit: no float rounding.
 */
export function isoFromEpochText(bytes: Uint8Array, start: number, end: number): string {
  let seconds = 0;
  let i = start;
  for (; i < end && bytes[i] !== DOT; i++) seconds = seconds * 10 + (bytes[i] - 48);
  let ms = 0;
  let digits = 0;
  for (i++; i < end && digits < 3; i++, digits++) ms = ms * 10 + (bytes[i] - 48);
  for (; digits < 3; digits++) ms *= 10;
  return new Date(seconds * 1000 + ms).toISOString();
}

interface Known {
  /** The id as COPY writes it (quoted when it must be). */
  id: Buffer;
  cells: Buffer;
  platform: Buffer;
  /** The stream whose row came after this one's last time: rows cycle through the streams each tick. */
  next: Known | null;
}

/**
 * Turns chunks of compact rows into CSV lines, kept until taken. A row cut between two chunks waits for
 * the rest. Rows of a stream not in `streams` are left out, as the join they replace left them out.
 */
export class CsvLines {
  private readonly delimiter: number;
  private readonly streams: boolean;
  /** The known streams by a hash of their id's bytes. */
  private readonly known = new Map<number, Known[]>();
  private previous: Known | null = null;
  private rest: Buffer | null = null;
  private lastTs: Buffer = Buffer.alloc(0);
  private lastIso: Buffer = Buffer.alloc(0);
  /** Lines written, `used` bytes of them, until taken. */
  private out: Buffer = Buffer.allocUnsafe(128 * 1024);
  private used = 0;

  /** `streams`: false for the total (`ts,total`); otherwise the cells of the streams to write. */
  constructor(delimiter: ',' | ';', streams: false | StreamCells[]) {
    this.delimiter = delimiter.charCodeAt(0);
    this.streams = streams !== false;
    for (const s of streams || []) {
      // COPY's own delimiter is always a comma (see csvSelect): the id is matched as COPY wrote it.
      const id = Buffer.from(csvCell(s.id, ','), 'utf8');
      const cells = Buffer.from([s.id, s.videoId, s.label].map((v) => csvCell(v, delimiter)).join(delimiter), 'utf8');
      const key = hash(id, 0, id.length);
      const platform = Buffer.from(csvCell(s.platform, delimiter), 'utf8');
      this.known.set(key, [...(this.known.get(key) ?? []), { id, cells, platform, next: null }]);
    }
  }

  /** Bytes of lines written and not yet taken. */
  get size(): number {
    return this.used;
  }

  /** The lines written since the last take, as a buffer of their own. */
  take(): Buffer {
    const lines = Buffer.from(this.out.subarray(0, this.used));
    this.used = 0;
    return lines;
  }

  /** Writes the CSV lines of every whole row in `chunk` (and of the row the last chunk left cut). */
  push(chunk: Uint8Array): void {
    let bytes: Uint8Array = chunk;
    if (this.rest) {
      bytes = Buffer.concat([this.rest, chunk]);
      this.rest = null;
    }
    const len = bytes.length;
    const delimiter = this.delimiter;
    const streams = this.streams;
    let out = this.out;
    let o = this.used;
    let pos = 0;
    // Byte loops rather than Buffer methods: a row is ~20 bytes, and a native call per field cost more than the loop.
    while (pos < len) {
      // Each scan stops at the end of the chunk: a row cut there is kept for the next one.
      let comma = pos;
      while (comma < len && bytes[comma] !== COMMA) comma++;
      let valueStart = comma + 1;
      let stream: Known | null = null;
      if (streams) {
        const idEnd = idEndAt(bytes, valueStart);
        if (idEnd >= len) break;
        stream = this.streamOf(bytes, valueStart, idEnd);
        valueStart = idEnd + 1;
      }
      let eol = valueStart;
      while (eol < len && bytes[eol] !== LF) eol++;
      if (eol >= len) break;
      const iso = this.isoOf(bytes, pos, comma);
      pos = eol + 1;
      if (streams && !stream) continue;
      const cells = stream?.cells;
      const platform = stream?.platform;
      const need =
        iso.length + 3 + (cells ? cells.length + 1 : 0) + (platform ? platform.length + 1 : 0) + (eol - valueStart);
      if (o + need > out.length) out = this.grow(o + need, o);
      out.set(iso, o);
      o += iso.length;
      out[o++] = delimiter;
      if (cells) {
        out.set(cells, o);
        o += cells.length;
        out[o++] = delimiter;
      }
      if (platform) {
        // viewers,source → viewers<d>platform<d>source: the count and the source are plain (digits, a name).
        let i = valueStart;
        for (; i < eol && bytes[i] !== COMMA; i++) out[o++] = bytes[i];
        out[o++] = delimiter;
        out.set(platform, o);
        o += platform.length;
        out[o++] = delimiter;
        for (i++; i < eol; i++) out[o++] = bytes[i];
      } else for (let i = valueStart; i < eol; i++) out[o++] = bytes[i];
      out[o++] = LF;
    }
    if (pos < len) this.rest = Buffer.from(bytes.subarray(pos));
    this.used = o;
  }

  /** Bytes of a row cut at the end of the last chunk: none when the COPY ended cleanly. */
  get pending(): number {
    return this.rest?.length ?? 0;
  }

  private isoOf(bytes: Uint8Array, start: number, end: number): Buffer {
    if (same(this.lastTs, bytes, start, end)) return this.lastIso;
    this.lastTs = Buffer.from(bytes.subarray(start, end)); // a copy: the chunk's memory may be reused
    this.lastIso = Buffer.from(isoFromEpochText(bytes, start, end), 'latin1');
    return this.lastIso;
  }

  private streamOf(bytes: Uint8Array, start: number, end: number): Known | null {
    const guess = this.previous?.next;
    let found: Known | null = null;
    if (guess && same(guess.id, bytes, start, end)) found = guess;
    else {
      for (const k of this.known.get(hash(bytes, start, end)) ?? []) if (same(k.id, bytes, start, end)) found = k;
      if (found && this.previous) this.previous.next = found;
    }
    this.previous = found;
    return found;
  }

  /** A bigger working buffer keeping the first `kept` bytes. */
  private grow(size: number, kept: number): Buffer {
    const bigger = Buffer.allocUnsafe(Math.max(size, this.out.length * 2));
    this.out.copy(bigger, 0, 0, kept);
    this.out = bigger;
    return bigger;
  }
}

function same(a: Uint8Array, bytes: Uint8Array, start: number, end: number): boolean {
  if (a.length !== end - start) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== bytes[start + i]) return false;
  return true;
}

/** FNV-1a over bytes[start, end). */
function hash(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h >>> 0;
}

/**
 * Where the stream id starting at `start` ends (the comma after it, or the chunk's length when the chunk
 * ends first). COPY quotes an id holding a comma, a quote or a line break, doubling its quotes.
 */
function idEndAt(bytes: Uint8Array, start: number): number {
  const len = bytes.length;
  let i = start;
  if (bytes[i] === QUOTE) {
    for (i++; i < len; i++) {
      if (bytes[i] !== QUOTE) continue;
      if (bytes[i + 1] !== QUOTE) break; // the closing quote
      i++; // a doubled quote
    }
    i++;
  }
  while (i < len && bytes[i] !== COMMA) i++;
  return Math.min(i, len);
}
