// What a person at a terminal sees while the export runs, and the one summary line at the end.

export interface ErrorStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Progress {
  update(count: number): void;
  note(text: string): void;
  clear(): void;
}

const REDRAW_MS = 250;

/** A self-rewriting status line on a terminal; nothing at all when stderr is a file or a pipe. */
export function createProgress(stream: ErrorStream, now: () => number): Progress {
  if (!stream.isTTY) return { update() {}, note() {}, clear() {} };
  const started = now();
  let drawnAt = -Infinity;
  let shown = false;
  const clear = () => {
    if (shown) stream.write('\r\x1b[2K');
    shown = false;
    drawnAt = -Infinity;
  };
  return {
    update(count) {
      const at = now();
      if (at - drawnAt < REDRAW_MS) return;
      drawnAt = at;
      const seconds = Math.max((at - started) / 1000, 0.001);
      stream.write(
        `\r\x1b[2K${count.toLocaleString('en-US')} messages · ${(count / seconds).toFixed(1)}/s · ${formatDuration(at - started)}`,
      );
      shown = true;
    },
    note(text) {
      clear();
      stream.write(`${text}\n`);
    },
    clear,
  };
}

export function formatDuration(ms: number): string {
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h
    ? `${h}h${String(m).padStart(2, '0')}m${String(s).padStart(2, '0')}s`
    : m
      ? `${m}m${String(s).padStart(2, '0')}s`
      : `${s}s`;
}
