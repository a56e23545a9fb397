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

  it('says until when the quota is spent', () => {
    expect(chooseYoutubeSource({ setting: 'auto', hasKey: true, quotaSpentUntil: reset, now }).why).toContain(
      reset.toISOString(),
    );
  });
});
