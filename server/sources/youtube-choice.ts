// Which YouTube source polls now, and why (shown in the admin): YT_SOURCE=api or innertube forces one;
// auto takes the Data API while a key is set and its daily quota is not spent, InnerTube otherwise
// (no key, or quota spent until the Pacific-midnight reset), and goes back to the API after the reset.

export type YoutubeSourceSetting = 'auto' | 'api' | 'innertube';
export type YoutubeSourceName = 'api' | 'innertube';

export interface YoutubeChoice {
  /** null: nothing polls YouTube now (YT_SOURCE=api without a key, or with its quota spent). */
  source: YoutubeSourceName | null;
  why: string;
  /** With no source: the Data API's quota is spent until then (the streams say quota_exceeded, not a config error). */
  quotaSpentUntil?: Date;
}

export function chooseYoutubeSource(input: {
  setting: YoutubeSourceSetting;
  hasKey: boolean;
  /** When the Data API quota is spent: the moment it resets; otherwise null. */
  quotaSpentUntil: Date | null;
  now: Date;
}): YoutubeChoice {
  const { setting, hasKey, quotaSpentUntil, now } = input;
  const spent = quotaSpentUntil !== null && quotaSpentUntil > now;
  if (setting === 'innertube') return { source: 'innertube', why: 'YT_SOURCE=innertube' };
  if (setting === 'api') {
    if (!hasKey) return { source: null, why: 'YT_SOURCE=api but no YT_API_KEY is set' };
    // Spent: no call until the reset (each would cost a 403), while Twitch goes on.
    return spent
      ? { source: null, why: `YT_SOURCE=api; quota spent until ${quotaSpentUntil.toISOString()}`, quotaSpentUntil }
      : { source: 'api', why: 'YT_SOURCE=api' };
  }
  if (!hasKey) return { source: 'innertube', why: 'no YT_API_KEY: InnerTube (no quota, unofficial)' };
  if (spent) {
    return {
      source: 'innertube',
      why: `Data API quota spent until ${quotaSpentUntil.toISOString()}: InnerTube until then`,
    };
  }
  return { source: 'api', why: 'YT_API_KEY set and quota left: the Data API' };
}
