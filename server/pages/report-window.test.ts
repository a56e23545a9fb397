import { describe, expect, it } from 'vitest';
import { reportWindow } from './report-window.ts';

const d = (s: string) => new Date(`2024-05-01T${s}Z`);
const iso = (w: { from: Date; to: Date }) => [w.from.toISOString(), w.to.toISOString()];

describe('the default window of a report', () => {
  it('runs from the first sample to a minute past the last, on whole minutes', () => {
    const w = reportWindow(
      { startsAt: d('17:00:00'), endsAt: d('23:00:00'), firstTs: d('18:02:30'), lastTs: d('20:10:10') },
      d('23:30:00'),
      10080,
    );
    expect(iso(w)).toEqual(['2024-05-01T18:02:00.000Z', '2024-05-01T20:12:00.000Z']);
  });

  it('runs from the planned start to now while nothing has been sampled, and never past now', () => {
    const w = reportWindow(
      { startsAt: d('17:00:00'), endsAt: d('23:00:00'), firstTs: null, lastTs: null },
      d('18:00:20'),
      10080,
    );
    expect(iso(w)).toEqual(['2024-05-01T17:00:00.000Z', '2024-05-01T18:01:00.000Z']);
  });

  it('is never longer than the longest window the stats route accepts', () => {
    const w = reportWindow(
      { startsAt: null, endsAt: null, firstTs: d('00:00:00'), lastTs: d('12:00:00') },
      d('13:00:00'),
      60,
    );
    expect(iso(w)).toEqual(['2024-05-01T11:01:00.000Z', '2024-05-01T12:01:00.000Z']);
  });
});
