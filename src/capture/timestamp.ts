/**
 * Splits a 64-bit timestamp (two unsigned 32-bit halves) counted in `unitsPerSecond` units into whole
 * seconds and nanoseconds, exactly. Doubles hold only 53 bits, and a nanosecond pcapng timestamp needs 61,
 * so large values are divided in 16-bit limbs (each step stays below 2^48 and so is exact).
 * Writes the result into `out[0]` (seconds) and `out[1]` (nanoseconds, truncated as libpcap truncates).
 */
export function splitTimestamp64(hi: number, lo: number, unitsPerSecond: number, out: Float64Array): void {
  let sec: number;
  let rem: number;
  if (hi < 0x200000) {
    // Fits in 53 bits: plain arithmetic is exact; correct the floor of a rounded quotient.
    const value = hi * 4294967296 + lo;
    sec = Math.floor(value / unitsPerSecond);
    rem = value - sec * unitsPerSecond;
    if (rem < 0) {
      sec -= 1;
      rem += unitsPerSecond;
    } else if (rem >= unitsPerSecond) {
      sec += 1;
      rem -= unitsPerSecond;
    }
  } else if (unitsPerSecond < 0x2000000000) {
    const limbs = [hi >>> 16, hi & 0xffff, lo >>> 16, lo & 0xffff];
    sec = 0;
    rem = 0;
    for (const limb of limbs) {
      const cur = rem * 65536 + limb;
      const q = Math.floor(cur / unitsPerSecond);
      sec = sec * 65536 + q;
      rem = cur - q * unitsPerSecond;
    }
  } else {
    const value = (BigInt(hi) << 32n) | BigInt(lo);
    const units = BigInt(unitsPerSecond);
    sec = Number(value / units);
    rem = Number(value % units);
  }
  out[0] = sec;
  const nanosPerUnit = 1e9 / unitsPerSecond;
  if (Number.isInteger(nanosPerUnit)) {
    out[1] = rem * nanosPerUnit;
  } else {
    // Binary resolutions and resolutions finer than a nanosecond: rare, so exactness beats speed.
    out[1] = Number((BigInt(rem) * 1000000000n) / BigInt(unitsPerSecond));
  }
}
