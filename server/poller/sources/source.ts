// The seam between the tick and a platform: a source is asked about a set of targets, all at the tick's
// one time, and says for each what it learnt (a video state, missing, or a fault) and what asking cost.
// The tick, the statuses, storage and publishing are the same whichever source answered.
import type { UpstreamFault } from '../../youtube/classify-fault.ts';
import type { VideoOutcome } from '../tick.ts';

/** What a source is asked about: today a YouTube video id. */
export interface Target {
  videoId: string;
}

export interface SourceAnswer {
  /** By video id: one outcome for each target the source answered (or failed) for. */
  outcomes: Map<string, VideoOutcome>;
  /** Requests made. */
  calls: number;
  /** Quota units those requests spent (0 for a source without a daily quota). */
  units: number;
  /** Faults in the order they came; the tick turns them into pauses, back-off and log lines. */
  faults: UpstreamFault[];
}

export interface Source {
  /** For logs and the bench. */
  readonly name: string;
  /** Quota units one poll of these targets would spend: the quota stretches the interval by it. */
  unitsFor(targets: readonly Target[]): number;
  poll(targets: readonly Target[]): Promise<SourceAnswer>;
}

/** A fault about the key or the quota concerns every request: a source stops asking at once. */
export const isFatal = (fault: UpstreamFault) =>
  fault.kind === 'quota_exceeded' ||
  fault.kind === 'api_key_invalid' ||
  fault.kind === 'api_config_error' ||
  fault.kind === 'rate_limited';
