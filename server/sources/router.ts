// Routes one tick's targets to their sources, all at the tick's one time: YouTube videos to the source
// chosen now (the Data API or InnerTube, youtube-choice.ts), Twitch channels to Helix, in parallel. The
// answers come back as one set of outcomes keyed like the targets, with the source that produced each,
// so the tick, statuses, totals, storage, SSE and CSV stay one path whatever answered. A new platform
// (Kick) is one more entry here and one client file.
import type { VideoOutcome } from '../poller/tick.ts';
import type { UpstreamFault } from '../youtube/classify-fault.ts';
import type { Platform, SourceName } from '../wire.ts';
import type { YoutubeChoice } from './youtube-choice.ts';

export interface RoutedTarget {
  platform: Platform;
  videoId: string | null;
  login: string | null;
}

/** The key a target's outcome is filed under: its video id, or `twitch:<login>`. */
export function targetKey(t: RoutedTarget): string | null {
  if (t.platform === 'twitch') return t.login ? `twitch:${t.login}` : null;
  return t.videoId;
}

export interface PartAnswer {
  outcomes: Map<string, VideoOutcome>;
  calls: number;
  units?: number;
  /** Trouble of the source itself (not of one video or channel): the Data API's faults, Twitch's 5xx or 429. */
  faults?: UpstreamFault[];
}

export interface RouterParts {
  /** The Data API: quota units per poll, and the poll; null without a key. */
  api: { unitsFor(videoIds: string[]): number; poll(videoIds: string[]): Promise<PartAnswer> } | null;
  innertube: ((videoIds: string[]) => Promise<PartAnswer>) | null;
  twitch: ((logins: string[]) => Promise<PartAnswer>) | null;
  /** Which YouTube source polls now, and why. */
  choose: () => YoutubeChoice;
}

export interface RoutedAnswer {
  outcomes: Map<string, VideoOutcome>;
  /** Which source answered each key. */
  answeredBy: Map<string, SourceName>;
  /** Why that source, per key, in an organiser's words (written as streams.source_reason). */
  reasons: Map<string, string>;
  youtubeWhy: string;
  calls: number;
  units: number;
  faults: (UpstreamFault & { source: SourceName })[];
  /** The sources that had targets this poll: called, or left out while backed off. */
  sources: SourceName[];
}

const TWITCH_MISSING = 'Twitch is not configured: set TWITCH_CLIENT_ID and TWITCH_CLIENT_SECRET';
export const TWITCH_REASON = 'Twitch Helix';

export function createRouter(parts: RouterParts) {
  const split = (targets: readonly RoutedTarget[]) => ({
    videoIds: [...new Set(targets.filter((t) => t.platform === 'youtube' && t.videoId).map((t) => t.videoId!))],
    logins: [...new Set(targets.filter((t) => t.platform === 'twitch' && t.login).map((t) => t.login!))],
  });

  return {
    /** Quota units this poll would spend: only the Data API has a quota. */
    unitsFor(targets: readonly RoutedTarget[]): number {
      const choice = parts.choose();
      return choice.source === 'api' && parts.api ? parts.api.unitsFor(split(targets).videoIds) : 0;
    },

    /** Whether anything can be polled without the Data API (then a spent quota or a refused key holds only the Data API). */
    worksWithoutQuota: () => parts.innertube !== null || parts.twitch !== null,

    /** `held`: sources backed off after passing trouble; they are not called and their targets get no outcome. */
    async poll(targets: readonly RoutedTarget[], held: ReadonlySet<SourceName> = new Set()): Promise<RoutedAnswer> {
      const { videoIds, logins } = split(targets);
      const choice = parts.choose();
      const youtubeHeld = choice.source !== null && held.has(choice.source);
      const twitchHeld = parts.twitch !== null && held.has('twitch');
      const youtubeSource =
        choice.source === 'api' ? parts.api : choice.source === 'innertube' ? parts.innertube : null;
      const fault = (reason: string): VideoOutcome => ({ kind: 'fault', fault: { kind: 'api_config_error', reason } });
      const missing = (keys: string[], reason: string): PartAnswer => ({
        outcomes: new Map(keys.map((k) => [k, fault(reason)])),
        calls: 0,
      });
      // The Data API's quota is spent and nothing else may read YouTube (YT_SOURCE=api): quota_exceeded, no call.
      const quotaHeld = (keys: string[], why: string): PartAnswer => ({
        outcomes: new Map(keys.map((k) => [k, { kind: 'fault', fault: { kind: 'quota_exceeded', reason: why } }])),
        calls: 0,
      });
      const none = (): PartAnswer => ({ outcomes: new Map<string, VideoOutcome>(), calls: 0 });
      const [youtube, twitch] = await Promise.all<PartAnswer>([
        videoIds.length === 0 || youtubeHeld
          ? none()
          : youtubeSource === null
            ? choice.keyHeldUntil
              ? none() // YouTube refused the key: no call, and the streams keep the status that refusal gave
              : (choice.quotaSpentUntil ? quotaHeld : missing)(videoIds, choice.why)
            : choice.source === 'api'
              ? parts.api!.poll(videoIds)
              : parts.innertube!(videoIds),
        logins.length === 0 || twitchHeld
          ? none()
          : parts.twitch
            ? parts.twitch(logins)
            : missing(
                logins.map((l) => `twitch:${l}`),
                TWITCH_MISSING,
              ),
      ]);
      const outcomes = new Map<string, VideoOutcome>([...youtube.outcomes, ...twitch.outcomes]);
      const answeredBy = new Map<string, SourceName>();
      if (choice.source) for (const k of youtube.outcomes.keys()) answeredBy.set(k, choice.source);
      for (const k of twitch.outcomes.keys()) answeredBy.set(k, 'twitch');
      const reasons = new Map<string, string>();
      for (const k of youtube.outcomes.keys()) reasons.set(k, choice.why);
      for (const k of twitch.outcomes.keys()) reasons.set(k, parts.twitch ? TWITCH_REASON : 'Twitch is not configured');
      return {
        outcomes,
        answeredBy,
        reasons,
        youtubeWhy: choice.why,
        calls: youtube.calls + twitch.calls,
        units: youtube.units ?? 0,
        faults: [
          ...(youtube.faults ?? []).map((f) => ({ ...f, source: choice.source ?? 'api' })),
          ...(twitch.faults ?? []).map((f) => ({ ...f, source: 'twitch' as const })),
        ],
        sources: [
          ...(videoIds.length && youtubeSource ? [choice.source!] : []),
          ...(logins.length && parts.twitch ? ['twitch' as const] : []),
        ],
      };
    },
  };
}

export type Router = ReturnType<typeof createRouter>;
