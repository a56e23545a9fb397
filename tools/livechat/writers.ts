// Writes messages to disk as they arrive, as NDJSON or as one JSON array, so memory stays flat
// however long the chat is.
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import type { ChatMessage } from './message.ts';

export interface ChatWriter {
  readonly path: string;
  write(messages: readonly ChatMessage[]): Promise<void>;
  /** Completes the file. After this the file at `path` holds every message written. */
  close(): Promise<void>;
}

export function openWriter(path: string, format: 'json' | 'ndjson'): Promise<ChatWriter> {
  return format === 'json' ? openJsonWriter(path) : openNdjsonWriter(path);
}

/**
 * NDJSON goes straight to its file so it can be followed with `tail -f`; every write is whole
 * lines, so after a stop each line is a complete message.
 */
async function openNdjsonWriter(path: string): Promise<ChatWriter> {
  const file = await open(path, 'w');
  return {
    path,
    async write(messages) {
      if (messages.length) await file.writeFile(messages.map((m) => JSON.stringify(m) + '\n').join(''));
    },
    async close() {
      await file.sync();
      await file.close();
    },
  };
}

/**
 * The array is built in a temporary file beside the target and renamed over it once closed:
 * rename is atomic, so the target is always the previous file or a complete, valid array.
 */
async function openJsonWriter(path: string): Promise<ChatWriter> {
  const temp = `${path}.tmp-${process.pid}`;
  const file = await open(temp, 'w');
  let first = true;
  const guarded = async (step: (file: FileHandle) => Promise<void>) => {
    try {
      await step(file);
    } catch (error) {
      await file.close().catch(() => {});
      await rm(temp, { force: true });
      throw error;
    }
  };
  await guarded((f) => f.writeFile('['));
  return {
    path,
    async write(messages) {
      if (!messages.length) return;
      const text = messages.map((m) => JSON.stringify(m)).join(',\n');
      await guarded((f) => f.writeFile((first ? '\n' : ',\n') + text));
      first = false;
    },
    async close() {
      await guarded(async (f) => {
        await f.writeFile('\n]\n');
        await f.sync();
        await f.close();
      });
      await rename(temp, path);
    },
  };
}
