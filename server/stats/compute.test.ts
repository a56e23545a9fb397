// The stats rules on hand-made curves; every expected figure is worked out here by hand.
import { describe, expect, it } from 'vitest';
import { intervalAt, partOf, statsOfPoints, stitch, tiles, type SamplePoint } from './compute.ts';

const t = (hms: string) => Date.parse(`2024-05-01T${hms}Z`);
const pts = (rows: [string, number | null][]): SamplePoint[] => rows.map(([ts, v]) => ({ ts: t(ts), v }));

describe('stats of a curve', () => {
  it('a gap longer than 2.5 intervals is a gap; a hidden count covers nothing and is not a zero', () => {
    // Interval 10 s (cap 25 s). Coverage by hand:
    //   10:00:00 100 → next 10:00:10: 10 s, 1,000 viewer-s
    //   10:00:10 200 → next is the hidden 10:00:20: 10 s, 2,000
    //   10:00:20 hidden → nothing
    //   10:00:30 300 → next 10:01:30 is 60 s away, capped: 25 s, 7,500
    //   10:01:30 400 → 10 s, 4,000
    //   10:01:40 400 → newest sample: until the next poll was due (10:01:50): 10 s, 4,000
    // live 65 s, area 18,500 viewer-s: average 18,500 / 65 = 284.615…, 308.333 viewer-minutes.
    const stats = statsOfPoints(
      pts([
        ['10:00:00', 100],
        ['10:00:10', 200],
        ['10:00:20', null],
        ['10:00:30', 300],
        ['10:01:30', 400],
        ['10:01:40', 400],
      ]),
      { steps: [], fallback: 10, from: t('10:00:00'), to: t('10:02:00'), now: t('11:00:00') },
    );
    expect(stats).toEqual({
      current: 400, // 20 s old at 10:02:00, within 25 s
      peak: { viewers: 400, ts: '2024-05-01T10:01:30.000Z' },
      average: 284.615,
      viewerMinutes: 308.333,
      liveSeconds: 65,
      samples: 5,
    });
  });

  it('caps each sample by the interval in force when it was taken', () => {
    // 10 s until 10:01:00 (cap 25 s), then 40 s (quota stretched: cap 100 s).
    //   10:00:00 50 → 10:00:50 is 50 s away, capped 25 s: 1,250
    //   10:00:50 50 → 10 s: 500
    //   10:01:00 80 → 10:02:30, 90 s ≤ 100: 7,200
    //   10:02:30 80 → 10:05:00 is 150 s away, capped 100 s: 8,000
    //   10:05:00 20 → a sample follows after the window: until `to` (10:05:30): 30 s, 600
    // live 255 s, area 17,550: average 68.824, 292.5 viewer-minutes.
    const stats = statsOfPoints(
      pts([
        ['10:00:00', 50],
        ['10:00:50', 50],
        ['10:01:00', 80],
        ['10:02:30', 80],
        ['10:05:00', 20],
        ['10:06:00', 999],
      ]),
      {
        steps: [
          { since: t('10:00:00'), seconds: 10 },
          { since: t('10:01:00'), seconds: 40 },
        ],
        fallback: 10,
        from: t('10:00:00'),
        to: t('10:05:30'),
        now: t('12:00:00'),
      },
    );
    expect(stats).toEqual({
      current: 20,
      peak: { viewers: 80, ts: '2024-05-01T10:01:00.000Z' },
      average: 68.824,
      viewerMinutes: 292.5,
      liveSeconds: 255,
      samples: 5,
    });
  });

  it('stitches across an hour boundary exactly as if uncut, and a hidden newest count is no current', () => {
    // Every 20 s (fallback 20 s, cap 50 s); the window crosses 11:00, so two parts are stitched.
    //   10:59:00 10, 10:59:20 20, 10:59:40 30 (next 11:00:00 is in the next part), 11:00:00 40,
    //   11:00:20 50 (next is the hidden 11:00:40): 20 s each → 200 + 400 + 600 + 800 + 1,000 = 3,000
    // live 100 s, average 30, 50 viewer-minutes; the newest sample is hidden: current null.
    const points = pts([
      ['10:59:00', 10],
      ['10:59:20', 20],
      ['10:59:40', 30],
      ['11:00:00', 40],
      ['11:00:20', 50],
      ['11:00:40', null],
    ]);
    const ctx = { steps: [], fallback: 20, from: t('10:59:00'), to: t('11:01:00'), now: t('11:00:45') };
    expect(tiles(ctx.from, ctx.to)).toEqual([
      { start: t('10:59:00'), end: t('11:00:00'), full: false },
      { start: t('11:00:00'), end: t('11:01:00'), full: false },
    ]);
    const stats = statsOfPoints(points, ctx);
    expect(stats).toEqual({
      current: null,
      peak: { viewers: 50, ts: '2024-05-01T11:00:20.000Z' },
      average: 30,
      viewerMinutes: 50,
      liveSeconds: 100,
      samples: 5,
    });
    // One part over the whole curve gives the same figures.
    expect(stitch([partOf(points, [], 20)], { ...ctx, hasNextAfterTo: false })).toEqual(stats);
  });

  it('the newest sample of a live stream covers only until now', () => {
    // As above but 11:00:40 counts 60, and it is 11:00:45: it covers 5 s (300 viewer-s).
    // live 105 s, area 3,300: average 31.429, 55 viewer-minutes; current 60 (5 s old).
    const stats = statsOfPoints(
      pts([
        ['10:59:00', 10],
        ['10:59:20', 20],
        ['10:59:40', 30],
        ['11:00:00', 40],
        ['11:00:20', 50],
        ['11:00:40', 60],
      ]),
      { steps: [], fallback: 20, from: t('10:59:00'), to: t('11:01:00'), now: t('11:00:45') },
    );
    expect(stats).toMatchObject({ current: 60, average: 31.429, viewerMinutes: 55, liveSeconds: 105 });
  });

  it('an old newest count is not current; the peak is the first time the highest count was reached', () => {
    // 10:00:00 70, 10:00:10 90, 10:00:20 90 (the peak was first reached at 10:00:10), window to 10:10:00:
    // the newest is 9 min 40 s old, far past 25 s: current null. Coverage 10 + 10 + 10 (newest: one
    // interval) = 30 s, area 700 + 900 + 900 = 2,500: average 83.333, 41.667 viewer-minutes.
    const stats = statsOfPoints(
      pts([
        ['10:00:00', 70],
        ['10:00:10', 90],
        ['10:00:20', 90],
      ]),
      { steps: [], fallback: 10, from: t('10:00:00'), to: t('10:10:00'), now: t('10:10:00') },
    );
    expect(stats).toEqual({
      current: null,
      peak: { viewers: 90, ts: '2024-05-01T10:00:10.000Z' },
      average: 83.333,
      viewerMinutes: 41.667,
      liveSeconds: 30,
      samples: 3,
    });
  });

  it('a series of hidden counts only has no average, no peak and no viewer-minutes (never zeros invented)', () => {
    const stats = statsOfPoints(
      pts([
        ['10:00:00', null],
        ['10:00:10', null],
      ]),
      { steps: [], fallback: 10, from: t('10:00:00'), to: t('10:01:00'), now: t('10:00:15') },
    );
    expect(stats).toEqual({
      current: null,
      peak: { viewers: null, ts: null },
      average: null,
      viewerMinutes: 0,
      liveSeconds: 0,
      samples: 0,
    });
  });

  it('samples before the window are not counted, and coverage stops at its end', () => {
    // Window 10:00:05–10:00:25; 10:00:00 is outside. 10:00:10 100 → 10 s (1,000); 10:00:20 100 → a sample
    // follows at 10:00:30, so until `to`: 5 s (500). live 15 s, 25 viewer-minutes.
    const stats = statsOfPoints(
      pts([
        ['10:00:00', 500],
        ['10:00:10', 100],
        ['10:00:20', 100],
        ['10:00:30', 100],
      ]),
      { steps: [], fallback: 10, from: t('10:00:05'), to: t('10:00:25'), now: t('11:00:00') },
    );
    expect(stats).toMatchObject({ liveSeconds: 15, viewerMinutes: 25, average: 100, samples: 2 });
  });

  it('reads the interval in force from the last step at or before a time', () => {
    const steps = [
      { since: t('10:00:00'), seconds: 10 },
      { since: t('10:01:00'), seconds: 40 },
    ];
    expect(intervalAt(steps, 7, t('09:59:59'))).toBe(7);
    expect(intervalAt(steps, 7, t('10:00:59'))).toBe(10);
    expect(intervalAt(steps, 7, t('10:01:00'))).toBe(40);
  });
});
