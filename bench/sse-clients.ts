// The client side of bench:sse, in its own process: N raw TCP connections to one SSE URL (no EventSource,
// so the clients cost little CPU), each counted live once its `status` frame arrives; records when each
// `sample` frame arrives. Talks to the parent in JSON lines: stdout reports, stdin commands.
// Run by bench/sse.ts: node --import tsx bench/sse-clients.ts <url> <clients>
import { connect, type Socket } from 'node:net';
import { createInterface } from 'node:readline';

const [url, clientsArg] = process.argv.slice(2);
const target = new URL(url);
const CLIENTS = Number(clientsArg);
/** Connections opening at once: below the server's listen backlog (511), so no SYN is dropped. */
const OPENING = 200;
const REQUEST = `GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nAccept: text/event-stream\r\n\r\n`;
// A frame starts "id: <ms>\nevent: sample\n". Searched in the raw bytes (Buffer.indexOf is native) so a
// client costs microseconds per frame; a frame head split across two reads is missed and shows as lost.
const SAMPLE = Buffer.from('\nevent: sample\n');
const STATUS = Buffer.from('event: status\n');
const ID = Buffer.from('id: ');

const now = () => performance.timeOrigin + performance.now();
const send = (message: unknown) => process.stdout.write(JSON.stringify(message) + '\n');

/** Receipt times by tick id (ms), one entry per client that got the tick. */
const receipts = new Map<string, number[]>();
let live = 0;
let failed = 0;
let closedAfterLive = 0;
let bytes = 0;
const sockets: Socket[] = [];

function open(): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host: target.hostname, port: Number(target.port) });
    sockets.push(socket);
    socket.setNoDelay(true);
    let isLive = false;
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      resolve();
    };
    socket.on('connect', () => socket.write(REQUEST));
    socket.on('data', (chunk: Buffer) => {
      const at = now();
      bytes += chunk.length;
      if (!isLive && chunk.includes(STATUS)) {
        isLive = true;
        live++;
        settle();
      }
      for (let end = chunk.indexOf(SAMPLE); end !== -1; end = chunk.indexOf(SAMPLE, end + SAMPLE.length)) {
        const start = chunk.lastIndexOf(ID, end);
        if (start === -1) continue;
        const id = chunk.toString('latin1', start + ID.length, end);
        let list = receipts.get(id);
        if (!list) receipts.set(id, (list = []));
        list.push(at);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      if (isLive) closedAfterLive++;
      else failed++;
      settle();
    });
  });
}

async function openAll() {
  const started = now();
  let next = 0;
  const worker = async () => {
    while (next < CLIENTS) {
      next++;
      await open();
    }
  };
  await Promise.all(Array.from({ length: Math.min(OPENING, CLIENTS) }, worker));
  send({ type: 'live', live, failed, seconds: (now() - started) / 1000 });
}

/** published: tick id -> wall time (ms) at which the server started publishing it. Latencies in 0.01 ms. */
function report(published: Record<string, number>) {
  const fromPublish: number[] = [];
  const fromTick: number[] = [];
  for (const [id, at0] of Object.entries(published)) {
    for (const at of receipts.get(id) ?? []) {
      fromPublish.push(Math.round((at - at0) * 100) / 100);
      fromTick.push(Math.round((at - Number(id)) * 100) / 100);
    }
  }
  send({ type: 'report', fromPublish, fromTick, live, failed, closedAfterLive, bytes });
}

/** All samples of these ticks are in (or the wait is over): lets the parent stop its CPU clock. */
function delivered(ids: string[]): number {
  return ids.reduce((n, id) => n + (receipts.get(id)?.length ?? 0), 0);
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line) as
    | { type: 'count'; ids: string[] }
    | { type: 'report'; published: Record<string, number> }
    | { type: 'exit' };
  if (command.type === 'count') send({ type: 'count', delivered: delivered(command.ids) });
  else if (command.type === 'report') report(command.published);
  else {
    for (const s of sockets) s.destroy();
    process.exit(0);
  }
});

void openAll();
