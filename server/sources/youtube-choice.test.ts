import { describe, expect, it } from 'vitest';
import { chooseYoutubeSource } from './youtube-choice.ts';

const now = new Date('2026-11-29T12:00:00Z');
const reset = new Date('2026-11-30T08:00:00Z'); // Pacific midnight

describe('chooseYoutubeSource', () => {
  it.each([
    ['auto, key, quota left', 'auto', true, null, 'api'],
    ['auto, no key', 'auto', false, null, 'innertube'],
    ['auto, key, quota spent', 'auto', true, reset, 'innertube'],
    ['auto, key, quota spent earlier and reset since', 'auto', true, new Date('2026-11-29T08:00:00Z'), 'api'],
    ['api, key, quota spent: nothing until the reset (the streams say quota_exceeded)', 'api', true, reset, null],
    ['api, no key: nothing', 'api', false, null, null],
    ['innertube, key: InnerTube', 'innertube', true, null, 'innertube'],
  ] as const)('%s', (_, setting, hasKey, quotaSpentUntil, source) => {
    const choice = chooseYoutubeSource({ setting, hasKey, quotaSpentUntil, now });
    expect(choice.source).toBe(source);
    expect(choice.why).not.toBe('');
  });

  it.each([
    ['auto', true, null, 'Data API (key set)'],
    ['auto', false, null, 'InnerTube: no API key'],
    ['auto', true, reset, 'InnerTube: Data API quota spent until 00:00 PT (08:00 UTC)'],
    ['api', true, null, 'Data API (YT_SOURCE=api)'],
    ['api', true, reset, 'Data API quota spent until 00:00 PT (08:00 UTC) (YT_SOURCE=api)'],
    ['api', false, null, 'YT_SOURCE=api but no YT_API_KEY is set'],
    ['innertube', true, null, 'InnerTube: YT_SOURCE=innertube'],
  ] as const)('says why in words an organiser reads: %s, key %s, spent until %s', (setting, hasKey, until, why) => {
    expect(chooseYoutubeSource({ setting, hasKey, quotaSpentUntil: until, now }).why).toBe(why);
  });

  it('a refused key: nothing with YT_SOURCE=api (the streams keep the refusal), InnerTube in auto, the API once asked again', () => {
    const held = new Date('2026-11-29T12:05:00Z');
    const choose = (setting: 'auto' | 'api', keyHeldUntil: Date | null) =>
      chooseYoutubeSource({ setting, hasKey: true, quotaSpentUntil: null, keyHeldUntil, now });
    expect(choose('api', held)).toEqual({
      source: null,
      why: 'Data API: YouTube refused the key, asked again every 5 minutes',
      keyHeldUntil: held,
    });
    expect(choose('auto', held)).toEqual({ source: 'innertube', why: 'InnerTube: YouTube refused the API key' });
    expect(choose('auto', new Date('2026-11-29T11:59:00Z')).source).toBe('api');
  });

  it('says the reset in Pacific time across daylight saving (07:00 UTC in summer)', () => {
    const summer = new Date('2026-07-01T07:00:00Z');
    const at = new Date('2026-06-30T12:00:00Z');
    expect(chooseYoutubeSource({ setting: 'auto', hasKey: true, quotaSpentUntil: summer, now: at }).why).toBe(
      'InnerTube: Data API quota spent until 00:00 PT (07:00 UTC)',
    );
  });
});
