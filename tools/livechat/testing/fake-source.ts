// Test-only: a scripted ChatSource, so the exporter's own logic is tested without YouTube.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatMessage } from '../message.ts';
import { ChatUnavailableError, NetworkError, type ChatBatch, type ChatSource } from '../source.ts';
import { fakeMessages } from './messages.ts';

/** One answer of `next()`: messages, a thrown error, or a request that never answers. */
export type Step = ChatMessage[] | Error | 'hang';

export interface FakeScript {
  isReplay?: boolean;
  /** open() rejects with this reason (exit 3). */
  unavailable?: string;
  /** The first N calls of open() fail like a dropped connection. */
  openFailures?: number;
  steps?: Step[];
  /** After the steps: the chat ends, or goes on forever in batches of 5 every `everyMs`. */
  then?: 'end' | { everyMs: number };
  waitHintMs?: number;
}

export function fakeSource(script: FakeScript): ChatSource & { calls: { open: number; next: number } } {
  const calls = { open: 0, next: 0 };
  return {
    calls,
    async open() {
      calls.open++;
      if (script.unavailable) throw new ChatUnavailableError(script.unavailable);
      if (calls.open <= (script.openFailures ?? 0)) throw new NetworkError('connect ECONNRESET');
      const steps = [...(script.steps ?? [])];
      let produced = 0;
      return {
        isReplay: script.isReplay ?? false,
        async next(): Promise<ChatBatch | null> {
          calls.next++;
          const step = steps.shift();
          if (step === 'hang') return new Promise<never>(() => {});
          if (step instanceof Error) throw step;
          if (step) {
            produced += step.length;
            return { messages: step, waitHintMs: script.waitHintMs };
          }
          const then = script.then ?? 'end';
          if (then === 'end') return null;
          await sleep(then.everyMs);
          const messages = fakeMessages(produced, 5, script.isReplay);
          produced += 5;
          return { messages };
        },
      };
    },
  };
}
