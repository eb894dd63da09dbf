/**
 * Flows noted during the sweep when the capture ends (see `Connection.kept`: their rows then stay put until
 * the detectors finish). A detector that adds flows up by a key (a pair of hosts, a host's port...) and
 * reports only the keys whose totals cross a threshold notes each flow here for a few bytes, instead of
 * filing it in a table keyed by it (a hash probe and a handful of column writes, each a cache miss, for
 * every one of millions of flows). At the end it visits the notes grouped by key, adds up the one value
 * it noted per flow, and reads again (through a cursor) only the flows of the keys that can matter.
 */

/** Which columns a detector notes besides the first two key numbers and the flow id. */
export interface KeptColumns {
  /** A third key number. */
  k2?: boolean;
  /** A value to add up per key. */
  value?: boolean;
  /** One more number, outside the key. */
  extra?: boolean;
}

/** Notes of (key of two or three small non-negative integers, flow id, value, extra), in the order noted. */
export class KeptFlows {
  n = 0;
  private cap = 0;
  k0: Int32Array = new Int32Array(0);
  k1: Int32Array = new Int32Array(0);
  /** Columns not asked for stay empty (and read as undefined: never read them). */
  k2: Int32Array = new Int32Array(0);
  id: Int32Array = new Int32Array(0);
  value: Float64Array = new Float64Array(0);
  extra: Int32Array = new Int32Array(0);
  private readonly has: Required<KeptColumns>;

  constructor(columns: KeptColumns = {}) {
    this.has = { k2: columns.k2 === true, value: columns.value === true, extra: columns.extra === true };
  }

  /**
   * Makes room for `n` notes at once, as the sweep starts (`n`: the table's rows, which bound the notes).
   * Room not written to costs address space only (the system hands out pages as notes are written), and
   * the columns are never copied to grow.
   */
  reserve(n: number): void {
    if (n > this.cap) this.resize(n);
  }

  /** Notes flow `id` under key (k0, k1, k2), with a value to add up per key and a number to keep. */
  push(k0: number, k1: number, k2: number, id: number, value = 0, extra = 0): void {
    const i = this.n++;
    if (i === this.cap) this.resize(Math.max(1024, this.cap * 2));
    this.k0[i] = k0;
    this.k1[i] = k1;
    if (this.has.k2) this.k2[i] = k2;
    this.id[i] = id;
    if (this.has.value) this.value[i] = value;
    if (this.has.extra) this.extra[i] = extra;
  }

  /** Says whether notes i and j have the same key. */
  sameKey(i: number, j: number): boolean {
    return this.k0[i] === this.k0[j] && this.k1[i] === this.k1[j] && (!this.has.k2 || this.k2[i] === this.k2[j]);
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
    const columns = this.has.k2 ? [this.k2, this.k1, this.k0] : [this.k1, this.k0];
    for (const col of columns) {
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

  private resize(n: number): void {
    const i32 = (a: Int32Array, used: boolean): Int32Array => {
      if (!used) return a;
      const b = new Int32Array(n);
      b.set(a.subarray(0, this.n));
      return b;
    };
    this.k0 = i32(this.k0, true);
    this.k1 = i32(this.k1, true);
    this.k2 = i32(this.k2, this.has.k2);
    this.id = i32(this.id, true);
    this.extra = i32(this.extra, this.has.extra);
    if (this.has.value) {
      const v = new Float64Array(n);
      v.set(this.value.subarray(0, this.n));
      this.value = v;
    }
    this.cap = n;
  }
}
