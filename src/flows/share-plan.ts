/**
 * How the key-hash space is cut into shares for several threads (FlowTableOptions.partition): a flow's
 * share is read from bits 14-29 of its key hash (FlowTable's index uses the low bits, which must stay
 * spread within each share), a number in 0 .. SHARE_SPACE-1; share i holds [bounds[i], bounds[i+1]).
 * Shares need not be equal: a thread with other work besides its flows (the worker that decodes every
 * packet for a consumer's tracker) is given fewer flows.
 */

/** The hash bits a share is chosen by (16: 65,536 slices of the space). */
export const SHARE_SPACE = 65536;
const SHARE_SHIFT = 14;

/** A flow's place in the share space, from its key hash (FlowTable's 30-bit flowHash). */
export function sharePoint(h: number): number {
  return h >>> SHARE_SHIFT;
}

/**
 * The bounds of `count` shares (count + 1 numbers, from 0 to SHARE_SPACE): share 0 weighs `firstWeight`
 * and every other share 1 (equal shares by default).
 */
export function shareBounds(count: number, firstWeight = 1): number[] {
  const n = Math.max(1, Math.floor(count));
  const total = firstWeight + (n - 1);
  const bounds = [0];
  for (let i = 1; i < n; i++) bounds.push(Math.round(((firstWeight + (i - 1)) / total) * SHARE_SPACE));
  bounds.push(SHARE_SPACE);
  return bounds;
}

/** The share (index into `bounds`) a key hash falls in. */
export function shareOf(h: number, bounds: readonly number[]): number {
  const x = sharePoint(h);
  let i = 1;
  while (i < bounds.length - 1 && x >= bounds[i]!) i++;
  return i - 1;
}
