import { EventEmitter } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createHub, httpChunk, milestoneKey } from './hub.ts';
import { sseFrame } from './sse-frame.ts';

/** A response whose socket takes nothing until `drain()`: what a fresh socket with a small kernel buffer looks like at first. */
function fakeResponse() {
  const res = Object.assign(new EventEmitter(), {
    writableLength: 0,
    destroyed: false,
    writableEnded: false,
    write(data: Buffer | string) {
      res.writableLength += Buffer.byteLength(data);
      return false;
    },
    destroy() {
      res.destroyed = true;
      res.emit('close');
    },
    drain() {
      res.writableLength = 0;
    },
  });
  return res;
}

describe('the hub', () => {
  it('holds a milestone published during the catch-up until the replay is done, and drops one the replay had', () => {
    const hub = createHub({ heartbeatMs: 60_000 });
    const written: string[] = [];
    const res = Object.assign(new EventEmitter(), {
      writableLength: 0,
      destroyed: false,
      writableEnded: false,
      write: (data: Buffer | string) => (written.push(String(data)), true),
    });
    const client = hub.add('ev', res as unknown as ServerResponse);
    const at = (s: number) => new Date(Date.UTC(2026, 11, 7, 20, 0, s)).toISOString();
    const replayed = { kind: 'threshold' as const, value: 1000, ts: at(10) };
    const fresh = { kind: 'peak' as const, value: 1505, ts: at(10) };
    hub.publishMilestone('ev', replayed);
    hub.publishMilestone('ev', fresh);
    expect(written).toEqual([]);
    // What the route does: the replay read from the database, written with the client's last tick.
    client.lastTs = Date.parse(at(10));
    client.replayed = new Set([milestoneKey(replayed)]);
    hub.writeMilestone(client, replayed);
    hub.goLive(client);
    const t = Date.parse(at(10));
    expect(written).toEqual([
      sseFrame('milestone', replayed, `${t}_${t}_t1000`),
      sseFrame('milestone', fresh, `${t}_${t}_p1505`),
    ]);
  });

  it('sends a catch-up frame bigger than the bound whole, and cuts only a live client that stays behind', () => {
    const hub = createHub({ maxPendingBytes: 64 * 1024, heartbeatMs: 60_000 });
    const res = fakeResponse();
    const client = hub.add('ev', res as unknown as ServerResponse);
    // A history of a few streams over three hours: ~200 kB, pending at first even for a reader.
    expect(hub.write(client, 'x'.repeat(200 * 1024))).toBe(true);
    expect(hub.write(client, 'event: status\n\n')).toBe(true);
    hub.goLive(client);
    expect(res.destroyed).toBe(false);
    res.drain(); // the client reads it
    const sample = { ts: new Date().toISOString(), total: 1, streams: { s: 1 } };
    hub.publishSample('ev', Date.now(), sample);
    expect(res.destroyed).toBe(false);
    // …then stops reading: live frames pile up past the bound and it is cut.
    for (let i = 0; i < 10_000 && !res.destroyed; i++)
      hub.publishSample('ev', Date.now() + i + 1, { ...sample, streams: { s: 'y'.repeat(1024) as never } });
    expect(res.destroyed).toBe(true);
    expect(hub.slowDisconnects).toBe(1);
    expect(hub.size).toBe(0);
    hub.stop();
  });
});

describe('fan-out on a real socket', () => {
  it('writes each frame as one valid HTTP/1.1 chunk: the bytes ServerResponse would send, read whole by fetch', async () => {
    const hub = createHub({ heartbeatMs: 60_000 });
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write('retry: 3000\n\n');
      hub.goLive(hub.add('ev', res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      // A raw reader sees the framing; fetch checks that an HTTP client decodes it.
      const raw: Buffer[] = [];
      const socket = connect(port, '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
      socket.on('data', (d: Buffer) => raw.push(d));
      const res = await fetch(`http://127.0.0.1:${port}/`);
      const reader = res.body!.getReader();
      while (hub.size < 2) await new Promise((r) => setTimeout(r, 10));

      const sample = { ts: '2024-05-01T00:00:00.000Z', total: 3, streams: { a: 1, b: 2 } };
      hub.publishSample('ev', 1714521600000, sample);
      hub.publishStatus('ev', { state: 'ok', intervalSeconds: 2, streams: [] });
      const frames = [
        'retry: 3000\n\n',
        sseFrame('sample', sample, '1714521600000'),
        sseFrame('status', { state: 'ok', intervalSeconds: 2, streams: [] }),
      ];

      let text = '';
      const decoder = new TextDecoder();
      while (text.length < frames.join('').length) text += decoder.decode((await reader.read()).value);
      expect(text).toBe(frames.join(''));

      const body = Buffer.concat(frames.map((f) => httpChunk(Buffer.from(f))));
      while (Buffer.concat(raw).indexOf(body) === -1 && Buffer.concat(raw).length < 10_000)
        await new Promise((r) => setTimeout(r, 10));
      const all = Buffer.concat(raw);
      expect(all.subarray(all.indexOf('\r\n\r\n') + 4).toString()).toBe(body.toString());
      expect(body.toString()).toMatch(/^d\r\nretry: 3000\n\n\r\n[0-9a-f]+\r\nid: 1714521600000\n/);
      socket.destroy();
      await reader.cancel();
    } finally {
      hub.stop();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
