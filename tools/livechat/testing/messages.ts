// Test-only: deterministic chat messages of every type for the fake source and the writer tests.
import type { ChatMessage } from '../message.ts';

const START = Date.UTC(2025, 0, 1, 20, 0, 0);

export function fakeMessage(n: number, replay = false): ChatMessage {
  const base = {
    id: `msg-${n}`,
    timestamp: new Date(START + n * 1000).toISOString(),
    ...(replay ? { videoOffsetMs: n * 1000 } : {}),
    author: {
      name: `Viewer ${n % 7}`,
      channelId: `UC${String(n % 7).padStart(22, '0')}`,
      badges: n % 5 === 0 ? ['Moderator'] : [],
    },
  };
  if (n % 10 === 3)
    return {
      ...base,
      type: 'superchat',
      message: `thanks ${n} “quoted” \\ ünïcödé 🎉`,
      amount: { value: 5, currency: 'USD' },
    };
  if (n % 10 === 7) return { ...base, type: 'membership', message: 'Welcome to the channel!' };
  return { ...base, type: 'text', message: `message ${n}\nsecond line` };
}

export const fakeMessages = (from: number, count: number, replay = false): ChatMessage[] =>
  Array.from({ length: count }, (_, i) => fakeMessage(from + i, replay));
