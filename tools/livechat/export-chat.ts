// The export loop: pulls batches from a chat stream into a writer, paced, retried, stoppable.
import { setTimeout as sleep } from 'node:timers/promises';
import { withRetry, type RetryPolicy } from './retry.ts';
import type { ChatBatch, ChatStream, NetworkError } from './source.ts';
import type { ChatWriter } from './writers.ts';

export interface ExportOptions {
  maxMessages?: number;
  /** Shortest pause between two requests; a live chat's own hint wins when it is longer. */
  sleepMs: number;
  retry: RetryPolicy;
  signal: AbortSignal;
  onBatch?: (count: number) => void;
  onRetry?: (error: NetworkError, attempt: number, delayMs: number) => void;
}

export type ExportEnd = { reason: 'ended' | 'max' | 'interrupted' } | { reason: 'failed'; error: unknown };

export async function exportChat(
  stream: ChatStream,
  writer: ChatWriter,
  options: ExportOptions,
): Promise<{ count: number; end: ExportEnd }> {
  const { maxMessages, signal } = options;
  let count = 0;
  const done = (end: ExportEnd) => ({ count, end });
  for (;;) {
    if (signal.aborted) return done({ reason: 'interrupted' });
    let batch: ChatBatch | null;
    try {
      batch = await withRetry(() => untilAborted(stream.next(), signal), options.retry, signal, options.onRetry);
    } catch (error) {
      return done(signal.aborted ? { reason: 'interrupted' } : { reason: 'failed', error });
    }
    if (batch === null) return done({ reason: 'ended' });
    const room = maxMessages === undefined ? batch.messages.length : maxMessages - count;
    const messages = batch.messages.slice(0, room);
    await writer.write(messages);
    count += messages.length;
    options.onBatch?.(count);
    if (maxMessages !== undefined && count >= maxMessages) return done({ reason: 'max' });
    try {
      await sleep(Math.max(options.sleepMs, batch.waitHintMs ?? 0), undefined, { signal });
    } catch {
      return done({ reason: 'interrupted' });
    }
  }
}

/** Settles with the call, or rejects as soon as the signal fires, so a hung request cannot delay a stop. */
export function untilAborted<T>(call: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    call.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
