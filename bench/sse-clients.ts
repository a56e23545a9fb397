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
// A frame's first lines: "id: <ms>\nevent: sample\n". Chunks are scanned with the end of the previous
// one in front, in case a frame head is split between two reads.
const SAMPLE_HEAD = /id: (\d+)\nevent: sample\n/g;
const CARRY = 40;

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
    let carry = '';
    let isLive = false;
    let settled = false;
    const settle = () => {
      if (!settled) (settled = true), resolve();
    };
    socket.on('connect', () => socket.write(REQUEST));
    socket.on('data', (chunk: Buffer) => {
      const at = now();
      bytes += chunk.length;
      const text = carry + chunk.toString('latin1');
      if (!isLive && text.includes('event: status\n')) {
        isLive = true;
        live++;
        settle();
      }
      SAMPLE_HEAD.lastIndex = 0;
      for (let m = SAMPLE_HEAD.exec(text); m; m = SAMPLE_HEAD.exec(text)) {
        if (m.index + m[0].length <= carry.length) continue; // counted with the previous chunk
        let list = receipts.get(m[1]);
        if (!list) receipts.set(m[1], (list = []));
        list.push(at);
      }
      carry = text.slice(-CARRY);
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

const percentile = (sorted: Float64Array, p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

/** published: tick id -> wall time (ms) at which the server started publishing it. */
function report(published: Record<string, number>) {
  const ids = Object.keys(published);
  const total = ids.reduce((n, id) => n + (receipts.get(id)?.length ?? 0), 0);
  const fromPublish = new Float64Array(total);
  const fromTick = new Float64Array(total);
  let i = 0;
  for (const id of ids) {
    for (const at of receipts.get(id) ?? []) {
      fromPublish[i] = at - published[id];
      fromTick[i++] = at - Number(id);
    }
  }
  fromPublish.sort();
  fromTick.sort();
  send({
    type: 'report',
    delivered: total,
    expected: ids.length * live,
    perTick: ids.map((id) => receipts.get(id)?.length ?? 0),
    publishP50: percentile(fromPublish, 50),
    publishP99: percentile(fromPublish, 99),
    publishMax: percentile(fromPublish, 100),
    tickP50: percentile(fromTick, 50),
    tickP99: percentile(fromTick, 99),
    live,
    failed,
    closedAfterLive,
    bytes,
  });
}

/** All samples of these ticks are in (or the wait is over): lets the parent stop its CPU clock. */
function delivered(ids: string[]): number {
  return ids.reduce((n, id) => n + (receipts.get(id)?.length ?? 0), 0);
}

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line) as { type: 'count'; ids: string[] } | { type: 'report'; published: Record<string, number> } | { type: 'exit' };
  if (command.type === 'count') send({ type: 'count', delivered: delivered(command.ids) });
  else if (command.type === 'report') report(command.published);
  else {
    for (const s of sockets) s.destroy();
    process.exit(0);
  }
});

void openAll();
