// For tests only: an EventSource (the `eventsource` package, as a Node client would use) that records
// every `sample` with its id, data and arrival time, and stops for good at the first error so a test
// decides itself where to reconnect.
import { EventSource } from 'eventsource';

export interface ReceivedSample {
  id: number;
  data: string;
  /** Date.now() at arrival. */
  at: number;
}

export interface SseWatch {
  samples: ReceivedSample[];
  /** Set when the connection failed or ended. */
  failed: boolean;
  lastId(): number | undefined;
  /** Resolves once `count` samples have arrived in all (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs: number): Promise<void>;
  close(): void;
}

export function watchSamples(url: string, o: { lastEventId?: number } = {}): SseWatch {
  const lastEventId = o.lastEventId;
  const es = new EventSource(url, {
    // The header a browser sends when it reconnects by itself; here on a first connect to another instance.
    fetch: (input, init) =>
      fetch(
        input,
        lastEventId === undefined
          ? init
          : { ...init, headers: { ...init?.headers, 'Last-Event-ID': String(lastEventId) } },
      ),
  });
  const watch: SseWatch = {
    samples: [],
    failed: false,
    lastId: () => watch.samples.at(-1)?.id,
    waitFor(count, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      return new Promise((resolve, reject) => {
        const check = () => {
          if (watch.samples.length >= count) return resolve();
          if (Date.now() > deadline)
            return reject(new Error(`${watch.samples.length} of ${count} samples from ${url} in ${timeoutMs} ms`));
          setTimeout(check, 50);
        };
        check();
      });
    },
    close: () => es.close(),
  };
  es.addEventListener('sample', (e) => watch.samples.push({ id: Number(e.lastEventId), data: e.data, at: Date.now() }));
  es.addEventListener('error', () => {
    watch.failed = true;
    es.close();
  });
  return watch;
}
