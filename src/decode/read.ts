/**
 * Big-endian reads straight from a packet buffer. Callers check bounds first (a Uint8Array read past its
 * end gives undefined, which bit arithmetic silently turns into 0); these only assemble the bytes.
 */

/** Reads an unsigned 16-bit big-endian value at `o`. */
export function u16(d: Uint8Array, o: number): number {
  return (d[o]! << 8) | d[o + 1]!;
}

/** Reads an unsigned 32-bit big-endian value at `o`. */
export function u32(d: Uint8Array, o: number): number {
  return ((d[o]! << 24) | (d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!) >>> 0;
}

/** Reads an unsigned 16-bit little-endian value at `o`. */
export function u16le(d: Uint8Array, o: number): number {
  return d[o]! | (d[o + 1]! << 8);
}

/** Reads an unsigned 32-bit little-endian value at `o`. */
export function u32le(d: Uint8Array, o: number): number {
  return (d[o]! | (d[o + 1]! << 8) | (d[o + 2]! << 16) | (d[o + 3]! << 24)) >>> 0;
}
