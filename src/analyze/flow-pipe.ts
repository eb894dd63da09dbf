/**
 * Tracking flows on a second thread fed by this one: the thread that reads the capture decodes each
 * selected packet and passes what the flow table reads of it (addresses, ports, flags, sequence number,
 * lengths, times, the packet an ICMP error quotes) through a ring in shared memory; a worker tracks every
 * flow from those events, in the same order, so its table is exactly what tracking here would have built.
 * Reading and decoding overlap with tracking, and nothing is read or decoded twice (flow shares read the
 * whole file on every thread, which pays only on large files: see flow-shares.ts).
 *
 * Only for passes whose consumers read flows at the end (`flowsOnly`): the flows are in two tables, this
 * thread's share and the worker's, read through its shared rows once the worker is done.
 */
import { DecodedPacket } from '../decode/packet.js';

/**
 * The reading thread tracks one share in PIPE_SHARES of the flows itself (by key hash, as flow shares split
 * them) and pipes the packets of the others: tracking costs more than reading and decoding, so the two
 * threads finish together when the worker takes most of the flows (measured on 1 M packets).
 */
export const PIPE_SHARES = 6;

/** 32-bit words per event (five doubles, then 30 words). */
export const EVENT_WORDS = 40;
/**
 * Events the ring holds (10 MB): room for either thread to run ahead through the other's pauses (a
 * garbage collection, a read) without making it wait; at 8192 events both threads waited ~0.1 s per
 * million packets.
 */
export const RING_EVENTS = 65536;
/** Events written before the writer publishes them (and wakes the worker). */
const PUBLISH_EVERY = 1024;
/** Events tracked before the worker frees their slots (and wakes a writer waiting for room). */
const RELEASE_EVERY = 4096;
/** Looks at the other thread's progress this many times before sleeping on it (a wake-up costs more). */
const SPINS = 2000;

// Control words.
/** Events published by the writer. */
const C_WRITTEN = 0;
/** Events the worker has tracked (their slots are free again). */
const C_READ = 1;
/** Set by the writer after its last event. */
const C_DONE = 2;
/** Bumped by the writer whenever it publishes: what the worker waits on. */
const C_EPOCH = 3;
/** Set by the worker when it failed: the writer stops waiting for room. */
const C_FAILED = 4;
const CONTROL_WORDS = 5;

// Event layout. Doubles first (float indices within the slot): values that need not fit 32 bits (a capture
// may hold a microsecond field of 2^31, or a wire length of 4 GB).
const F_TS_SEC = 0;
const F_FRAME = 1;
const F_TS_NSEC = 2;
const F_IP_LENGTH = 3;
const F_PAYLOAD_LENGTH = 4;
// Then 32-bit words (word indices within the slot).
const E_VERSION = 10;
const E_PROTOCOL = 11;
const E_SRC_PORT = 12;
const E_DST_PORT = 13;
const E_TCP_FLAGS = 14;
const E_ICMP_TYPE = 15;
const E_ICMP_CODE = 16;
const E_SEQ = 17;
const E_WINDOW = 18;
const E_SRC = 19;
const E_DST = 23;
const E_QUOTED = 27;
const E_QUOTED_VERSION = 28;
const E_QUOTED_PROTOCOL = 29;
const E_QUOTED_SRC_PORT = 30;
const E_QUOTED_DST_PORT = 31;
const E_QUOTED_SRC = 32;
const E_QUOTED_DST = 36;

/** The shared memory of one pipe (structured-cloneable: posted to the worker). */
export interface PipeMemory {
  ring: SharedArrayBuffer;
  control: SharedArrayBuffer;
}

export function pipeMemory(): PipeMemory {
  return { ring: new SharedArrayBuffer(RING_EVENTS * EVENT_WORDS * 4), control: new SharedArrayBuffer(CONTROL_WORDS * 4) };
}

/** Thrown by the writer when the worker failed (its own error arrives with its answer). */
export class PipeFailed extends Error {
  constructor() {
    super('the flow tracking thread failed');
  }
}

/** The reading thread's end: copies packets into the ring, waiting for room when it is full. */
export class PipeWriter {
  private readonly i32: Int32Array;
  private readonly u32: Uint32Array;
  private readonly f64: Float64Array;
  private readonly control: Int32Array;
  private written = 0;
  /** The worker's progress as last read (refreshed only when the ring looks full). */
  private read = 0;

  constructor(memory: PipeMemory) {
    this.i32 = new Int32Array(memory.ring);
    this.u32 = new Uint32Array(memory.ring);
    this.f64 = new Float64Array(memory.ring);
    this.control = new Int32Array(memory.control);
  }

  /** Passes one decoded packet to the tracking thread. */
  push(p: DecodedPacket): void {
    if (this.written - this.read >= RING_EVENTS) this.waitForRoom();
    const slot = this.written % RING_EVENTS;
    const w = slot * EVENT_WORDS;
    const i = this.i32;
    const u = this.u32;
    const f = this.f64;
    const d = w >> 1;
    f[d + F_TS_SEC] = p.tsSec;
    f[d + F_FRAME] = p.frame;
    f[d + F_TS_NSEC] = p.tsNsec;
    f[d + F_IP_LENGTH] = p.ipLength;
    f[d + F_PAYLOAD_LENGTH] = p.payloadLength;
    i[w + E_VERSION] = p.ipVersion;
    i[w + E_PROTOCOL] = p.protocol;
    i[w + E_SRC_PORT] = p.srcPort;
    i[w + E_DST_PORT] = p.dstPort;
    i[w + E_TCP_FLAGS] = p.tcpFlags;
    i[w + E_ICMP_TYPE] = p.icmpType;
    i[w + E_ICMP_CODE] = p.icmpCode;
    u[w + E_SEQ] = p.seq;
    i[w + E_WINDOW] = p.window;
    // The endpoints the flow table keys on: IPv6 routing and Mobile IPv6 name the real ones.
    const src = p.hasHomeAddress ? p.homeAddress : p.src;
    const dst = p.hasFinalDst ? p.finalDst : p.dst;
    u[w + E_SRC] = src[0]!;
    u[w + E_SRC + 1] = src[1]!;
    u[w + E_SRC + 2] = src[2]!;
    u[w + E_SRC + 3] = src[3]!;
    u[w + E_DST] = dst[0]!;
    u[w + E_DST + 1] = dst[1]!;
    u[w + E_DST + 2] = dst[2]!;
    u[w + E_DST + 3] = dst[3]!;
    if (p.hasQuoted) {
      i[w + E_QUOTED] = 1;
      i[w + E_QUOTED_VERSION] = p.quotedVersion;
      i[w + E_QUOTED_PROTOCOL] = p.quotedProtocol;
      i[w + E_QUOTED_SRC_PORT] = p.quotedSrcPort;
      i[w + E_QUOTED_DST_PORT] = p.quotedDstPort;
      for (let k = 0; k < 4; k++) {
        u[w + E_QUOTED_SRC + k] = p.quotedSrc[k]!;
        u[w + E_QUOTED_DST + k] = p.quotedDst[k]!;
      }
    } else i[w + E_QUOTED] = 0;
    if (++this.written % PUBLISH_EVERY === 0) this.publish();
  }

  /** Publishes the last events and tells the worker there are no more. */
  finish(): void {
    Atomics.store(this.control, C_DONE, 1);
    this.publish();
  }

  private publish(): void {
    Atomics.store(this.control, C_WRITTEN, this.written);
    Atomics.add(this.control, C_EPOCH, 1);
    Atomics.notify(this.control, C_EPOCH);
  }

  private waitForRoom(): void {
    this.publish();
    for (;;) {
      this.read = Atomics.load(this.control, C_READ);
      if (this.written - this.read < RING_EVENTS) return;
      if (Atomics.load(this.control, C_FAILED) !== 0) throw new PipeFailed();
      let spin = SPINS;
      while (spin-- > 0 && Atomics.load(this.control, C_READ) === this.read);
      if (spin >= 0) continue;
      // Bounded: a worker that died without saying so is noticed (C_FAILED) within the timeout.
      Atomics.wait(this.control, C_READ, this.read, 100);
    }
  }
}

/** The tracking thread's end: hands each event to `onPacket` as a DecodedPacket, until the writer is done. */
export function drainPipe(memory: PipeMemory, onPacket: (p: DecodedPacket) => void): void {
  const i = new Int32Array(memory.ring);
  const u = new Uint32Array(memory.ring);
  const f = new Float64Array(memory.ring);
  const control = new Int32Array(memory.control);
  const q = new DecodedPacket();
  let read = 0;
  for (;;) {
    const epoch = Atomics.load(control, C_EPOCH);
    const written = Atomics.load(control, C_WRITTEN);
    if (read === written) {
      if (Atomics.load(control, C_DONE) !== 0) return;
      let spin = SPINS;
      while (spin-- > 0 && Atomics.load(control, C_EPOCH) === epoch);
      if (spin < 0) Atomics.wait(control, C_EPOCH, epoch);
      continue;
    }
    for (; read < written; read++) {
      const w = (read % RING_EVENTS) * EVENT_WORDS;
      const d = w >> 1;
      q.tsSec = f[d + F_TS_SEC]!;
      q.frame = f[d + F_FRAME]!;
      q.tsNsec = f[d + F_TS_NSEC]!;
      q.ipLength = f[d + F_IP_LENGTH]!;
      q.payloadLength = f[d + F_PAYLOAD_LENGTH]!;
      q.ipVersion = i[w + E_VERSION]!;
      q.protocol = i[w + E_PROTOCOL]!;
      q.srcPort = i[w + E_SRC_PORT]!;
      q.dstPort = i[w + E_DST_PORT]!;
      q.tcpFlags = i[w + E_TCP_FLAGS]!;
      q.icmpType = i[w + E_ICMP_TYPE]!;
      q.icmpCode = i[w + E_ICMP_CODE]!;
      q.seq = u[w + E_SEQ]!;
      q.window = i[w + E_WINDOW]!;
      for (let k = 0; k < 4; k++) {
        q.src[k] = u[w + E_SRC + k]!;
        q.dst[k] = u[w + E_DST + k]!;
      }
      q.hasQuoted = i[w + E_QUOTED] === 1;
      if (q.hasQuoted) {
        q.quotedVersion = i[w + E_QUOTED_VERSION]!;
        q.quotedProtocol = i[w + E_QUOTED_PROTOCOL]!;
        q.quotedSrcPort = i[w + E_QUOTED_SRC_PORT]!;
        q.quotedDstPort = i[w + E_QUOTED_DST_PORT]!;
        for (let k = 0; k < 4; k++) {
          q.quotedSrc[k] = u[w + E_QUOTED_SRC + k]!;
          q.quotedDst[k] = u[w + E_QUOTED_DST + k]!;
        }
      }
      onPacket(q);
      // Free the slots now and then, not per event (the writer only looks when the ring is full).
      if ((read + 1) % RELEASE_EVERY === 0) {
        Atomics.store(control, C_READ, read + 1);
        Atomics.notify(control, C_READ);
      }
    }
    Atomics.store(control, C_READ, read);
    Atomics.notify(control, C_READ);
  }
}

/** Marks the pipe failed, so that a writer waiting for room stops. */
export function failPipe(memory: PipeMemory): void {
  const control = new Int32Array(memory.control);
  Atomics.store(control, C_FAILED, 1);
  Atomics.notify(control, C_READ);
}
