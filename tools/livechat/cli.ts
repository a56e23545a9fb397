// Entry point of `npm run livechat`: exports a YouTube video's live chat or chat replay to JSON or NDJSON.
import process from 'node:process';
import { run } from './run.ts';
import { abortOnSignals } from './signals.ts';
import { createYoutubeiSource } from './youtubei-source.ts';

const code = await run(process.argv.slice(2), {
  source: createYoutubeiSource(),
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  signal: abortOnSignals(),
});
// Exit explicitly: a request the abort left behind must not keep the process alive.
process.exit(code);
