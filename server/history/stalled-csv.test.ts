// Issue 13, defect 2: anonymous clients that request a week of CSV and never read must not starve
// the server. Real HTTP on a loopback port, raw sockets that stop reading after the first bytes.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../testing/test-db.ts';
import { testInstance } from '../testing/test-instance.ts';
import { seedEvent, seedTicks } from './test-seed.ts';

const WEEK_S = 7 * 86400;
const EVERY_S = 10;
const STREAMS = 4;
// A week of 4 streams every 10 s is ~240k CSV rows (~14 MB): far more than loopback socket buffers hold.
const CSV_PATH = '/api/events/ev/streams/history.csv?minutes=10080';

interface Stalled {
  socket: Socket;
  /** The status line of the answer. */
  status: string;
}

/** Requests `path` and stops reading at the first bytes, like a client that hangs mid-download. */
function stalledReader(url: string, path: string): Promise<Stalled> {
  const u = new URL(url);
  const socket = connect(Number(u.port), u.hostname);
  socket.write(`GET ${path} HTTP/1.1\r\nHost: ${u.host}\r\n\r\n`);
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.once('data', (d) => {
      socket.pause();
      resolve({ socket, status: d.toString('latin1').split('\r\n')[0] });
    });
  });
}

/** How long `fn` took, or `limitMs` + 1 if it did not finish by then (the test's answer either way). */
async function timed(limitMs: number, fn: (signal: AbortSignal) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  const signal = AbortSignal.timeout(limitMs);
  try {
    await fn(signal);
  } catch (error) {
    if (signal.aborted) return limitMs + 1;
    throw error;
  }
  return Math.round(performance.now() - started);
}

/** Opens the event's SSE stream and resolves once its history and status frames have arrived. */
async function sseReady(url: string, signal: AbortSignal): Promise<void> {
  const res = await fetch(`${url}/api/events/ev/stream?minutes=60`, { signal });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  let text = '';
  try {
    while (!(text.includes('event: history') && text.includes('event: status'))) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`SSE ended early: ${text}`);
      text += new TextDecoder().decode(value);
    }
  } finally {
    await reader.cancel();
  }
}

describe.each(engines)('twelve stalled CSV readers on %s', (engine) => {
  let inst: Awaited<ReturnType<typeof testInstance>>;
  const stalled: Stalled[] = [];

  beforeAll(async () => {
    inst = await testInstance(engine, { listen: true });
    await seedEvent(inst.db, 'ev', Array.from({ length: STREAMS }, (_, i) => ({ id: `s${i}` })));
    await seedTicks(inst.db, 'ev', new Date(Date.now() - WEEK_S * 1000 + 60_000), WEEK_S / EVERY_S - 12, EVERY_S);
  }, 120_000);
  afterAll(async () => {
    for (const s of stalled) s.socket.destroy();
    await inst?.close();
  });

  it('leave health, history and a new SSE client answering within 2 s', async () => {
    stalled.push(...(await Promise.all(Array.from({ length: 12 }, () => stalledReader(inst.url, CSV_PATH)))));
    // Let the downloads fill the socket buffers and back-pressure their COPYs.
    await new Promise((r) => setTimeout(r, 1500));

    const limit = 10_000;
    const health = await timed(limit, async (signal) => expect((await fetch(`${inst.url}/api/health`, { signal })).status).toBe(200));
    const history = await timed(limit, async (signal) => expect((await fetch(`${inst.url}/api/events/ev/history?minutes=60&streams=1`, { signal })).status).toBe(200));
    const sse = await timed(limit, (signal) => sseReady(inst.url, signal));
    console.log(`${engine}: with 12 stalled CSV readers (${stalled.map((s) => s.status.split(' ')[1]).join(',')}): health ${health} ms, history ${history} ms, SSE ${sse} ms`);
    expect(health, 'health ms').toBeLessThan(2000);
    expect(history, 'history ms').toBeLessThan(2000);
    expect(sse, 'SSE ms').toBeLessThan(2000);
  }, 60_000);
});
