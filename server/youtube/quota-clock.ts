// The YouTube quota day: its date and its end, in America/Los_Angeles (quotas reset at midnight
// Pacific Time, UTC−8 in winter and UTC−7 in summer, so the offset is asked of Intl, never hard-coded).

const ZONE = 'America/Los_Angeles';
const parts = new Intl.DateTimeFormat('en-US', {
  timeZone: ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The wall-clock fields in Los Angeles at an instant. */
function wallClock(at: Date) {
  const f = Object.fromEntries(parts.formatToParts(at).map((p) => [p.type, p.value]));
  return { y: +f.year, m: +f.month, d: +f.day, h: +f.hour, min: +f.minute, s: +f.second };
}

/** The quota day an instant belongs to, as 'YYYY-MM-DD' in Pacific Time. */
export function pacificDay(at: Date): string {
  const { y, m, d } = wallClock(at);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The first Pacific midnight strictly after `at`: when the quota spent on `at`'s day comes back. */
export function nextPacificMidnight(at: Date): Date {
  const { y, m, d } = wallClock(at);
  const wall = Date.UTC(y, m - 1, d + 1); // the next day's 00:00 read as if it were UTC
  // Two rounds settle the offset; DST switches at 02:00, so Pacific midnight always exists and is unique.
  let t = wall - offsetMs(new Date(wall));
  t = wall - offsetMs(new Date(t));
  return new Date(t);
}

/** Los Angeles wall clock minus UTC at an instant, in ms (−8 h or −7 h). */
function offsetMs(at: Date): number {
  const w = wallClock(at);
  const wallAsUtc = Date.UTC(w.y, w.m - 1, w.d, w.h, w.min, w.s);
  return wallAsUtc - Math.floor(at.getTime() / 1000) * 1000;
}
