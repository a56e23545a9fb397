import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InnertubeOutcome } from './client.ts';
import { innertubeOutcomes } from './source.ts';

describe('InnerTube as a poll source', () => {
  afterEach(() => vi.restoreAllMocks());

  it('says failed lookups in the log, at most once a minute, and keeps each as a fault (a gap, not a count)', async () => {
    const lines: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
    let clock = 0;
    const answers: InnertubeOutcome[] = [
      { videoId: 'aaaaaaaaaaa', ok: false, kind: 'failed', reason: 'YouTube cannot be reached (ENOTFOUND)' },
      { videoId: 'bbbbbbbbbbb', ok: false, kind: 'missing', reason: 'unavailable' },
    ];
    const source = innertubeOutcomes({ videos: () => Promise.resolve(answers) }, () => clock);
    const first = await source(['aaaaaaaaaaa', 'bbbbbbbbbbb']);
    expect(first.outcomes.get('aaaaaaaaaaa')).toEqual({
      kind: 'fault',
      fault: { kind: 'unavailable', reason: 'YouTube cannot be reached (ENOTFOUND)' },
    });
    expect(first.outcomes.get('bbbbbbbbbbb')).toEqual({ kind: 'missing' });
    clock = 59_000;
    await source(['aaaaaaaaaaa']);
    clock = 60_000;
    await source(['aaaaaaaaaaa']);
    const said = lines.filter((l) => l.includes('innertube_failed'));
    expect(said).toHaveLength(2);
    expect(said[0]).toContain('1 of 2 InnerTube lookups failed: YouTube cannot be reached (ENOTFOUND)');
  });
});
