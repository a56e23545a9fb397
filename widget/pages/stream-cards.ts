// Which streams get a card of their own on a screen that cannot scroll, and which are summed in one "+N more".

export interface CardPlan<T> {
  /** The streams with a card, in the event's own order. */
  shown: T[];
  /** The streams summed in the "+N more" card (none when every stream has a card). */
  rest: T[];
}

/**
 * With room for `capacity` cards and more streams than that, the smallest streams (by `viewers`, no count
 * counting as the smallest) share the last place as "+N more"; the others keep the event's order, so a stage
 * screen does not reshuffle its cards as the counts move. Ties keep the event's order too.
 */
export function planCards<T extends { id: string }>(
  streams: readonly T[],
  viewers: ReadonlyMap<string, number | null>,
  capacity: number,
): CardPlan<T> {
  if (streams.length <= capacity) return { shown: [...streams], rest: [] };
  const keep = Math.max(0, Math.floor(capacity) - 1);
  const size = (s: T) => viewers.get(s.id) ?? -1;
  const biggest = new Set(
    streams
      .map((s, i) => ({ s, i }))
      .sort((a, b) => size(b.s) - size(a.s) || a.i - b.i)
      .slice(0, keep)
      .map(({ s }) => s.id),
  );
  return { shown: streams.filter((s) => biggest.has(s.id)), rest: streams.filter((s) => !biggest.has(s.id)) };
}

/** The sum of `streams`' counts, or null when none of them has one (a hidden count is not a zero). */
export function sumOf(streams: readonly { id: string }[], viewers: ReadonlyMap<string, number | null>): number | null {
  let sum: number | null = null;
  for (const s of streams) {
    const n = viewers.get(s.id);
    if (n != null) sum = (sum ?? 0) + n;
  }
  return sum;
}
