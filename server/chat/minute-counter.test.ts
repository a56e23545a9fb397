import { describe, expect, it } from 'vitest';
import { CLOSE_GRACE_MS, createMinuteCounter } from './minute-counter.ts';

const T0 = Date.parse('2026-12-07T10:00:00Z');
const at = (minute: number, second: number) => T0 + minute * 60_000 + second * 1000;
const msg = (id: string, tsMs: number | null) => ({ id, tsMs });

describe('chat minute counter', () => {
  it('never stores a minute a read failed in: the gap stays a gap, not a 0', () => {
    const c = createMinuteCounter();
    expect(c.read(at(0, 30), [msg('old', at(0, 10))])).toEqual([]);
    expect(c.read(at(1, 20), [msg('a', at(1, 5))])).toEqual([]);
    c.gap(); // the read at 1:40 failed
    // Minute 1 is lost; counting starts again at the next read, so minute 2 is partial too; minute 3 is whole.
    expect(c.read(at(2, 30), [msg('b', at(2, 25))])).toEqual([]);
    expect(c.read(at(3, 30), [msg('c', at(3, 10))])).toEqual([]);
    expect(c.read(at(4, 10), [])).toEqual([{ minuteMs: at(3, 0), messages: 1 }]);
  });

  it('skips the first read’s backlog, counts by the message’s own time, once per id, and closes a quiet minute as a true 0', () => {
    const c = createMinuteCounter();
    // Started at 0:30: minute 0 is partial (its backlog is not counted); minute 1 is the first whole one.
    c.read(at(0, 30), [msg('b1', at(0, 1)), msg('b2', at(0, 29))]);
    c.read(at(1, 2), [msg('m1', at(0, 59)), msg('m2', at(1, 0)), msg('m3', at(1, 1))]);
    // Delivered late but stamped in minute 1, and m2 again: counted by its stamp, once.
    c.read(at(2, 1), [msg('m4', at(1, 59)), msg('m2', at(1, 0)), msg('m5', null)]);
    // 2:05 is the first read past minute 1's end plus the grace: minute 1 closes with m2, m3, m4 (m5 had no
    // stamp and was read at 2:01, so it belongs to minute 2).
    expect(CLOSE_GRACE_MS).toBe(5000);
    expect(c.read(at(2, 4), [])).toEqual([]);
    expect(c.read(at(2, 5), [])).toEqual([{ minuteMs: at(1, 0), messages: 3 }]);
    // Minutes 2 and 3 close together when reads were sparse: minute 3 had nothing, a true 0.
    expect(c.read(at(4, 6), [])).toEqual([
      { minuteMs: at(2, 0), messages: 1 },
      { minuteMs: at(3, 0), messages: 0 },
    ]);
    expect(c.covers(at(4, 0))).toBe(true);
    expect(c.covers(at(3, 0))).toBe(false);
    c.gap();
    expect(c.covers(at(4, 0))).toBe(false);
  });
});
