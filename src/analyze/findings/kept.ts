/**
 * Flows noted during the sweep when the capture ends (see `Connection.kept`: their rows then stay put until
 * the detectors finish). A detector that adds flows up by a key (a pair of hosts, a host's port...) and
 * reports only the keys whose totals cross a threshold notes each flow here for a few bytes, instead of
 * filing it in a table keyed by it (a hash probe and a handful of column writes, each a cache miss, for
 * every one of millions of flows). At the end it visits the notes grouped by key, adds up the one value
 * it noted per flow, and reads again (through a cursor) only the flows of the keys that can matter.
 */

function grownI32(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

/**
 * Notes of (key of up to three small non-negative integers, flow id, value to add up, one more number
 * outside the key), in the order noted.
 */
export class KeptFlows {
  n = 0;
  private cap = 1024;
  k0: Int32Array = new Int32Array(this.cap);
  k1: Int32Array = new Int32Array(this.cap);
  k2: Int32Array = new Int32Array(this.cap);
  id: Int32Array = new Int32Array(this.cap);
  value: Float64Array = new Float64Array(this.cap);
  extra: Int32Array = new Int32Array(this.cap);

  /** Notes flow `id` under key (k0, k1, k2) with a value to add up per key (and a number to keep). */
  push(k0: number, k1: number, k2: number, id: number, value: number, extra = 0): void {
    const i = this.n++;
    if (i === this.cap) this.grow(this.cap * 2);
    this.k0[i] = k0;
    this.k1[i] = k1;
    this.k2[i] = k2;
    this.id[i] = id;
    this.value[i] = value;
    this.extra[i] = extra;
  }

  /** Says whether notes i and j have the same key. */
  sameKey(i: number, j: number): boolean {
    return this.k0[i] === this.k0[j] && this.k1[i] === this.k1[j] && this.k2[i] === this.k2[j];
  }

  /**
   * The notes' indices ordered by key (k0, then k1, then k2), notes of one key in the order noted: a stable
   * counting sort per key column, last column first (the keys are host numbers and ports, so the counts
   * fit in arrays).
   */
  grouped(): Int32Array {
    let order = new Int32Array(this.n);
    for (let i = 0; i < this.n; i++) order[i] = i;
    let spare = new Int32Array(this.n);
    for (const col of [this.k2, this.k1, this.k0]) {
      let max = 0;
      for (let i = 0; i < this.n; i++) if (col[i]! > max) max = col[i]!;
      if (max === 0) continue;
      const start = new Int32Array(max + 2);
      for (let i = 0; i < this.n; i++) start[col[i]! + 1]!++;
      for (let k = 1; k <= max + 1; k++) start[k]! += start[k - 1]!;
      for (let i = 0; i < this.n; i++) {
        const note = order[i]!;
        spare[start[col[note]!]!++] = note;
      }
      [order, spare] = [spare, order];
    }
    return order;
  }

  private grow(n: number): void {
    this.k0 = grownI32(this.k0, n);
    this.k1 = grownI32(this.k1, n);
    this.k2 = grownI32(this.k2, n);
    this.id = grownI32(this.id, n);
    this.extra = grownI32(this.extra, n);
    const v = new Float64Array(n);
    v.set(this.value);
    this.value = v;
    this.cap = n;
  }
}
