import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createHub } from './hub.ts';

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
