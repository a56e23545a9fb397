// Test-only: the livechat CLI wired exactly like cli.ts but reading an endless fake chat, so tests can
// spawn a real process and send it real signals. Never used outside tools/livechat/*.test.ts.
import process from 'node:process';
import { run } from '../run.ts';
import { abortOnSignals } from '../signals.ts';
import { fakeSource } from './fake-source.ts';

const code = await run(process.argv.slice(2), {
  source: fakeSource({ then: { everyMs: 5 } }),
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  signal: abortOnSignals(),
});
process.exit(code);
