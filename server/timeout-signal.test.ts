import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { fullGc } from './testing/full-gc.ts';
import { timeoutSignal } from './timeout-signal.ts';

/** Whether `signal` aborts within `waitMs`, with a full GC while it waits; its reason if so. */
async function abortsAfterGc(make: () => AbortSignal, waitMs: number): Promise<unknown> {
  let reason: unknown = 'never aborted';
  // Only the listener's closure refers to the signal, as when a request is waiting on it.
  (() => {
    const signal = make();
    signal.addEventListener('abort', () => (reason = signal.reason), { once: true });
  })();
  await new Promise((resolve) => setImmediate(resolve));
  fullGc();
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  return reason;
}

describe('timeoutSignal', () => {
  it('reproduces nodejs/node#57736 on this Node: AbortSignal.any with a timeout never aborts after a GC', async () => {
    // If this starts failing, Node has fixed it and timeoutSignal can give way to AbortSignal.any.
    const outer = new AbortController();
    const reason = await abortsAfterGc(() => AbortSignal.any([outer.signal, AbortSignal.timeout(30)]), 300);
    expect(reason).toBe('never aborted');
  });

  it('aborts after its time with a TimeoutError, even after a GC', async () => {
    const outer = new AbortController();
    const reason = await abortsAfterGc(() => timeoutSignal(30, outer.signal), 300);
    expect(reason).toBeInstanceOf(DOMException);
    expect((reason as DOMException).name).toBe('TimeoutError');
  });

  it('aborts with the outer reason when the outer signal aborts first', () => {
    const outer = new AbortController();
    const signal = timeoutSignal(60_000, outer.signal);
    expect(signal.aborted).toBe(false);
    outer.abort('SIGINT');
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe('SIGINT');
  });

  it('is aborted at once when the outer signal already is', () => {
    const signal = timeoutSignal(60_000, AbortSignal.abort('gone'));
    expect(signal.reason).toBe('gone');
  });

  it('leaves no listener on the outer signal once it has aborted', async () => {
    const outer = new AbortController();
    const signal = timeoutSignal(10, outer.signal);
    expect(getEventListeners(outer.signal, 'abort')).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(signal.aborted).toBe(true);
    expect(getEventListeners(outer.signal, 'abort')).toHaveLength(0);
  });
});
