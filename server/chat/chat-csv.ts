// chat.csv (issue 16): `minute,stream_id,label,messages`, one row per stream and stored minute, then the
// minute's total (stream_id `total`), straight from COPY (labels defused against formulas in SQL, RFC 4180
// quoting by COPY). Only stored minutes appear: a minute that was not read is absent, never a 0.
import type { Db } from '../db/db.ts';
import { chatCsvSelect } from './queries.ts';

export const CHAT_CSV_HEADER = ['minute', 'stream_id', 'label', 'messages'];
const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

export async function* chatCsvChunks(
  db: Db,
  req: { eventId: string; from: Date; to: Date; delimiter: ',' | ';'; bom: boolean },
): AsyncGenerator<Uint8Array> {
  if (req.bom) yield BOM;
  yield new TextEncoder().encode(CHAT_CSV_HEADER.join(req.delimiter) + '\n');
  // A week of minutes is ~10,000 rows per stream: one COPY, passed on as it comes.
  yield* db.copyCsv(chatCsvSelect(req.eventId, req.from, req.to), { delimiter: req.delimiter });
}

const compact = (d: Date) =>
  d
    .toISOString()
    .replace(/\.\d{3}/, '')
    .replace(/[-:]/g, '');

export const chatCsvFileName = (eventId: string, from: Date, to: Date) =>
  `livepulse-${eventId}-chat-${compact(from)}-${compact(to)}.csv`;
