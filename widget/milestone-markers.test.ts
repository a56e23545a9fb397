import { expect } from 'chai';
import type { MilestoneMessage } from '../server/wire.ts';
import { milestoneMarkers, notableMilestones } from './milestone-markers.ts';

const T0 = Date.UTC(2026, 11, 7, 20, 0);
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const m = (kind: MilestoneMessage['kind'], value: number, minutes: number): MilestoneMessage => ({
  kind,
  value,
  ts: at(minutes),
});

describe('milestone markers', () => {
  it('keeps every threshold and only the record of the peaks, oldest first, whatever order they came in', () => {
    const list = [m('peak', 15413, 9), m('threshold', 10000, 4), m('peak', 12000, 5), m('threshold', 1000, 1)];
    expect(notableMilestones(list)).to.deep.equal([
      m('threshold', 1000, 1),
      m('threshold', 10000, 4),
      m('peak', 15413, 9),
    ]);
    expect(notableMilestones([])).to.deep.equal([]);
  });

  it('labels "10K" and "Peak 15,413" (the peak drawn, not the records), none before the first point', () => {
    const list = [
      m('threshold', 1000, 0),
      m('threshold', 1000, 2),
      m('threshold', 5000, 2),
      m('threshold', 10000, 4),
      m('peak', 12000, 5),
    ];
    const markers = milestoneMarkers(list, {
      fromSeconds: (T0 + 60_000) / 1000,
      locale: 'en-US',
      peakWord: 'Peak',
      color: 'rgb(1, 2, 3)',
      peak: { value: 15413, time: (T0 + 9 * 60_000) / 1000 },
    });
    // Of the thresholds passed at once, the highest; the one before the first point is left out.
    expect(markers.map((x) => [x.time, x.text, x.shape, x.color])).to.deep.equal([
      [(T0 + 2 * 60_000) / 1000, '5K', 'circle', 'rgb(1, 2, 3)'],
      [(T0 + 4 * 60_000) / 1000, '10K', 'circle', 'rgb(1, 2, 3)'],
      [(T0 + 9 * 60_000) / 1000, 'Peak 15,413', 'arrowDown', 'rgb(1, 2, 3)'],
    ]);
    const none = { fromSeconds: 0, locale: 'en-US', peakWord: 'Peak', color: 'red', peak: null };
    expect(milestoneMarkers([], none)).to.deep.equal([]);
    expect(milestoneMarkers([m('threshold', 2500000, 1)], none).map((x) => x.text)).to.deep.equal(['2.5M']);
  });
});
