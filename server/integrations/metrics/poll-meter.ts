// Counts what the poller does, from outside it: every videos.list call (through the fetch it is given)
// and every tick (through the publication it hands the realtime layer). server/poller/ stays untouched.
import { Counter, type Registry } from 'prom-client';
import type { FetchVideos, PollerDeps } from '../../poller/poller.ts';

type Publish = PollerDeps['publish'];

// No answer, no charge: YouTube bills a request it received, whatever it answered.
const UNANSWERED = new Set(['network', 'timeout']);

export function createPollMeter(registry: Registry) {
  const calls = new Counter({
    name: 'livepulse_youtube_calls_total',
    help: 'videos.list calls (ticks and stream lookups) by result: ok or the fault kind',
    labelNames: ['result'],
    registers: [registry],
  });
  const units = new Counter({
    name: 'livepulse_youtube_units_total',
    help: 'Quota units those calls cost (1 per call YouTube answered; network and timeout faults cost none), by result',
    labelNames: ['result'],
    registers: [registry],
  });
  const ticks = new Counter({
    name: 'livepulse_poll_ticks_total',
    help: 'Polling ticks of this instance by result: ok, the first fault kind, or no_calls (nothing due); ticks skipped while the quota or the key pause polling are not counted',
    labelNames: ['result'],
    registers: [registry],
  });
  let callsSinceTick = 0;
  let firstFault: string | null = null;

  return {
    /** The fetch the poller gets: the same answers, counted. */
    fetch(inner: FetchVideos): FetchVideos {
      return async (ids) => {
        const answer = await inner(ids);
        const result = answer.ok ? 'ok' : answer.fault.kind;
        calls.inc({ result });
        units.inc({ result }, UNANSWERED.has(result) ? 0 : 1);
        callsSinceTick++;
        if (!answer.ok) firstFault ??= result;
        return answer;
      };
    },
    /** The publication the poller gets: the same ticks, counted. Only a polled tick carries `updates`. */
    publish(inner: Publish): Publish {
      return (tick) => {
        if ('updates' in tick) {
          ticks.inc({ result: firstFault ?? (callsSinceTick ? 'ok' : 'no_calls') });
          callsSinceTick = 0;
          firstFault = null;
        }
        inner(tick);
      };
    },
  };
}

export type PollMeter = ReturnType<typeof createPollMeter>;
