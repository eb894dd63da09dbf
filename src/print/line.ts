/**
 * The text of one packet as the printers build it, and the single exit for truncated packets.
 *
 * Printers append to `line.text`. Each printer sets `line.protocol` to its tcpdump name (`tcp`, `domain`,
 * `ntp`...) when it starts; a read past the captured bytes throws the one preallocated TRUNCATED
 * sentinel (no `new Error` per packet), and the top-level printer catches it once per packet and appends
 * ` [|protocol]`, as tcpdump's nd_trunc_longjmp does.
 */
export class Line {
  text = '';
  protocol = '';

  reset(): void {
    this.text = '';
    this.protocol = '';
  }
}

/** The sentinel thrown when a printer needs bytes the capture does not have. */
export class Truncated {
  readonly truncated = true;
}
export const TRUNCATED = new Truncated();

/**
 * The sentinel for truncation tcpdump reports without unwinding (`goto trunc` after an ND_TCHECK, a
 * link-layer length check): it prints the same ` [|proto]`, but the link-layer header length recorded so far
 * stays, so -x/-X/-A still start after it, whereas TRUNCATED (tcpdump's longjmp) dumps the whole packet.
 */
export const TRUNCATED_SOFT = new Truncated();

/** Truncation a printer has already reported in its own words: the line ends as it is (link length kept). */
export const TRUNCATED_DONE = new Truncated();

/** Throws TRUNCATED unless `n` bytes starting at `at` are below `end`. */
export function need(at: number, n: number, end: number): void {
  if (at + n > end) throw TRUNCATED;
}
