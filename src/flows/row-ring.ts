/**
 * A bounded queue of flow rows from one thread to another, in shared memory: a share worker's evicted
 * flows travel through it to the thread that judges them while both still read the capture, so a flow
 * limit bounds memory on every thread (at most `capacity` rows are in flight). One writer, one reader.
 * The writer waits while the ring is full, until the reader takes rows or closes the ring; after `close`
 * the writer drops its rows instead of waiting (the reader has failed or no longer wants them).
 */
import { FlowTable } from './flow-table.js';

/** What the other thread needs to open the same ring (structured-cloneable; the buffers are shared). */
export interface RowRingState {
  rows: SharedArrayBuffer;
  control: SharedArrayBuffer;
  capacity: number;
}

// Words of the control array. HEAD and TAIL count rows written and taken, as int32 that wrap around
// (their difference stays right while it is below 2^31; the capacity is far below).
const HEAD = 0;
const TAIL = 1;
const CLOSED = 2;
const CONTROL_WORDS = 3;

/** How long the writer sleeps at a time while the ring is full, in ms (it re-checks CLOSED then). */
const FULL_WAIT_MS = 100;

export class RowRing {
  /** The ring's rows as a table (read them with its accessors; not in any hash index). */
  readonly table: FlowTable;
  private readonly control: Int32Array;
  private readonly mask: number;

  private constructor(
    private readonly ringState: RowRingState,
    table: FlowTable,
  ) {
    this.table = table;
    this.control = new Int32Array(ringState.control);
    this.mask = ringState.capacity - 1;
  }

  /** A ring of `capacity` rows (a power of two). */
  static create(capacity: number): RowRing {
    if (capacity < 1 || (capacity & (capacity - 1)) !== 0) throw new RangeError(`ring capacity ${capacity} is not a power of two`);
    const t = new FlowTable({ shared: true, initialCapacity: capacity, maxFlows: capacity });
    const rows = t.exportState().rows;
    return new RowRing({ rows, control: new SharedArrayBuffer(CONTROL_WORDS * 4), capacity }, t);
  }

  /** The same ring, opened on another thread from its `state()`. */
  static open(state: RowRingState): RowRing {
    const t = FlowTable.fromState({ rows: state.rows, capacity: state.capacity, used: state.capacity, live: 0, stats: { created: 0, evicted: 0, timedOut: 0, reused: 0, untracked: 0 } });
    return new RowRing(state, t);
  }

  state(): RowRingState {
    return this.ringState;
  }

  // ---- the writer

  /**
   * Queues a copy of flow `id` of table `from`, waiting while the ring is full. Returns false, the row
   * dropped, when the reader has closed the ring.
   */
  push(from: FlowTable, id: number): boolean {
    const c = this.control;
    const head = c[HEAD]!;
    for (;;) {
      if (Atomics.load(c, CLOSED) !== 0) return false;
      const tail = Atomics.load(c, TAIL);
      if (((head - tail) | 0) <= this.mask) break;
      Atomics.wait(c, TAIL, tail, FULL_WAIT_MS);
    }
    this.table.copyRow(head & this.mask, from, id);
    Atomics.store(c, HEAD, (head + 1) | 0);
    Atomics.notify(c, HEAD);
    return true;
  }

  // ---- the reader

  /** Rows waiting to be taken. */
  get pending(): number {
    return (Atomics.load(this.control, HEAD) - this.control[TAIL]!) | 0;
  }

  /**
   * Hands every waiting row to `fn` (the ring's table and the row: read what you need during the call),
   * then frees them for the writer. Returns how many.
   */
  drain(fn: (table: FlowTable, row: number) => void): number {
    const c = this.control;
    const head = Atomics.load(c, HEAD);
    let tail = c[TAIL]!;
    const n = (head - tail) | 0;
    if (n === 0) return 0;
    for (; tail !== head; tail = (tail + 1) | 0) fn(this.table, tail & this.mask);
    Atomics.store(c, TAIL, tail);
    Atomics.notify(c, TAIL);
    return n;
  }

  /** Resolves when rows are waiting, or after `ms` (without blocking this thread). */
  async waitForRows(ms: number): Promise<void> {
    const c = this.control;
    const head = Atomics.load(c, HEAD);
    if (head !== c[TAIL]) return;
    const w = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number, ms: number): { async: boolean; value: Promise<string> | string } }).waitAsync(c, HEAD, head, ms);
    if (w.async) await w.value;
  }

  /** Takes no more rows: the writer stops waiting and drops what it would queue. */
  close(): void {
    Atomics.store(this.control, CLOSED, 1);
    Atomics.notify(this.control, TAIL);
  }
}
