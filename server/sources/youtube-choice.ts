// Which YouTube source polls now, and why (shown in the admin): YT_SOURCE=api or innertube forces one;
// auto takes the Data API while a key is set and its daily quota is not spent, InnerTube otherwise
// (no key, or quota spent until the Pacific-midnight reset), and goes back to the API after the reset.
// The reason is written beside each stream's source (streams.source_reason), in words an organiser reads.

export type YoutubeSourceSetting = 'auto' | 'api' | 'innertube';
export type YoutubeSourceName = 'api' | 'innertube';

export interface YoutubeChoice {
  /** null: nothing polls YouTube now (YT_SOURCE=api without a key, or with its quota spent). */
  source: YoutubeSourceName | null;
  why: string;
  /** With no source: the Data API's quota is spent until then (the streams say quota_exceeded, not a config error). */
  quotaSpentUntil?: Date;
  /** With no source: YouTube refused the key or the project until then; the streams keep the status it gave. */
  keyHeldUntil?: Date;
}

const clock = (timeZone: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const pacific = clock('America/Los_Angeles');
const utc = clock('UTC');

/** "00:00 PT (08:00 UTC)": when the quota comes back, the way YouTube counts it and in UTC. */
export const resetWords = (at: Date) => `${pacific.format(at)} PT (${utc.format(at)} UTC)`;

export function chooseYoutubeSource(input: {
  setting: YoutubeSourceSetting;
  hasKey: boolean;
  /** When the Data API quota is spent: the moment it resets; otherwise null. */
  quotaSpentUntil: Date | null;
  /** When YouTube refused the key or the project: the moment it is asked again; otherwise null. */
  keyHeldUntil?: Date | null;
  now: Date;
}): YoutubeChoice {
  const { setting, hasKey, quotaSpentUntil, now } = input;
  const spent = quotaSpentUntil !== null && quotaSpentUntil > now;
  const keyHeldUntil = input.keyHeldUntil && input.keyHeldUntil > now ? input.keyHeldUntil : null;
  if (setting === 'innertube') return { source: 'innertube', why: 'InnerTube: YT_SOURCE=innertube' };
  if (setting === 'api') {
    if (!hasKey) return { source: null, why: 'YT_SOURCE=api but no YT_API_KEY is set' };
    if (keyHeldUntil) {
      return { source: null, why: 'Data API: YouTube refused the key, asked again every 5 minutes', keyHeldUntil };
    }
    // Spent: no call until the reset (each would cost a 403), while Twitch goes on.
    return spent
      ? {
          source: null,
          why: `Data API quota spent until ${resetWords(quotaSpentUntil)} (YT_SOURCE=api)`,
          quotaSpentUntil,
        }
      : { source: 'api', why: 'Data API (YT_SOURCE=api)' };
  }
  if (!hasKey) return { source: 'innertube', why: 'InnerTube: no API key' };
  // A refused key is no usable key: InnerTube until the Data API is asked again (every 5 minutes).
  if (keyHeldUntil) return { source: 'innertube', why: 'InnerTube: YouTube refused the API key' };
  if (spent)
    return { source: 'innertube', why: `InnerTube: Data API quota spent until ${resetWords(quotaSpentUntil)}` };
  return { source: 'api', why: 'Data API (key set)' };
}
