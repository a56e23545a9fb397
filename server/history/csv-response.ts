// Sends a CSV as it is produced: pulled at the client's pace, cut when the client stops taking it, and
// its budget slot returned however the transfer ends (done, client gone, cut, database error).
import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { log } from '../log.ts';
import type { Release } from './csv-budget.ts';

export interface CsvResponseOptions {
  /** Returned once the chunks are finished with (for a COPY: once its connection is back). */
  release?: Release;
  /** A client that takes no chunk for this long is cut (its socket destroyed) and its slot returned. */
  stallMs?: number;
}

/** A database error mid-way aborts the transfer rather than end a short file cleanly. */
export function csvResponse(
  c: Context,
  chunks: AsyncIterable<Uint8Array>,
  fileName: string,
  o: CsvResponseOptions = {},
): Response {
  c.header('Content-Type', 'text/csv; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="${fileName}"`);
  c.header('Cache-Control', 'no-store');
  const socket = (c.env as HttpBindings | undefined)?.outgoing;
  // The path only: a query string may carry an embed token.
  const path = new URL(c.req.url).pathname;
  const cut = () => {
    log('warn', 'csv_reader_cut', `client took nothing for ${o.stallMs} ms: disconnected`, { path });
    socket?.destroy();
  };
  return c.body(pulled(chunks, o.release ?? (() => {}), o.stallMs, cut, Boolean(socket)));
}

// highWaterMark 0: the next chunk is asked of the database only when the socket has taken the last one,
// so the time between a chunk handed over and the next pull is the time the client is not reading.
// Chunks are handed over in pieces of at most PIECE bytes (views, not copies): PGlite returns a whole
// slice of COPY as one chunk of megabytes, which a slow but steady client could not take within the
// stall timeout in one go.
const PIECE = 64 * 1024;

function pulled(
  chunks: AsyncIterable<Uint8Array>,
  release: Release,
  stallMs: number | undefined,
  cut: () => void,
  hasSocket: boolean,
): ReadableStream<Uint8Array> {
  const it = chunks[Symbol.asyncIterator]();
  let rest: Uint8Array | null = null;
  let started = false;
  let stall: NodeJS.Timeout | undefined;
  // An iterator that never started has no finally to run: return() would not reach the COPY, and the
  // slot is free at once. A started one is returned first, so its connection is back before the slot.
  const finish = async (reason?: unknown) => {
    clearTimeout(stall);
    try {
      if (started) await it.return?.(reason);
    } finally {
      release();
    }
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        clearTimeout(stall);
        started = true;
        if (!rest) {
          let next: IteratorResult<Uint8Array>;
          try {
            next = await it.next();
          } catch (error) {
            release();
            throw error;
          }
          if (next.done) {
            release();
            controller.close();
            return;
          }
          rest = next.value;
        }
        controller.enqueue(rest.subarray(0, PIECE));
        rest = rest.length > PIECE ? rest.subarray(PIECE) : null;
        if (stallMs) {
          stall = setTimeout(() => {
            cut();
            // Without a Node socket (app.request in tests) nothing else would end the body.
            if (!hasSocket) controller.error(new Error('client stopped reading'));
            void finish().catch(() => {});
          }, stallMs);
          stall.unref();
        }
      },
      cancel: (reason) => finish(reason),
    },
    { highWaterMark: 0 },
  );
}
