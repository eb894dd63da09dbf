/** Helpers for number-to-word tables: one name, or the set bits as words or letters. */

/** A table from numbers to tcpdump's words for them. */
export type NameTable = ReadonlyMap<number, string>;

/** Returns the name of `value`, or `fallback` with `%u` replaced by the value (tcpdump's tok2str). */
export function nameOf(table: NameTable, value: number, fallback: string): string {
  const n = table.get(value);
  if (n !== undefined) return n;
  return fallback.replace('%u', String(value));
}

/**
 * Returns the words of the bits set in `value`, joined by `sep`, in table order, or `none` when no listed
 * bit is set (tcpdump's bittok2str with ", " and bittok2str_nosep with "").
 */
export function bitNames(table: ReadonlyArray<readonly [number, string]>, value: number, none: string, sep: string): string {
  let out = '';
  let first = true;
  for (const [bit, word] of table) {
    if (((value & bit) >>> 0) === bit && bit !== 0) {
      out += first ? word : sep + word;
      first = false;
    }
  }
  return first ? none : out;
}
