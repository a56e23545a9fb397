import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { run, type RunDeps } from './run.ts';
import { NetworkError } from './source.ts';
import { fakeSource, type FakeScript } from './testing/fake-source.ts';
import { fakeMessages } from './testing/messages.ts';

const ID = 'dQw4w9WgXcQ';
const URL = `https://www.youtube.com/watch?v=${ID}`;
const FAST_RETRY = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'livechat-run-'));
});

function harness(script: FakeScript, extra: Partial<RunDeps> = {}) {
  const out = { stdout: '', stderr: '' };
  const source = fakeSource(script);
  const controller = new AbortController();
  const deps: RunDeps = {
    source,
    stdout: { write: (t: string) => (out.stdout += t) },
    stderr: { write: (t: string) => (out.stderr += t) },
    cwd: dir,
    signal: controller.signal,
    retry: FAST_RETRY,
    ...extra,
  };
  return { deps, out, source, controller, run: (...argv: string[]) => run(argv, deps) };
}

const readJson = async (path: string) => JSON.parse(await readFile(path, 'utf8'));
const readNdjson = async (path: string) =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

describe('run', () => {
  it('exports a replay to the end, to <VIDEO_ID>_livechat.json by default, and says so', async () => {
    const h = harness({ isReplay: true, steps: [fakeMessages(0, 3, true), [], fakeMessages(3, 4, true)] });
    expect(await h.run(URL, '--sleep-sec', '0')).toBe(0);
    expect(await readJson(join(dir, `${ID}_livechat.json`))).toEqual(fakeMessages(0, 7, true));
    expect(h.out.stderr).toMatch(
      new RegExp(
        `^livechat: 7 messages from the chat replay of ${ID} in 0s → ${ID}_livechat.json; the chat has ended\\n$`,
      ),
    );
    expect(await readdir(dir)).toEqual([`${ID}_livechat.json`]);
  });

  it('writes NDJSON with --ndjson, one message per line', async () => {
    const h = harness({ steps: [fakeMessages(0, 2), fakeMessages(2, 3)] });
    expect(await h.run(ID, '--ndjson', '--sleep-sec', '0')).toBe(0);
    expect(await readNdjson(join(dir, `${ID}_livechat.ndjson`))).toEqual(fakeMessages(0, 5));
  });

  it('stops after max_messages, mid-batch, without asking for more', async () => {
    const h = harness({ steps: [fakeMessages(0, 10), fakeMessages(10, 10), fakeMessages(20, 10)] });
    expect(await h.run(URL, 'chat.json', '15', '--sleep-sec', '0')).toBe(0);
    expect(await readJson(join(dir, 'chat.json'))).toEqual(fakeMessages(0, 15));
    expect(h.source.calls.next).toBe(2);
    expect(h.out.stderr).toMatch(/stopped at max_messages \(15\)/);
  });

  it('paces requests by --sleep-sec and by the live chat’s own hint when longer', async () => {
    const paced = harness({ steps: [fakeMessages(0, 1), fakeMessages(1, 1), fakeMessages(2, 1)] });
    let started = Date.now();
    await paced.run(URL, 'a.json', '--sleep-sec', '0.1');
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);

    const hinted = harness({ steps: [fakeMessages(0, 1), fakeMessages(1, 1)], waitHintMs: 150 });
    started = Date.now();
    await hinted.run(URL, 'b.json', '--sleep-sec', '0');
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
  });

  it('exits 2 on a bad URL or bad arguments, before touching YouTube or the disk', async () => {
    const h = harness({ steps: [fakeMessages(0, 1)] });
    expect(await h.run('https://www.youtube.com/playlist?list=PL123', 'x.json')).toBe(2);
    expect(h.out.stderr).toMatch(/playlist link/);
    expect(h.out.stderr).toMatch(/usage: npm run livechat/);
    expect(await h.run(URL, 'x.json', 'many')).toBe(2);
    expect(h.source.calls.open).toBe(0);
    expect(await readdir(dir)).toEqual([]);
  });

  it('exits 2 when the output cannot be written', async () => {
    const h = harness({ steps: [] });
    expect(await h.run(URL, join(dir, 'no-such-dir', 'x.json'))).toBe(2);
    expect(h.out.stderr).toMatch(/cannot write .*no-such-dir.*ENOENT/);
  });

  it('exits 3 with the reason when the video has no readable chat, leaving an older file alone', async () => {
    await writeFile(join(dir, 'chat.json'), '["older export"]');
    const h = harness({ unavailable: 'the chat is not available: Chat is disabled for this live stream.' });
    expect(await h.run(URL, 'chat.json')).toBe(3);
    expect(h.out.stderr).toBe(
      `livechat: no chat to export for ${ID}: the chat is not available: Chat is disabled for this live stream.\n`,
    );
    expect(await readFile(join(dir, 'chat.json'), 'utf8')).toBe('["older export"]');
  });

  it('retries network failures with backoff and carries on without losing or repeating messages', async () => {
    const down = () => new NetworkError('/youtubei/v1/live_chat/get_live_chat: fetch failed: ECONNRESET');
    const h = harness({ openFailures: 2, steps: [fakeMessages(0, 3), down(), down(), fakeMessages(3, 3)] });
    expect(await h.run(URL, 'chat.json', '--sleep-sec', '0')).toBe(0);
    expect(await readJson(join(dir, 'chat.json'))).toEqual(fakeMessages(0, 6));
    expect(h.source.calls.open).toBe(3);
  });

  it('gives up with 4 after the last retry, keeping a valid file with everything received', async () => {
    const down = () => new NetworkError('/youtubei/v1/live_chat/get_live_chat: HTTP 503');
    const h = harness({ steps: [fakeMessages(0, 4), down(), down(), down(), fakeMessages(4, 1)] });
    expect(await h.run(URL, 'chat.json', '--sleep-sec', '0')).toBe(4);
    expect(await readJson(join(dir, 'chat.json'))).toEqual(fakeMessages(0, 4));
    expect(h.out.stderr).toMatch(
      /4 messages .* stopped by an error\nlivechat: gave up after 3 attempts, YouTube could not be reached: .*HTTP 503\n$/,
    );
  });

  it('gives up with 4 when the chat cannot even be found, writing nothing', async () => {
    const h = harness({ openFailures: 5 });
    expect(await h.run(URL, 'chat.json')).toBe(4);
    expect(h.source.calls.open).toBe(3);
    expect(existsSync(join(dir, 'chat.json'))).toBe(false);
  });

  it.runIf(existsSync('/dev/full'))('exits 1 when the disk refuses the messages', async () => {
    const h = harness({ steps: [fakeMessages(0, 2)] });
    expect(await h.run(URL, '/dev/full', '--ndjson', '--sleep-sec', '0')).toBe(1);
    expect(h.out.stderr).toMatch(/^livechat: cannot write \/dev\/full: ENOSPC/);
  });

  it('exits 1 on an unexpected error and still completes the file', async () => {
    const h = harness({ steps: [fakeMessages(0, 2), new TypeError('cannot read properties of undefined')] });
    expect(await h.run(URL, 'chat.json', '--sleep-sec', '0')).toBe(1);
    expect(await readJson(join(dir, 'chat.json'))).toEqual(fakeMessages(0, 2));
    expect(h.out.stderr).toMatch(/unexpected error: TypeError: cannot read properties of undefined/);
  });

  it('stops at once on a signal even while a request hangs, completing the file', async () => {
    const h = harness({ steps: [fakeMessages(0, 3), 'hang'] });
    const pending = h.run(URL, 'chat.json', '--sleep-sec', '0');
    while (h.source.calls.next < 2) await new Promise((r) => setTimeout(r, 5));
    h.controller.abort('SIGTERM');
    expect(await pending).toBe(0);
    expect(await readJson(join(dir, 'chat.json'))).toEqual(fakeMessages(0, 3));
    expect(h.out.stderr).toMatch(/3 messages from the live chat .*; stopped by SIGTERM\n$/);
  });

  it('exits 130 when stopped before the chat was found', async () => {
    const h = harness({ openFailures: 99 }, { retry: { attempts: 5, baseDelayMs: 10_000, maxDelayMs: 10_000 } });
    const pending = h.run(URL, 'chat.json');
    while (h.source.calls.open < 1) await new Promise((r) => setTimeout(r, 5));
    h.controller.abort('SIGINT');
    expect(await pending).toBe(130);
    expect(h.out.stderr).toMatch(/stopped by SIGINT before the chat was found; nothing written/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('shows progress only when stderr is a terminal', async () => {
    let clock = 0;
    const tty = {
      text: '',
      isTTY: true,
      write(t: string) {
        this.text += t;
      },
    };
    const h = harness({ steps: [fakeMessages(0, 5), fakeMessages(5, 5)] }, { stderr: tty, now: () => (clock += 1000) });
    expect(await h.run(URL, 'chat.json', '--sleep-sec', '0')).toBe(0);
    expect(tty.text).toMatch(/\r\x1b\[2K5 messages · \d+\.\d\/s · \ds/);
    expect(tty.text).toMatch(/\r\x1b\[2K10 messages ·/);

    const quiet = harness({ steps: [fakeMessages(0, 5), fakeMessages(5, 5)] });
    await quiet.run(URL, 'quiet.json', '--sleep-sec', '0');
    expect(quiet.out.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('prints usage on --help', async () => {
    const h = harness({});
    expect(await h.run('--help')).toBe(0);
    expect(h.out.stdout).toMatch(/^usage: npm run livechat -- VIDEO_URL/);
  });
});
