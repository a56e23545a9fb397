// Spawns real processes: the signal path can only be trusted when a real signal reaches a real process.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeMessages } from './testing/messages.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const ID = 'dQw4w9WgXcQ';
// The processes run in a temporary directory, where a bare `--import tsx` would not resolve.
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'livechat-cli-'));
});

function start(script: string, args: string[]) {
  const child = spawn(process.execPath, ['--import', TSX, join(ROOT, script), ...args], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = once(child, 'exit').then(([code]) => ({ code: code as number | null, stderr }));
  return { child, exited };
}

/** Waits until the file being written (whatever its name starts with) holds at least `bytes`. */
async function waitForBytes(prefix: string, bytes: number) {
  for (let i = 0; i < 400; i++) {
    const name = (await readdir(dir)).find((n) => n.startsWith(prefix));
    if (name && (await stat(join(dir, name))).size >= bytes) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`nothing written to ${prefix}* in time`);
}

describe('livechat CLI process', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    'on %s completes a valid JSON array of everything received and exits 0',
    async (signal) => {
      const { child, exited } = start('tools/livechat/testing/fake-cli.ts', [ID, 'chat.json', '--sleep-sec', '0']);
      await waitForBytes('chat.json', 20_000);
      child.kill(signal);
      const { code, stderr } = await exited;
      expect(code).toBe(0);
      const messages = JSON.parse(await readFile(join(dir, 'chat.json'), 'utf8'));
      expect(messages.length).toBeGreaterThan(20);
      expect(messages).toEqual(fakeMessages(0, messages.length));
      expect(stderr).toMatch(
        new RegExp(`^livechat: ${messages.length} messages from the live chat .* stopped by ${signal}\\n$`),
      );
      expect(await readdir(dir)).toEqual(['chat.json']);
    },
  );

  it('on SIGTERM leaves NDJSON whose every line is a whole message', async () => {
    const { child, exited } = start('tools/livechat/testing/fake-cli.ts', [
      ID,
      'chat.ndjson',
      '--ndjson',
      '--sleep-sec',
      '0',
    ]);
    await waitForBytes('chat.ndjson', 20_000);
    child.kill('SIGTERM');
    expect((await exited).code).toBe(0);
    const text = await readFile(join(dir, 'chat.ndjson'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const messages = text
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(messages).toEqual(fakeMessages(0, messages.length));
  });

  it('the real entry point exits 2 on a bad URL without any network', async () => {
    const { exited } = start('tools/livechat/cli.ts', ['https://example.com/watch?v=dQw4w9WgXcQ']);
    const { code, stderr } = await exited;
    expect(code).toBe(2);
    expect(stderr).toMatch(/is not a YouTube video link/);
    expect(await readdir(dir)).toEqual([]);
  });
});
