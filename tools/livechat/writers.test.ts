import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeMessages } from './testing/messages.ts';
import { openWriter } from './writers.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'livechat-writers-'));
});

const lines = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

describe('JSON writer', () => {
  it('writes one valid array across many batches', async () => {
    const path = join(dir, 'chat.json');
    const writer = await openWriter(path, 'json');
    const batches = [fakeMessages(0, 3), [], fakeMessages(3, 1), fakeMessages(4, 20)];
    for (const batch of batches) await writer.write(batch);
    await writer.close();
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(batches.flat());
    expect(await readdir(dir)).toEqual(['chat.json']);
  });

  it('writes an empty array when nothing arrived', async () => {
    const path = join(dir, 'empty.json');
    const writer = await openWriter(path, 'json');
    await writer.close();
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual([]);
  });

  it('leaves the previous file in place until the new one is complete', async () => {
    const path = join(dir, 'chat.json');
    await writeFile(path, '["previous"]');
    const writer = await openWriter(path, 'json');
    await writer.write(fakeMessages(0, 5));
    expect(await readFile(path, 'utf8')).toBe('["previous"]');
    expect((await readdir(dir)).sort()).toEqual(['chat.json', `chat.json.tmp-${process.pid}`]);
    await writer.close();
    expect(JSON.parse(await readFile(path, 'utf8'))).toHaveLength(5);
  });

  it('fails to open in a directory that does not exist', async () => {
    await expect(openWriter(join(dir, 'missing', 'chat.json'), 'json')).rejects.toThrow(/ENOENT/);
  });
});

describe('NDJSON writer', () => {
  it('writes one message per line, readable while the chat is still running', async () => {
    const path = join(dir, 'chat.ndjson');
    const writer = await openWriter(path, 'ndjson');
    await writer.write(fakeMessages(0, 4));
    expect(lines(await readFile(path, 'utf8'))).toEqual(fakeMessages(0, 4));
    await writer.write(fakeMessages(4, 2));
    await writer.close();
    const text = await readFile(path, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(lines(text)).toEqual(fakeMessages(0, 6));
  });

  it('replaces a previous file rather than appending to it', async () => {
    const path = join(dir, 'chat.ndjson');
    await writeFile(path, '{"old":true}\n{"old":true}\n');
    const writer = await openWriter(path, 'ndjson');
    await writer.write(fakeMessages(0, 1));
    await writer.close();
    expect(lines(await readFile(path, 'utf8'))).toEqual(fakeMessages(0, 1));
  });
});
