// Reads the command line of `npm run livechat` (the same arguments as the old pytchat script) into options.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as v from 'valibot';
import { parseVideoInput } from '../../server/youtube/video-url.ts';

export const USAGE = 'usage: npm run livechat -- VIDEO_URL [out.json] [max_messages] [--ndjson] [--sleep-sec 0.5]';

export const HELP = `${USAGE}

Exports the live chat of a YouTube video: follows a live chat until the stream ends (or Ctrl+C),
reads a chat replay to its end.

  VIDEO_URL      a video link (watch?v=, youtu.be/, /live/, /shorts/) or the 11-character id
  out.json       output file; default <VIDEO_ID>_livechat.json (.ndjson with --ndjson)
  max_messages   stop after this many messages
  --ndjson       one JSON message per line instead of one JSON array
  --sleep-sec S  shortest pause between requests to YouTube, 0 to 60 (default 0.5)

Exit codes: 0 done (chat ended, max_messages reached, or stopped by Ctrl+C/SIGTERM with the file
completed), 1 unexpected error, 2 bad arguments, 3 no readable chat (none, disabled, members-only,
private), 4 YouTube unreachable after retries; 130 (SIGINT), 143 (SIGTERM) or 129 (SIGHUP) when
stopped before the chat was found, with nothing written.
`;

export interface CliOptions {
  videoId: string;
  outPath: string;
  format: 'json' | 'ndjson';
  /** Stop after this many messages; undefined follows the chat to its end. */
  maxMessages?: number;
  /** Shortest pause between two requests to YouTube. */
  sleepMs: number;
}

export type ArgsResult = { kind: 'run'; options: CliOptions } | { kind: 'help' } | { kind: 'error'; message: string };

const MAX_MESSAGES = v.pipe(
  v.string(),
  v.regex(/^\d+$/, 'max_messages must be a whole number from 1 to 100000000'),
  v.transform(Number),
  v.minValue(1, 'max_messages must be a whole number from 1 to 100000000'),
  v.maxValue(100_000_000, 'max_messages must be a whole number from 1 to 100000000'),
);

const SLEEP_SEC = v.pipe(
  v.string(),
  v.regex(/^\d+(\.\d+)?$/, '--sleep-sec must be a number of seconds from 0 to 60'),
  v.transform(Number),
  v.maxValue(60, '--sleep-sec must be a number of seconds from 0 to 60'),
);

export function parseCliArgs(argv: string[], cwd: string): ArgsResult {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ndjson: { type: 'boolean', default: false },
        'sleep-sec': { type: 'string', default: '0.5' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    return { kind: 'error', message: (err as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help) return { kind: 'help' };
  if (positionals.length < 1 || positionals.length > 3) {
    return { kind: 'error', message: `expected 1 to 3 arguments, got ${positionals.length}` };
  }
  const [input, out, max] = positionals;
  const video = parseVideoInput(input);
  if (!video.ok) return { kind: 'error', message: video.message };

  const maxMessages = max === undefined ? undefined : v.safeParse(MAX_MESSAGES, max);
  if (maxMessages && !maxMessages.success) return { kind: 'error', message: maxMessages.issues[0].message };
  const sleep = v.safeParse(SLEEP_SEC, values['sleep-sec']);
  if (!sleep.success) return { kind: 'error', message: sleep.issues[0].message };

  const format = values.ndjson ? 'ndjson' : 'json';
  return {
    kind: 'run',
    options: {
      videoId: video.videoId,
      outPath: resolve(cwd, out || `${video.videoId}_livechat.${format}`),
      format,
      maxMessages: maxMessages?.output,
      sleepMs: Math.round(sleep.output * 1000),
    },
  };
}
