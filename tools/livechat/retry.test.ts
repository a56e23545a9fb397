import { describe, expect, it } from 'vitest';
import { withRetry } from './retry.ts';
import { ChatUnavailableError, NetworkError } from './source.ts';

const policy = { attempts: 4, baseDelayMs: 1, maxDelayMs: 5 };

function failing(times: number, error: () => Error) {
  let calls = 0;
  const call = async () => {
    calls++;
    if (calls <= times) throw error();
    return `ok after ${calls}`;
  };
  return { call, calls: () => calls };
}

describe('withRetry', () => {
  it('retries network failures until one succeeds', async () => {
    const target = failing(3, () => new NetworkError('reset'));
    const retries: number[] = [];
    const result = await withRetry(target.call, policy, new AbortController().signal, (_e, attempt, delay) => {
      retries.push(attempt);
      expect(delay).toBeLessThanOrEqual(Math.min(5, 2 ** (attempt - 1)));
    });
    expect(result).toBe('ok after 4');
    expect(retries).toEqual([1, 2, 3]);
  });

  it('gives up after the last attempt with the network error', async () => {
    const target = failing(10, () => new NetworkError('still down'));
    await expect(withRetry(target.call, policy, new AbortController().signal)).rejects.toThrow('still down');
    expect(target.calls()).toBe(4);
  });

  it('does not retry other errors', async () => {
    const target = failing(1, () => new ChatUnavailableError('members only'));
    await expect(withRetry(target.call, policy, new AbortController().signal)).rejects.toBeInstanceOf(
      ChatUnavailableError,
    );
    expect(target.calls()).toBe(1);
  });

  it('stops waiting as soon as it is aborted', async () => {
    const controller = new AbortController();
    const target = failing(10, () => new NetworkError('down'));
    const started = Date.now();
    const pending = withRetry(
      target.call,
      { attempts: 5, baseDelayMs: 60_000, maxDelayMs: 60_000 },
      controller.signal,
      () => setTimeout(() => controller.abort(), 20),
    );
    await expect(pending).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
