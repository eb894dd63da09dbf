/**
 * tcpdump's tcp_seq_hash (print-tcp.c): the conversations whose relative sequence numbers the printer has
 * based, keyed by both addresses and the port pair in collating order. tcpdump never frees an entry, and
 * neither may we (a later packet of any old conversation prints relative to it), so entries live in typed
 * arrays, not objects: about 24 bytes per IPv4 conversation and 48 per IPv6 one, which keeps printing a
 * 10-million-packet capture in bounded, small memory. Open addressing, linear probing, doubling at three
 * quarters full.
 */
export class TcpSeqTable {
  /** After `find`: the slot of the conversation. */
  slot = 0;
  /** After `find`: true when the conversation was not there before (a slot was taken for it). */
  created = false;
  /** Base of the lower-ordered endpoint's sequence numbers, per slot. */
  seq: Uint32Array;
  /** Base of the other endpoint's sequence numbers, per slot. */
  ack: Uint32Array;
  /** The key being looked up: address words of both endpoints in collating order, then the port pair. */
  readonly key: Uint32Array;
  private keys: Uint32Array;
  private used: Uint8Array;
  private mask: number;
  private size = 0;

  constructor(
    /** Words per key: 3 for IPv4 (two addresses and the ports), 9 for IPv6. */
    private readonly stride: number,
    capacity = 1024,
  ) {
    this.key = new Uint32Array(stride);
    this.keys = new Uint32Array(capacity * stride);
    this.used = new Uint8Array(capacity);
    this.seq = new Uint32Array(capacity);
    this.ack = new Uint32Array(capacity);
    this.mask = capacity - 1;
  }

  /** Finds the conversation in `key`, taking a new slot for it when absent; sets `slot` and `created`. */
  find(): void {
    const key = this.key;
    const stride = this.stride;
    let h = 0x811c9dc5;
    for (let i = 0; i < stride; i++) h = Math.imul(h ^ key[i]!, 0x01000193);
    h ^= h >>> 15;
    let s = h & this.mask;
    const keys = this.keys;
    const used = this.used;
    for (;;) {
      if (used[s] === 0) break;
      const base = s * stride;
      let i = 0;
      while (i < stride && keys[base + i] === key[i]) i++;
      if (i === stride) {
        this.slot = s;
        this.created = false;
        return;
      }
      s = (s + 1) & this.mask;
    }
    if ((this.size + 1) * 4 > used.length * 3) {
      this.grow();
      this.find();
      return;
    }
    used[s] = 1;
    keys.set(key, s * stride);
    this.size++;
    this.slot = s;
    this.created = true;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldUsed = this.used;
    const oldSeq = this.seq;
    const oldAck = this.ack;
    const stride = this.stride;
    const cap = oldUsed.length * 2;
    this.keys = new Uint32Array(cap * stride);
    this.used = new Uint8Array(cap);
    this.seq = new Uint32Array(cap);
    this.ack = new Uint32Array(cap);
    this.mask = cap - 1;
    this.size = 0;
    const saved = Uint32Array.from(this.key);
    for (let s = 0; s < oldUsed.length; s++) {
      if (oldUsed[s] === 0) continue;
      this.key.set(oldKeys.subarray(s * stride, s * stride + stride));
      this.find();
      this.seq[this.slot] = oldSeq[s]!;
      this.ack[this.slot] = oldAck[s]!;
    }
    this.key.set(saved);
  }
}
