// A signal that aborts after `ms`, or when `outer` aborts, whichever comes first.
//
// Why not `AbortSignal.any([outer, AbortSignal.timeout(ms)])`: on Node 20 the composite holds its
// timeout signal only weakly, so a garbage collection while the request waits collects the timeout
// signal, cancels its timer, and the request hangs for ever (nodejs/node#57736; reproduced in
// timeout-signal.test.ts). Here the timer itself holds the controller, so nothing can collect it.
export function timeoutSignal(ms: number, outer?: AbortSignal | null): AbortSignal {
  const controller = new AbortController();
  if (outer?.aborted) {
    controller.abort(outer.reason);
    return controller.signal;
  }
  const timer = setTimeout(
    () => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    ms,
  );
  // Like AbortSignal.timeout, the timer alone does not keep the process running.
  timer.unref();
  controller.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  // Removed when this signal aborts (at the latest after `ms`), so a long-lived outer signal does not
  // collect a listener per request.
  outer?.addEventListener('abort', () => controller.abort(outer.reason), { once: true, signal: controller.signal });
  return controller.signal;
}
