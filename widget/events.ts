// The two DOM events every LivePulse element dispatches (bubbling, composed), typed for addEventListener.
import type { SampleMessage, StatusMessage } from '../server/wire.ts';
import type { LiveState, Reason } from './live-state.ts';

export interface LivepulseSampleDetail {
  event: string;
  sample: SampleMessage;
  /** What the element shows for this sample: its stream's count, or the total; null when hidden. */
  value: number | null;
}

export interface LivepulseStatusDetail {
  event: string;
  /** The host's `state`: connecting, live, stale, offline, no-data, denied or not-found. */
  state: LiveState;
  /** no-data: why (no_api_key, quota, hidden…); not-found: 'stream' for an unknown stream. */
  reason?: Reason;
  /** The element's state line in the viewer's language ("As of 21:04"); empty when live. */
  text: string;
  /** The server's latest status message (streams, labels, polling interval), when one has arrived. */
  status: StatusMessage | null;
  /** When the last sample arrived (ms since the epoch), for "last updated". */
  lastSampleAt: number | null;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'livepulse-sample': CustomEvent<LivepulseSampleDetail>;
    'livepulse-status': CustomEvent<LivepulseStatusDetail>;
  }
}
