// Counts CSV records in a byte stream as COPY writes it: a line feed ends a record unless it sits inside
// a quoted field (a label with a newline), and a quoted field may straddle two chunks.
const LF = 10;
const QUOTE = 34;

export class CsvRecordCounter {
  records = 0;
  private quoted = false;

  add(chunk: Uint8Array): number {
    const before = this.records;
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (!this.quoted && bytes.indexOf(QUOTE) === -1) {
      this.records += countNewlines(bytes);
    } else {
      // A doubled quote inside a field toggles twice, so parity alone says whether we are inside one.
      for (const byte of bytes) {
        if (byte === QUOTE) this.quoted = !this.quoted;
        else if (byte === LF && !this.quoted) this.records++;
      }
    }
    return this.records - before;
  }
}

/** Line feeds in a chunk: the record count when no field is quoted, an estimate otherwise. */
export function countNewlines(chunk: Uint8Array): number {
  const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  let n = 0;
  for (let i = bytes.indexOf(LF); i !== -1; i = bytes.indexOf(LF, i + 1)) n++;
  return n;
}
