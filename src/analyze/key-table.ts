/**
 * A counting table keyed by a fixed number of 32-bit words: the `sort | uniq -c` of pcapsift, without a
 * string or an object per packet. Keys live in one Uint32Array, counts in Float64Arrays, lookup is open
 * addressing with linear probing; entries keep their insertion order (their index).
 */

const EMPTY = 0;

export class KeyTable {
  /** Entries in use. */
  size = 0;
  /** Keys, `width` words per entry. */
  keys: Uint32Array;
  /** Packets (or whatever `add` counts) per entry. */
  counts: Float64Array;
  /** A second sum per entry (bytes, for example). */
  sums: Float64Array;
  private slots: Int32Array;
  private mask: number;
  private hashes: Uint32Array;

  constructor(
    readonly width: number,
    initialCapacity = 256,
  ) {
    let cap = 16;
    while (cap < initialCapacity) cap *= 2;
    this.keys = new Uint32Array(cap * width);
    this.counts = new Float64Array(cap);
    this.sums = new Float64Array(cap);
    this.hashes = new Uint32Array(cap);
    this.slots = new Int32Array(cap * 2);
    this.mask = cap * 2 - 1;
  }

  /** Rows the arrays hold before they grow. */
  get capacity(): number {
    return this.counts.length;
  }

  /** Returns the entry index of a key (the first `width` words of `key`), inserting it if new. */
  intern(key: Uint32Array): number {
    const w = this.width;
    let h = 0x811c9dc5;
    for (let i = 0; i < w; i++) {
      h = Math.imul(h ^ key[i]!, 0x01000193);
      h ^= h >>> 15;
    }
    h = Math.imul(h ^ (h >>> 13), 0x5bd1e995);
    h = (h ^ (h >>> 15)) >>> 0;
    const keys = this.keys;
    for (let s = h & this.mask; ; s = (s + 1) & this.mask) {
      const v = this.slots[s]!;
      if (v === EMPTY) break;
      const idx = v - 1;
      if (this.hashes[idx] !== h) continue;
      const b = idx * w;
      let same = true;
      for (let i = 0; i < w; i++) {
        if (keys[b + i] !== key[i]) {
          same = false;
          break;
        }
      }
      if (same) return idx;
    }
    if (this.size === this.counts.length) this.grow();
    const idx = this.size++;
    const into = this.keys; // grow() may have replaced the array
    for (let i = 0, b = idx * w; i < w; i++) into[b + i] = key[i]!;
    this.hashes[idx] = h;
    let s = h & this.mask;
    while (this.slots[s] !== EMPTY) s = (s + 1) & this.mask;
    this.slots[s] = idx + 1;
    return idx;
  }

  /** Adds `n` to the count of a key (and `sum` to its second sum); returns the entry index. */
  add(key: Uint32Array, n = 1, sum = 0): number {
    const idx = this.intern(key);
    this.counts[idx] += n;
    this.sums[idx] += sum;
    return idx;
  }

  /** Reads word `i` of entry `idx`'s key. */
  word(idx: number, i: number): number {
    return this.keys[idx * this.width + i]!;
  }

  private grow(): void {
    const cap = this.counts.length * 2;
    const keys = new Uint32Array(cap * this.width);
    keys.set(this.keys);
    this.keys = keys;
    const counts = new Float64Array(cap);
    counts.set(this.counts);
    this.counts = counts;
    const sums = new Float64Array(cap);
    sums.set(this.sums);
    this.sums = sums;
    const hashes = new Uint32Array(cap);
    hashes.set(this.hashes);
    this.hashes = hashes;
    this.slots = new Int32Array(cap * 2);
    this.mask = cap * 2 - 1;
    for (let idx = 0; idx < this.size; idx++) {
      let s = this.hashes[idx]! & this.mask;
      while (this.slots[s] !== EMPTY) s = (s + 1) & this.mask;
      this.slots[s] = idx + 1;
    }
  }
}
