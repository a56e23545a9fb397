// The seam between the tick and a platform: a source is asked about a set of targets, all at the tick's
// one time, and says for each what it learnt (a video state, missing, or a fault) and what asking cost.
// The tick, the statuses, storage and publishing are the same whichever source answered.
import type { UpstreamFault } from '../../youtube/classify-fault.ts';
import type { Platform, SourceName } from '../../wire.ts';
import type { VideoOutcome } from '../tick.ts';

/** What a source is asked about: a YouTube video id, or a Twitch login. */
export interface Target {
  platform?: Platform;
  videoId: string | null;
  login?: string | null;
}

/** The key a target's outcome is filed under: its video id, or `twitch:<login>`; null when there is nothing to ask. */
export function targetKey(t: Target): string | null {
  if (t.platform === 'twitch') return t.login ? `twitch:${t.login}` : null;
  return t.videoId;
}

/** A fault and the source that met it (the Data API when not said): passing trouble backs off that source only. */
export type SourceFault = UpstreamFault & { source?: SourceName };

export interface SourceAnswer {
  /** By video id: one outcome for each target the source answered (or failed) for. */
  outcomes: Map<string, VideoOutcome>;
  /** Requests made. */
  calls: number;
  /** Quota units those requests spent (0 for a source without a daily quota). */
  units: number;
  /** Faults in the order they came; the tick turns them into pauses, back-off and log lines. */
  faults: SourceFault[];
  /** The sources that had targets this poll: called, or left out while backed off (the Data API alone when absent). */
  sources?: SourceName[];
  /** Which source answered each key (a source made of several says); stored with each sample. */
  answeredBy?: Map<string, SourceName>;
  /** Why that source, per key, in an organiser's words ("Data API (key set)", "Twitch Helix"); stored on the stream. */
  reasons?: Map<string, string>;
}

export interface Source {
  /** For logs and the bench. */
  readonly name: string;
  /** Quota units one poll of these targets would spend: the quota stretches the interval by it. */
  unitsFor(targets: readonly Target[]): number;
  /** `held`: sources backed off after passing trouble, not called this time (their targets get no outcome). */
  poll(targets: readonly Target[], held?: ReadonlySet<SourceName>): Promise<SourceAnswer>;
  /** True when some of its targets can be polled while the Data API's quota is spent (InnerTube, Twitch). */
  worksWithoutQuota?(): boolean;
}

/** A fault about the key or the quota concerns every request: a source stops asking at once. */
export const isFatal = (fault: UpstreamFault) =>
  fault.kind === 'quota_exceeded' ||
  fault.kind === 'api_key_invalid' ||
  fault.kind === 'api_config_error' ||
  fault.kind === 'rate_limited';
