// The whole command, as a function of its arguments and its dependencies: returns the exit code.
import { relative } from 'node:path';
import { HELP, parseCliArgs, USAGE, type CliOptions } from './args.ts';
import { exportChat, untilAborted, type ExportEnd } from './export-chat.ts';
import { createProgress, formatDuration, type ErrorStream } from './progress.ts';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.ts';
import { SIGNAL_EXIT_CODES } from './signals.ts';
import { ChatUnavailableError, NetworkError, type ChatSource, type ChatStream } from './source.ts';
import { openWriter, type ChatWriter } from './writers.ts';

export const EXIT = { ok: 0, failed: 1, usage: 2, noChat: 3, network: 4 } as const;

export interface RunDeps {
  source: ChatSource;
  stdout: { write(text: string): unknown };
  stderr: ErrorStream;
  cwd: string;
  /** Fires on SIGINT/SIGTERM/SIGHUP; its reason names the signal. */
  signal: AbortSignal;
  retry?: RetryPolicy;
  now?: () => number;
}

export async function run(argv: string[], deps: RunDeps): Promise<number> {
  const args = parseCliArgs(argv, deps.cwd);
  if (args.kind === 'help') {
    deps.stdout.write(HELP);
    return EXIT.ok;
  }
  if (args.kind === 'error') {
    deps.stderr.write(`livechat: ${args.message}\n${USAGE}\n`);
    return EXIT.usage;
  }
  const { options } = args;
  const now = deps.now ?? Date.now;
  const started = now();
  const progress = createProgress(deps.stderr, now);
  const retry = deps.retry ?? DEFAULT_RETRY;
  const onRetry = (error: NetworkError, attempt: number, delayMs: number) =>
    progress.note(
      `livechat: ${error.message}; retrying in ${(delayMs / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${retry.attempts})`,
    );

  let stream: ChatStream;
  try {
    stream = await withRetry(
      () => untilAborted(deps.source.open(options.videoId, deps.signal), deps.signal),
      retry,
      deps.signal,
      onRetry,
    );
  } catch (error) {
    progress.clear();
    if (deps.signal.aborted) {
      deps.stderr.write(
        `livechat: stopped by ${String(deps.signal.reason)} before the chat was found; nothing written\n`,
      );
      return SIGNAL_EXIT_CODES[String(deps.signal.reason)] ?? 130;
    }
    return reportFailure(deps.stderr, options.videoId, error, retry);
  }

  let writer: ChatWriter;
  try {
    writer = await openWriter(options.outPath, options.format);
  } catch (error) {
    deps.stderr.write(`livechat: cannot write ${options.outPath}: ${(error as Error).message}\n`);
    return EXIT.usage;
  }

  let result;
  try {
    result = await exportChat(stream, writer, {
      ...options,
      retry,
      signal: deps.signal,
      onBatch: (count) => progress.update(count),
      onRetry,
    });
    // Whatever stopped the loop (end, limit, signal, network), what was received is completed on disk.
    await writer.close();
  } catch (error) {
    // Only the disk gets here (the loop reports the source's errors itself); a JSON export then
    // leaves the previous file in place rather than a broken one.
    await writer.close().catch(() => {});
    progress.clear();
    deps.stderr.write(`livechat: cannot write ${options.outPath}: ${(error as Error).message}\n`);
    return EXIT.failed;
  }
  progress.clear();
  const summary = summarize(options, deps.cwd, stream.isReplay, result.count, now() - started);
  deps.stderr.write(`${summary}; ${describeEnd(result.end, options, deps.signal)}\n`);
  return result.end.reason === 'failed'
    ? reportFailure(deps.stderr, options.videoId, result.end.error, retry)
    : EXIT.ok;
}

function reportFailure(stderr: ErrorStream, videoId: string, error: unknown, retry: RetryPolicy): number {
  if (error instanceof ChatUnavailableError) {
    stderr.write(`livechat: no chat to export for ${videoId}: ${error.message}\n`);
    return EXIT.noChat;
  }
  if (error instanceof NetworkError) {
    stderr.write(
      `livechat: gave up after ${retry.attempts} attempts, YouTube could not be reached: ${error.message}\n`,
    );
    return EXIT.network;
  }
  stderr.write(
    `livechat: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  return EXIT.failed;
}

function summarize(options: CliOptions, cwd: string, isReplay: boolean, count: number, elapsedMs: number): string {
  const where = relative(cwd, options.outPath) || options.outPath;
  const kind = isReplay ? 'chat replay' : 'live chat';
  return `livechat: ${count} message${count === 1 ? '' : 's'} from the ${kind} of ${options.videoId} in ${formatDuration(elapsedMs)} → ${where}`;
}

function describeEnd(end: ExportEnd, options: CliOptions, signal: AbortSignal): string {
  switch (end.reason) {
    case 'ended':
      return 'the chat has ended';
    case 'max':
      return `stopped at max_messages (${options.maxMessages})`;
    case 'interrupted':
      return `stopped by ${String(signal.reason)}`;
    case 'failed':
      return 'stopped by an error';
  }
}
