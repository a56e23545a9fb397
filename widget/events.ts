// The DOM events every LivePulse element dispatches (bubbling, composed), typed for addEventListener.
import type { MilestoneMessage, SampleMessage, StatusMessage } from '../server/wire.ts';
import type { LiveView } from './live-state.ts';

export interface LivepulseSampleDetail {
  event: string;
  sample: SampleMessage;
  /** What the element shows for this sample: its stream's count, or the total; null when hidden. */
  value: number | null;
}

/**
 * The element's view (live-state.ts: `state`, `reason`, `at`, `lastSampleAt`, `streamId`): a page says the
 * same words with `stateText(detail, locale)`.
 */
export interface LivepulseStatusDetail extends LiveView {
  event: string;
  /** The server's latest status message (streams, labels, polling interval), when one has arrived. */
  status: StatusMessage | null;
}

/** A milestone of the event (a threshold reached, a new peak), as the server recorded it once. */
export interface LivepulseMilestoneDetail {
  event: string;
  milestone: MilestoneMessage;
}

export interface LivepulseEvents {
  'livepulse-sample': CustomEvent<LivepulseSampleDetail>;
  'livepulse-status': CustomEvent<LivepulseStatusDetail>;
  'livepulse-milestone': CustomEvent<LivepulseMilestoneDetail>;
}

declare global {
  interface GlobalEventHandlersEventMap {
    'livepulse-sample': CustomEvent<LivepulseSampleDetail>;
    'livepulse-status': CustomEvent<LivepulseStatusDetail>;
    'livepulse-milestone': CustomEvent<LivepulseMilestoneDetail>;
  }
}
