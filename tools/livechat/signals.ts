// Turns SIGINT/SIGTERM/SIGHUP into an abort, so the export stops cleanly and completes its file.
import process from 'node:process';

// SIGHUP too: a closed terminal or dropped SSH session should still leave a completed file.
export const SIGNAL_EXIT_CODES: Record<string, number> = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 };

/** The first signal asks for a clean stop; a second one means "now" and exits at once. */
export function abortOnSignals(): AbortSignal {
  const controller = new AbortController();
  for (const name of ['SIGHUP', 'SIGINT', 'SIGTERM'] as const) {
    process.on(name, () => {
      if (controller.signal.aborted) process.exit(SIGNAL_EXIT_CODES[name]);
      controller.abort(name);
    });
  }
  return controller.signal;
}
