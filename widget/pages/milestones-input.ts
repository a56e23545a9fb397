// The admin's milestones field read as an organiser writes it: "1,000, 5,000", "1 000 ; 5 000", "1.000", "1'000",
// "1’000"; the result is the list to save, or what is wrong in the page's words. Pure: no DOM.
import type { MessageKey } from './messages.ts';

/** The server's limits (server/events/routes.ts): whole numbers from 1 to 10^15, at most 30. */
const MAX_VALUE = 1e15;
const MAX_COUNT = 30;

export type MilestonesRead =
  | { ok: true; milestones: number[] }
  | { ok: false; key: MessageKey; values: Record<string, string | number> };

/**
 * A comma before exactly three digits groups them ("1,000"); any other comma, and every semicolon, separates.
 * So "1000,5000" is two milestones and "1,500" one: a viewer count has no fraction, so "1,500" can only be
 * fifteen hundred, on a French page too.
 */
const SEPARATOR = /;|,(?!\d{3}(?!\d))/;
/** Digits grouped by threes with one kind of mark: dot, comma, apostrophe or typographic apostrophe. */
const GROUPED = /^\d{1,3}(?:([.,'’])\d{3})(?:\1\d{3})*$/;

export function readMilestones(text: string): MilestonesRead {
  // Spaces of any kind (the French U+202F and U+00A0 included) only group digits.
  const items = text
    .split(SEPARATOR)
    .map((raw) => ({ raw: raw.trim(), digits: raw.replace(/\s+/g, '') }))
    .filter((item) => item.digits !== '');
  const milestones: number[] = [];
  for (const { raw, digits } of items) {
    const plain = GROUPED.test(digits) ? digits.replace(/[.,'’]/g, '') : digits;
    if (!/^\d+$/.test(plain)) return { ok: false, key: 'milestones.notNumber', values: { item: raw } };
    const value = Number(plain);
    if (value < 1) return { ok: false, key: 'milestones.tooSmall', values: { item: raw } };
    if (value > MAX_VALUE) return { ok: false, key: 'milestones.tooLarge', values: { item: raw } };
    milestones.push(value);
  }
  const distinct = [...new Set(milestones)].sort((a, b) => a - b);
  if (distinct.length > MAX_COUNT)
    return { ok: false, key: 'milestones.tooMany', values: { max: MAX_COUNT, count: distinct.length } };
  return { ok: true, milestones: distinct };
}
