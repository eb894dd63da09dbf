/**
 * A small seeded pseudo-random generator (sfc32, Chris Doty-Humphrey's "small fast counting" generator):
 * every capture pcapsift generates is a pure function of its seed, so samples and benchmark slices are
 * byte-for-byte reproducible. Never use Math.random in src/gen.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number | string) {
    // Spread the seed over the state with a string hash (cyrb-like mixing), then warm the generator up.
    let h = typeof seed === 'number' ? seed >>> 0 : hashString(seed);
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = h;
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
    this.a ^= h;
    for (let i = 0; i < 15; i++) this.u32();
  }

  /** Returns a uniformly distributed unsigned 32-bit integer. */
  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Returns a float in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Returns an integer in [lo, hi] (inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }

  /** Returns true with probability p. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** Returns one element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)]!;
  }

  /** Returns a float in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + this.float() * (hi - lo);
  }

  /** Returns n pseudo-random bytes. */
  bytes(n: number): Buffer {
    const b = Buffer.allocUnsafe(n);
    this.fill(b, 0, n);
    return b;
  }

  /** Fills buf[start, end) with pseudo-random bytes. */
  fill(buf: Uint8Array, start: number, end: number): void {
    let i = start;
    for (; i + 4 <= end; i += 4) {
      const v = this.u32();
      buf[i] = v & 0xff;
      buf[i + 1] = (v >>> 8) & 0xff;
      buf[i + 2] = (v >>> 16) & 0xff;
      buf[i + 3] = v >>> 24;
    }
    if (i < end) {
      const v = this.u32();
      for (let k = 0; i < end; i++, k += 8) buf[i] = (v >>> k) & 0xff;
    }
  }

  /** Returns an exponentially distributed float with the given mean (for inter-arrival times). */
  exp(mean: number): number {
    return -Math.log(1 - this.float()) * mean;
  }

  /** Shuffles an array in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      const t = items[i]!;
      items[i] = items[j]!;
      items[j] = t;
    }
    return items;
  }
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
