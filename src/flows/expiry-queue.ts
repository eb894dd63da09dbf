/**
 * A first-in first-out queue of flow ids, each with the capture time it was queued at: how the flow table
 * finds flows that went idle without scanning every row. A flow is queued when it starts; when the head has
 * waited a whole timeout, the table looks at that flow once: idle that long, it ends (and leaves the hash
 * index); still active, it goes to the tail again. So each flow is looked at about once per timeout of its
 * life, and the hash index holds only recent flows (cache-sized) instead of every flow ever seen.
 */
export class ExpiryQueue {
  private ids = new Int32Array(1024);
  private times = new Float64Array(1024);
  private head = 0;
  /** Entries queued. */
  size = 0;

  /** Queues a flow id at capture time `time` (seconds). */
  push(id: number, time: number): void {
    if (this.size === this.ids.length) this.enlarge();
    const at = (this.head + this.size) & (this.ids.length - 1);
    this.ids[at] = id;
    this.times[at] = time;
    this.size++;
  }

  /** The queue time of the head entry (Infinity when empty). */
  headTime(): number {
    return this.size === 0 ? Infinity : this.times[this.head]!;
  }

  /** Removes the head entry and returns its flow id. */
  shift(): number {
    const id = this.ids[this.head]!;
    this.head = (this.head + 1) & (this.ids.length - 1);
    this.size--;
    return id;
  }

  private enlarge(): void {
    const n = this.ids.length;
    const ids = new Int32Array(n * 2);
    const times = new Float64Array(n * 2);
    for (let i = 0; i < this.size; i++) {
      const from = (this.head + i) & (n - 1);
      ids[i] = this.ids[from]!;
      times[i] = this.times[from]!;
    }
    this.ids = ids;
    this.times = times;
    this.head = 0;
  }
}
