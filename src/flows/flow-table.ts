/**
 * The flow table: every bidirectional conversation keyed by its 5-tuple (IP version, protocol, both
 * addresses, both ports; VLAN ids are not part of the key, as in Zeek's default). A flow is one 256-byte row
 * of one ArrayBuffer (read through Uint32/Float64/Uint8 views), laid out so that a packet touches few cache
 * lines: the key, flags and last time in the first 64 bytes (all a lookup and the idle check read), the
 * counters in the next 64, each endpoint's Zeek state in the third, the history letters in the fourth. Kept
 * as one array per field, the same update touched a dozen arrays and cost about twice as much (cache and TLB
 * misses). A million flows cost 256 MB plus a 16 MB index, and tracking a packet allocates nothing. Lookup
 * is open addressing with linear probing on a direction-independent hash; a flow's id is its row.
 *
 * Each flow records Zeek's endpoint states, history letters and counters, so `conn_state` and `history`
 * come out as Zeek computes them (see states.ts and tcp-state.ts). Flows end when idle longer than their
 * protocol's timeout (Zeek's inactivity timeouts) or when a TCP port pair is reused by a new SYN after a
 * close; an ended flow keeps its row (and its results) but leaves the hash, so the next packet with that key
 * starts a new flow. When `maxFlows` rows are in use, a flow is evicted (the least recently active of a
 * round-robin sample of rows, ended flows first): consumers hear of it through `onEvict` first, and
 * evictions are counted.
 */
import type { DecodedPacket } from '../decode/packet.js';
import { IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP } from '../wire/ipv4.js';
import { EP_ACTIVE, EP_CLOSED, EP_RESET, HIST_DATA } from './states.js';
import { trackTcp } from './tcp-state.js';
import { ExpiryQueue } from './expiry-queue.js';
import { TCP_ACK_FLAG, TCP_FIN, TCP_RST, TCP_SYN } from '../decode/tcp.js';
import { shareBounds, sharePoint } from './share-plan.js';

/** Words per endpoint in `ep`, and what each holds. */
export const EP_WORDS = 8;
/** The endpoint state (EP_* in states.ts). */
export const EPW_STATE = 0;
/** History letters already recorded (HIST_* bits). */
export const EPW_HIST = 1;
/** Sequence numbers of the last SYN, FIN and RST: a repeat with another number records the letter again. */
export const EPW_LAST_SYN = 2;
export const EPW_LAST_FIN = 3;
export const EPW_LAST_RST = 4;
/** The highest sequence number payload reached (for retransmissions). */
export const EPW_SEQ_MAX = 5;
export const EPW_ZERO_WINDOWS = 6;
export const EPW_RETRANSMITS = 7;

export const DIR_ORIG = 0;
export const DIR_RESP = 1;

/** Flow flags. */
export const FLOW_USED = 1;
/** Zeek flipped the direction: the first packet seen was the responder's (SYN+ACK, ICMP reply). */
export const FLOW_FLIPPED = 2;
/** Ended (idle timeout or TCP reuse): kept as a result, no longer in the hash. */
export const FLOW_ENDED = 4;
/** An ICMP error (port unreachable and friends) quoted one of this flow's packets. */
export const FLOW_ICMP_REJECTED = 8;

/** Longest history kept per flow; later letters are dropped (Zeek's histories are short in practice). */
export const HISTORY_MAX = 24;

export interface FlowTableOptions {
  /** Rows kept at most; beyond it an idle flow is evicted (default 4,194,304). */
  maxFlows?: number;
  /** Seconds of silence that end a TCP flow (Zeek's tcp_inactivity_timeout, 300). */
  tcpIdleTimeout?: number;
  /** Seconds of silence that end a UDP flow (Zeek's udp_inactivity_timeout, 60). */
  udpIdleTimeout?: number;
  /** Seconds of silence that end an ICMP or other-IP flow (Zeek's icmp_inactivity_timeout, 60). */
  otherIdleTimeout?: number;
  /**
   * Rows reserved at first (default: maxFlows, up to 4,194,304). Reserved rows cost address space only: the
   * system hands out zeroed pages as rows are first written, so the table never copies itself to grow
   * within the reservation (copying a gigabyte of rows took longer than tracking ten million packets).
   */
  initialCapacity?: number;
  /** Called before an evicted flow's row is reused: read what you need from it now. */
  onEvict?: (table: FlowTable, id: number) => void;
  /**
   * Track only the flows of one share of the key-hash space (`index` of `count`), for several threads each
   * tracking its own share of one capture: every flow belongs to exactly one share, so the tables never
   * overlap and their results add up to one table's. Packets of other shares are left alone (track returns -1).
   * `bounds` cuts the shares (share-plan.ts shareBounds; equal shares by default).
   */
  partition?: { count: number; index: number; bounds?: readonly number[] };
  /** Keep the rows in a SharedArrayBuffer, so that another thread can read the table (see `exportState`). */
  shared?: boolean;
  /**
   * Called when a flow ends for good (idle timeout, or a new connection reusing its port pair): its row is
   * then recycled for a later flow, so read what you need now. Without it an ended flow keeps its row to
   * the end. Recycling matters in a virtual machine, where writing a row to a page never touched before
   * costs several microseconds: on 1 M packets half the flows end before the capture does. `forEach`
   * then visits only the flows that had not ended.
   */
  onEnd?: (table: FlowTable, id: number) => void;
}

/** What another thread needs to read a table a worker filled (FlowTable.fromState). */
export interface FlowTableState {
  rows: SharedArrayBuffer;
  capacity: number;
  used: number;
  live: number;
  stats: FlowTableStats;
}

export interface FlowTableStats {
  /** Flows created. */
  created: number;
  /** Flows evicted to make room (their rows were reused). */
  evicted: number;
  /** Flows ended by an idle timeout (a later packet with the same key starts a new flow). */
  timedOut: number;
  /** TCP flows ended because a new SYN reused the port pair after a close. */
  reused: number;
  /** IP packets that belong to no flow: non-first fragments, truncated transport headers. */
  untracked: number;
}

const EMPTY = 0;
/** Rows reserved by default (1 GiB of address space; see FlowTableOptions.initialCapacity). */
const RESERVED_ROWS = 1 << 22;
/** Slots of a new index. */
const INITIAL_SLOTS = 1 << 12;
/** Rows examined per eviction. */
const EVICTION_SAMPLE = 32;
const K1 = 0x9e3779b1 | 0;
const K2 = 0x85ebca6b | 0;
const K3 = 0xc2b2ae35 | 0;
const K4 = 0x27d4eb2f | 0;
const K5 = 0x165667b1 | 0;

function hashSide(a: Uint32Array, port: number): number {
  let h = Math.imul(a[0]!, K1);
  h = (h + Math.imul(a[1]!, K2)) | 0;
  h = (h + Math.imul(a[2]!, K3)) | 0;
  h = (h + Math.imul(a[3]!, K4)) | 0;
  return (h + Math.imul(port + 1, K5)) | 0;
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  // 30 bits: a small integer in V8 (31-bit Smis), so passing a hash to a function boxes nothing (a 32-bit
  // one was a heap number on three packets in four).
  return h >>> 2;
}

/** ICMP "ports" as Zeek keys ICMP flows: (request type, reply type) for request/reply pairs, else (type, code). */
function icmpCounterpart(v6: boolean, type: number): number {
  if (!v6) {
    switch (type) {
      case 8: return 0;
      case 0: return 8;
      case 13: return 14;
      case 14: return 13;
      case 15: return 16;
      case 16: return 15;
      case 17: return 18;
      case 18: return 17;
      case 10: return 9;
      case 9: return 10;
      default: return -1;
    }
  }
  switch (type) {
    case 128: return 129;
    case 129: return 128;
    case 133: return 134;
    case 134: return 133;
    case 135: return 136;
    case 136: return 135;
    case 139: return 140;
    case 140: return 139;
    default: return -1;
  }
}

function isIcmpReply(v6: boolean, type: number): boolean {
  return v6 ? type === 129 || type === 134 || type === 136 || type === 140 : type === 0 || type === 14 || type === 16 || type === 18 || type === 9;
}


// ---- the row layout: offsets in 32-bit words (W_), 64-bit floats (F_) or bytes (B_) from the row's start.
/** Bytes, words and floats per row. */
export const ROW_BYTES = 256;
export const ROW_WORDS = ROW_BYTES / 4;
export const ROW_F64 = ROW_BYTES / 8;
// Line 0: the lookup key (orig address, resp address, ports orig << 16 | resp, proto | version << 8), the
// hash, flags, and the last packet's time.
export const W_ORIG_ADDR = 0;
export const W_RESP_ADDR = 4;
const W_PORTS = 8;
const W_PROTO_VERSION = 9;
const W_HASH = 10;
const B_FLAGS = 44;
const B_HANDSHAKE = 45;
const B_HISTORY_LENGTH = 46;
const W_START_NSEC = 12;
const W_LAST_NSEC = 13;
const F_LAST_SEC = 7;
// Line 1: start, first frame, and per endpoint (+ dir) packets, IP bytes, payload bytes.
const F_START_SEC = 8;
const F_FIRST_FRAME = 9;
const F_PACKETS = 10;
const F_IP_BYTES = 12;
const F_PAYLOAD_BYTES = 14;
// Line 2: Zeek's endpoint state words, EP_WORDS per endpoint (orig, then resp).
const W_EP = 32;
// Line 3: the history letters.
const B_HISTORY = 192;
/** Words of each row after the history (HISTORY_MAX letters) left to the table's consumers: see `spareIndex`. */
export const SPARE_WORDS = 10;
const W_SPARE = 54;

/** The flow table. Read a flow's fields through the accessors, by id. */
export class FlowTable {
  readonly maxFlows: number;
  readonly tcpIdleTimeout: number;
  readonly udpIdleTimeout: number;
  readonly otherIdleTimeout: number;
  readonly stats: FlowTableStats = { created: 0, evicted: 0, timedOut: 0, reused: 0, untracked: 0 };
  private readonly onEvict: ((table: FlowTable, id: number) => void) | undefined;
  private readonly onEnd: ((table: FlowTable, id: number) => void) | undefined;
  /** Rows of ended flows handed to onEnd, free for new flows (a stack). */
  private free: Int32Array = new Int32Array(0);
  private freeCount = 0;
  /** The share of the key-hash space tracked (see FlowTableOptions.partition); count 1 tracks everything. */
  private readonly partitioned: boolean;
  /** The share's slice of the share space (share-plan.ts sharePoint): [partLow, partHigh). */
  private readonly partLow: number;
  private readonly partHigh: number;
  private readonly shared: boolean;

  /** Rows allocated, rows ever used (ids below this may be in use). */
  capacity = 0;
  used = 0;
  /** Flows currently holding a row. */
  live = 0;
  /** Direction of the last tracked packet within its flow (DIR_ORIG or DIR_RESP). */
  lastDir = DIR_ORIG;
  /** True when the last tracked packet created its flow. */
  lastCreated = false;

  /**
   * The rows, as 32-bit words: a flow's addresses are the four words at `addrIndex(id, side)` (IPv4 in the
   * last of them), the form `ipTextAt` and the key tables read. Replaced when the table grows: read it anew
   * after tracking.
   */
  words: Uint32Array = new Uint32Array(0);
  private f64: Float64Array = new Float64Array(0);
  private bytes: Uint8Array = new Uint8Array(0);
  /** Where the next eviction starts sampling rows (round-robin). */
  private hand = 0;
  /** Set by allocRow when the row it returned held an evicted flow. */
  private reusedRow = false;
  /** The hash index: pairs of (hash, row id + 1), 0 for an empty slot; a probe reads one cache line. */
  private slots: Int32Array = new Int32Array(0);
  private slotMask = 0;
  /** Flows in the index (live, not ended); it doubles before it gets more than half full. */
  private indexed = 0;
  /** Flows by when they were queued, one queue per idle timeout (TCP, UDP, other): see expiry-queue.ts. */
  private readonly expiry = [new ExpiryQueue(), new ExpiryQueue(), new ExpiryQueue()];
  /** The latest capture time seen, and when the queues are next looked at. */
  private now = -Infinity;
  private nextSweep = -Infinity;

  constructor(options: FlowTableOptions = {}) {
    this.maxFlows = Math.max(1, options.maxFlows ?? 1 << 22);
    this.tcpIdleTimeout = options.tcpIdleTimeout ?? 300;
    this.udpIdleTimeout = options.udpIdleTimeout ?? 60;
    this.otherIdleTimeout = options.otherIdleTimeout ?? 60;
    this.onEvict = options.onEvict;
    this.onEnd = options.onEnd;
    const part = options.partition;
    const count = Math.max(1, part?.count ?? 1);
    const bounds = part?.bounds ?? shareBounds(count);
    const index = part?.index ?? 0;
    if (bounds.length !== count + 1 || index < 0 || index >= count) throw new RangeError('flow table: a partition needs count + 1 bounds and an index below count');
    this.partitioned = count > 1;
    this.partLow = bounds[index]!;
    this.partHigh = bounds[index + 1]!;
    this.shared = options.shared === true;
    this.grow(Math.min(this.maxFlows, Math.max(16, options.initialCapacity ?? RESERVED_ROWS)));
    this.resizeIndex(INITIAL_SLOTS);
  }

  /**
   * Finds or creates the flow of a decoded packet and updates it; returns the flow id, or -1 when the packet
   * is not IP or has no usable key. Sets `lastDir` and `lastCreated`.
   */
  track(p: DecodedPacket): number {
    if (p.ipVersion === 0 || p.protocol < 0) return -1;
    const proto = p.protocol;
    const v6 = p.ipVersion === 6;
    let sp = 0;
    let dp = 0;
    let flipOnCreate = false;
    if (proto === IPPROTO_TCP || proto === IPPROTO_UDP) {
      if (p.srcPort < 0 || (proto === IPPROTO_TCP && p.tcpFlags < 0)) {
        this.stats.untracked++;
        return -1;
      }
      sp = p.srcPort;
      dp = p.dstPort;
      if (proto === IPPROTO_TCP && (p.tcpFlags & (TCP_SYN | TCP_ACK_FLAG | TCP_RST | TCP_FIN)) === (TCP_SYN | TCP_ACK_FLAG)) flipOnCreate = true;
    } else if (proto === IPPROTO_ICMP || proto === IPPROTO_ICMPV6) {
      if (p.icmpType < 0) {
        this.stats.untracked++;
        return -1;
      }
      const other = icmpCounterpart(v6, p.icmpType);
      sp = p.icmpType;
      dp = other < 0 ? p.icmpCode : other;
      flipOnCreate = isIcmpReply(v6, p.icmpType);
    }
    // Other protocols key without ports, so even their non-first fragments belong to the flow.
    const sec = p.tsSec;
    const nsec = p.tsNsec;
    if (sec >= this.nextSweep) this.sweep(sec + nsec / 1e9);
    // IPv6 routing and Mobile IPv6 name the real endpoints in extension headers.
    const src = p.hasHomeAddress ? p.homeAddress : p.src;
    const dst = p.hasFinalDst ? p.finalDst : p.dst;
    const h = flowHash(src, sp, dst, dp, proto, v6);
    if (this.partitioned && !this.inShare(h)) return -1;
    let id = this.find(h, p.ipVersion, proto, src, dst, sp, dp);
    if (id >= 0) {
      const dir = this.lastDir;
      const f = this.f64;
      // Idle longer than the timeout, compared in nanoseconds: no division on the per-packet path.
      const idleNs = (sec - f[id * ROW_F64 + F_LAST_SEC]!) * 1e9 + (nsec - this.words[id * ROW_WORDS + W_LAST_NSEC]!);
      if (idleNs > this.idleTimeout(proto) * 1e9) {
        this.end(id);
        this.stats.timedOut++;
        id = -1;
      } else if (proto === IPPROTO_TCP && this.isReuse(id, dir, p)) {
        this.end(id);
        this.stats.reused++;
        id = -1;
      }
    }
    this.lastCreated = id < 0;
    if (id < 0) {
      id = this.create(h, p.ipVersion, proto, flipOnCreate ? dst : src, flipOnCreate ? src : dst, flipOnCreate ? dp : sp, flipOnCreate ? sp : dp);
      const f = this.f64;
      const rf = id * ROW_F64;
      f[rf + F_START_SEC] = sec;
      f[rf + F_LAST_SEC] = sec;
      f[rf + F_FIRST_FRAME] = p.frame;
      const rw = id * ROW_WORDS;
      this.words[rw + W_START_NSEC] = nsec;
      this.words[rw + W_LAST_NSEC] = nsec;
      this.expiry[timeoutClass(proto)]!.push(id, sec + nsec / 1e9);
      if (flipOnCreate) {
        this.bytes[id * ROW_BYTES + B_FLAGS]! |= FLOW_FLIPPED;
        if (proto === IPPROTO_TCP) this.addHistoryChar(id, 0x5e /* ^ */);
      }
      this.lastDir = flipOnCreate ? DIR_RESP : DIR_ORIG;
    }
    const dir = this.lastDir;
    const f = this.f64;
    const w = this.words;
    const rf = id * ROW_F64;
    const rw = id * ROW_WORDS;
    // Times only move forward (a capture's clock may step back: the last time stays the latest seen).
    const lastSec = f[rf + F_LAST_SEC]!;
    if (sec > lastSec || (sec === lastSec && nsec > w[rw + W_LAST_NSEC]!)) {
      f[rf + F_LAST_SEC] = sec;
      w[rw + W_LAST_NSEC] = nsec;
    }
    f[rf + F_PACKETS + dir]++;
    f[rf + F_IP_BYTES + dir] += p.ipLength;
    f[rf + F_PAYLOAD_BYTES + dir] += p.payloadLength;
    if (proto === IPPROTO_TCP) {
      trackTcp(this, id, dir, p);
    } else {
      w[this.epIndex(id, dir) + EPW_STATE] = EP_ACTIVE;
      if (proto === IPPROTO_UDP) this.checkHistory(id, dir, HIST_DATA, 0x44 /* D */);
    }
    return id;
  }

  /** Says whether a flow of key hash `h` falls in this table's share. */
  private inShare(h: number): boolean {
    const x = sharePoint(h);
    return x >= this.partLow && x < this.partHigh;
  }

  /**
   * Lets the table's clock see a packet of a flow another table tracks (a partitioned table): the idle
   * flows are ended at the same moments as in one table that saw every packet, so the tables together
   * still hold exactly its flows (a capture whose clock steps back otherwise splits flows differently).
   */
  advance(sec: number, nsec: number): void {
    if (sec >= this.nextSweep) this.sweep(sec + nsec / 1e9);
  }

  /**
   * Marks the flow an ICMP error quotes (the packet that caused it) as rejected. Returns the flow id, or -1
   * when the quoted packet belongs to no flow seen. Call after `track` for the ICMP packet itself.
   */
  linkIcmpError(p: DecodedPacket): number {
    if (!p.hasQuoted || p.quotedSrcPort < 0) return -1;
    const proto = p.quotedProtocol;
    const sp = p.quotedSrcPort;
    const dp = p.quotedDstPort;
    const h = flowHash(p.quotedSrc, sp, p.quotedDst, dp, proto, p.quotedVersion === 6);
    if (this.partitioned && !this.inShare(h)) return -1;
    const saveDir = this.lastDir;
    const id = this.find(h, p.quotedVersion, proto, p.quotedSrc, p.quotedDst, sp, dp);
    this.lastDir = saveDir;
    if (id >= 0) this.bytes[id * ROW_BYTES + B_FLAGS]! |= FLOW_ICMP_REJECTED;
    return id;
  }

  /** Calls `fn` for every flow holding a row (live and ended), in row order. */
  forEach(fn: (id: number) => void): void {
    const b = this.bytes;
    for (let id = 0; id < this.used; id++) if ((b[id * ROW_BYTES + B_FLAGS]! & FLOW_USED) !== 0) fn(id);
  }

  // ---- a flow's fields

  /** FLOW_* bits. */
  flags(id: number): number {
    return this.bytes[id * ROW_BYTES + B_FLAGS]!;
  }

  /** TCP handshake progress (tcp-state.ts HS_* bits). */
  handshake(id: number): number {
    return this.bytes[id * ROW_BYTES + B_HANDSHAKE]!;
  }

  /** Sets the handshake progress bits (tcp-state.ts). */
  setHandshake(id: number, bits: number): void {
    this.bytes[id * ROW_BYTES + B_HANDSHAKE] = bits;
  }

  /** 4 or 6. */
  version(id: number): number {
    return this.words[id * ROW_WORDS + W_PROTO_VERSION]! >>> 8;
  }

  /** The IP protocol number. */
  proto(id: number): number {
    return this.words[id * ROW_WORDS + W_PROTO_VERSION]! & 0xff;
  }

  /** The direction-independent hash of the flow's key. */
  hash(id: number): number {
    return this.words[id * ROW_WORDS + W_HASH]!;
  }

  /** Where a side's (DIR_ORIG, DIR_RESP) four address words start in `words` (IPv4: the last word). */
  addrIndex(id: number, side: number): number {
    return id * ROW_WORDS + (side === DIR_ORIG ? W_ORIG_ADDR : W_RESP_ADDR);
  }

  /** A side's IPv4 address as an unsigned 32-bit number (for IPv4 flows). */
  ipv4(id: number, side: number): number {
    return this.words[this.addrIndex(id, side) + 3]!;
  }

  origPort(id: number): number {
    return this.words[id * ROW_WORDS + W_PORTS]! >>> 16;
  }

  respPort(id: number): number {
    return this.words[id * ROW_WORDS + W_PORTS]! & 0xffff;
  }

  /** The first packet's time: whole seconds since the epoch, and nanoseconds. */
  startSec(id: number): number {
    return this.f64[id * ROW_F64 + F_START_SEC]!;
  }

  startNsec(id: number): number {
    return this.words[id * ROW_WORDS + W_START_NSEC]!;
  }

  /** The latest packet's time: whole seconds since the epoch, and nanoseconds. */
  lastSec(id: number): number {
    return this.f64[id * ROW_F64 + F_LAST_SEC]!;
  }

  lastNsec(id: number): number {
    return this.words[id * ROW_WORDS + W_LAST_NSEC]!;
  }

  /** The first packet's time in seconds since the epoch (microsecond-exact as a double). */
  start(id: number): number {
    return this.startSec(id) + this.startNsec(id) / 1e9;
  }

  /** The latest packet's time in seconds since the epoch. */
  last(id: number): number {
    return this.lastSec(id) + this.lastNsec(id) / 1e9;
  }

  /** From the first packet to the latest, in nanoseconds (exact below 104 days). */
  durationNs(id: number): number {
    return (this.lastSec(id) - this.startSec(id)) * 1e9 + (this.lastNsec(id) - this.startNsec(id));
  }

  /** From the first packet to the latest, in seconds. */
  duration(id: number): number {
    return this.durationNs(id) / 1e9;
  }

  /** The 1-based frame number of the flow's first packet. */
  firstFrame(id: number): number {
    return this.f64[id * ROW_F64 + F_FIRST_FRAME]!;
  }

  /** Packets one side (DIR_ORIG, DIR_RESP) sent. */
  packets(id: number, dir: number): number {
    return this.f64[id * ROW_F64 + F_PACKETS + dir]!;
  }

  /** Packets both sides sent. */
  totalPackets(id: number): number {
    const r = id * ROW_F64 + F_PACKETS;
    return this.f64[r]! + this.f64[r + 1]!;
  }

  /** IP bytes (headers included) one side sent. */
  ipBytes(id: number, dir: number): number {
    return this.f64[id * ROW_F64 + F_IP_BYTES + dir]!;
  }

  /** Transport payload bytes one side sent. */
  payloadBytes(id: number, dir: number): number {
    return this.f64[id * ROW_F64 + F_PAYLOAD_BYTES + dir]!;
  }

  /** The protocol class a flow's conn_state follows. */
  transport(id: number): 'tcp' | 'udp' | 'other' {
    const pr = this.proto(id);
    return pr === IPPROTO_TCP ? 'tcp' : pr === IPPROTO_UDP ? 'udp' : 'other';
  }

  /** Where an endpoint's EP_WORDS state words start in `words`. */
  epIndex(id: number, dir: number): number {
    return id * ROW_WORDS + W_EP + dir * EP_WORDS;
  }

  /** The Zeek endpoint state (EP_*) of one side of a flow. */
  endpointState(id: number, dir: number): number {
    return this.words[this.epIndex(id, dir) + EPW_STATE]!;
  }

  /** The history letters, as Zeek prints them. */
  historyString(id: number): string {
    const b = this.bytes;
    const n = b[id * ROW_BYTES + B_HISTORY_LENGTH]!;
    const base = id * ROW_BYTES + B_HISTORY;
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(b[base + i]!);
    return s;
  }

  /**
   * Where flow `id`'s SPARE_WORDS consumer words start in `words`: the table never reads them, they are zero
   * when the flow is created and they travel with the row. A consumer's per-flow facts kept there share
   * the flow's cache lines instead of costing a miss of their own.
   */
  spareIndex(id: number): number {
    return id * ROW_WORDS + W_SPARE;
  }

  /** The number of history letters, and the i-th one's character code. */
  historyLength(id: number): number {
    return this.bytes[id * ROW_BYTES + B_HISTORY_LENGTH]!;
  }

  historyChar(id: number, i: number): number {
    return this.bytes[id * ROW_BYTES + B_HISTORY + i]!;
  }

  /** Appends a raw history character. */
  addHistoryChar(id: number, ch: number): void {
    const b = this.bytes;
    const at = id * ROW_BYTES + B_HISTORY_LENGTH;
    const n = b[at]!;
    if (n < HISTORY_MAX) {
      b[id * ROW_BYTES + B_HISTORY + n] = ch;
      b[at] = n + 1;
    }
  }

  /** Appends a history letter (upper-case code) for an endpoint: lower case for the responder. */
  addHistory(id: number, dir: number, upper: number): void {
    this.addHistoryChar(id, dir === DIR_ORIG ? upper : upper + 32);
  }

  /** Zeek's CheckHistory: records the letter the first time the bit is seen; returns whether it was set before. */
  checkHistory(id: number, dir: number, bit: number, upper: number): boolean {
    const w = this.epIndex(id, dir) + EPW_HIST;
    const words = this.words;
    if ((words[w]! & bit) !== 0) return true;
    words[w]! |= bit;
    this.addHistory(id, dir, upper);
    return false;
  }

  /** Approximate bytes of memory the table holds. */
  memoryBytes(): number {
    return this.words.byteLength + this.slots.byteLength;
  }

  /**
   * Ends the flows idle longer than their timeout at capture time `now` (once a second of capture time).
   * A flow ended here would have been ended by its next packet's idle check anyway: this only keeps the
   * hash index small. Times that step back are ignored (the latest time seen counts, as Zeek's clock).
   */
  private sweep(now: number): void {
    if (now <= this.now) {
      this.nextSweep = Math.floor(this.now) + 1;
      return;
    }
    this.now = now;
    this.nextSweep = Math.floor(now) + 1;
    const b = this.bytes;
    for (let c = 0; c < 3; c++) {
      const q = this.expiry[c]!;
      const timeout = c === 0 ? this.tcpIdleTimeout : c === 1 ? this.udpIdleTimeout : this.otherIdleTimeout;
      while (q.headTime() + timeout < now) {
        const id = q.shift();
        const flags = b[id * ROW_BYTES + B_FLAGS]!;
        // Ended or evicted rows need nothing (a reused row has queued itself anew).
        if ((flags & (FLOW_USED | FLOW_ENDED)) !== FLOW_USED || timeoutClass(this.proto(id)) !== c) continue;
        const last = this.last(id);
        if (now - last > timeout) {
          this.end(id);
          this.stats.timedOut++;
        } else {
          q.push(id, last);
        }
      }
    }
  }

  private idleTimeout(proto: number): number {
    return proto === IPPROTO_TCP ? this.tcpIdleTimeout : proto === IPPROTO_UDP ? this.udpIdleTimeout : this.otherIdleTimeout;
  }

  /** A SYN without ACK after either side closed or reset, with a new sequence number, opens a new connection. */
  private isReuse(id: number, dir: number, p: DecodedPacket): boolean {
    if ((p.tcpFlags & (TCP_SYN | TCP_ACK_FLAG | TCP_RST)) !== TCP_SYN) return false;
    const os = this.endpointState(id, DIR_ORIG);
    const rs = this.endpointState(id, DIR_RESP);
    if (os !== EP_CLOSED && os !== EP_RESET && rs !== EP_CLOSED && rs !== EP_RESET) return false;
    return dir !== DIR_ORIG || p.seq !== this.words[this.epIndex(id, DIR_ORIG) + EPW_LAST_SYN];
  }

  /** Finds a flow by key in either direction; sets lastDir. Returns -1 when absent. */
  private find(h: number, version: number, proto: number, src: Uint32Array, dst: Uint32Array, sp: number, dp: number): number {
    const mask = this.slotMask;
    const fwd = ((sp << 16) | dp) >>> 0;
    const rev = ((dp << 16) | sp) >>> 0;
    const pv = proto | (version << 8);
    const k = this.words;
    const slots = this.slots;
    const hs = h | 0;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const s = slots[i * 2 + 1]!;
      if (s === EMPTY) return -1;
      if (slots[i * 2] !== hs) continue;
      const b = (s - 1) * ROW_WORDS;
      if (k[b + W_PROTO_VERSION] !== pv) continue;
      const pt = k[b + W_PORTS]!;
      if (pt === fwd && k[b] === src[0] && k[b + 1] === src[1] && k[b + 2] === src[2] && k[b + 3] === src[3] && k[b + 4] === dst[0] && k[b + 5] === dst[1] && k[b + 6] === dst[2] && k[b + 7] === dst[3]) {
        this.lastDir = DIR_ORIG;
        return s - 1;
      }
      if (pt === rev && k[b] === dst[0] && k[b + 1] === dst[1] && k[b + 2] === dst[2] && k[b + 3] === dst[3] && k[b + 4] === src[0] && k[b + 5] === src[1] && k[b + 6] === src[2] && k[b + 7] === src[3]) {
        this.lastDir = DIR_RESP;
        return s - 1;
      }
    }
  }

  private create(h: number, version: number, proto: number, orig: Uint32Array, resp: Uint32Array, op: number, rp: number): number {
    const id = this.allocRow();
    if (this.reusedRow) this.clearRow(id);
    const k = this.words;
    const b = id * ROW_WORDS;
    k[b] = orig[0]!;
    k[b + 1] = orig[1]!;
    k[b + 2] = orig[2]!;
    k[b + 3] = orig[3]!;
    k[b + 4] = resp[0]!;
    k[b + 5] = resp[1]!;
    k[b + 6] = resp[2]!;
    k[b + 7] = resp[3]!;
    k[b + W_PORTS] = ((op << 16) | rp) >>> 0;
    k[b + W_PROTO_VERSION] = proto | (version << 8);
    k[b + W_HASH] = h;
    this.bytes[id * ROW_BYTES + B_FLAGS] = FLOW_USED;
    this.insertSlot(h, id);
    this.live++;
    this.stats.created++;
    return id;
  }

  private insertSlot(h: number, id: number): void {
    if (++this.indexed * 2 > this.slotMask + 1) this.resizeIndex((this.slotMask + 1) * 2);
    this.place(h, id);
  }

  /** Puts (hash, id) in the first free slot from the hash's home. */
  private place(h: number, id: number): void {
    const mask = this.slotMask;
    const slots = this.slots;
    let i = h & mask;
    while (slots[i * 2 + 1] !== EMPTY) i = (i + 1) & mask;
    slots[i * 2] = h | 0;
    slots[i * 2 + 1] = id + 1;
  }

  private clearRow(id: number): void {
    this.bytes.fill(0, id * ROW_BYTES, (id + 1) * ROW_BYTES);
  }

  /** A row for a new flow: a new one (growing the arrays when full: fourfold while small, then twofold), or the least recently active one (evicted). */
  private allocRow(): number {
    // Rows never used are still zero from their allocation: only a reused row needs clearing.
    this.reusedRow = false;
    if (this.freeCount > 0) {
      this.reusedRow = true;
      return this.free[--this.freeCount]!;
    }
    if (this.used < this.capacity) return this.used++;
    if (this.capacity < this.maxFlows) {
      this.grow(Math.min(this.maxFlows, this.capacity < 262144 ? this.capacity * 4 : this.capacity * 2));
      return this.used++;
    }
    this.reusedRow = true;
    const victim = this.pickVictim();
    this.onEvict?.(this, victim);
    if ((this.flags(victim) & FLOW_ENDED) === 0) this.unhash(victim);
    this.bytes[victim * ROW_BYTES + B_FLAGS] = 0;
    this.live--;
    this.stats.evicted++;
    return victim;
  }

  /** Ends a flow: it leaves the hash and keeps its row and results, or hands them to onEnd and frees the row. */
  private end(id: number): void {
    this.unhash(id);
    this.bytes[id * ROW_BYTES + B_FLAGS]! |= FLOW_ENDED;
    if (this.onEnd === undefined) return;
    this.onEnd(this, id);
    // Not a flow any more: forEach skips it, and a queued expiry entry for it is ignored.
    this.bytes[id * ROW_BYTES + B_FLAGS] = 0;
    this.live--;
    if (this.freeCount === this.free.length) {
      const grown = new Int32Array(Math.max(1024, this.free.length * 2));
      grown.set(this.free);
      this.free = grown;
    }
    this.free[this.freeCount++] = id;
  }

  /** Removes a flow from the hash index, shifting back the entries after it (no tombstones). */
  private unhash(id: number): void {
    const mask = this.slotMask;
    const slots = this.slots;
    let i = this.hash(id) & mask;
    while (slots[i * 2 + 1] !== id + 1) i = (i + 1) & mask;
    for (let j = (i + 1) & mask; slots[j * 2 + 1] !== EMPTY; j = (j + 1) & mask) {
      const k = slots[j * 2]! & mask;
      // Move entry j into the hole at i unless its home k lies cyclically in (i, j].
      const inRange = i <= j ? i < k && k <= j : i < k || k <= j;
      if (inRange) continue;
      slots[i * 2] = slots[j * 2]!;
      slots[i * 2 + 1] = slots[j * 2 + 1]!;
      i = j;
    }
    slots[i * 2] = 0;
    slots[i * 2 + 1] = EMPTY;
    this.indexed--;
  }

  /**
   * Chooses the row to evict: the least recently active of EVICTION_SAMPLE rows taken round-robin (an
   * ended flow before any live one). An approximation of LRU that costs nothing per packet: no recency list
   * to maintain on the hot path, only this scan when the table is full.
   */
  private pickVictim(): number {
    const cap = this.capacity;
    const n = Math.min(EVICTION_SAMPLE, cap);
    let best = -1;
    let bestLast = Infinity;
    for (let k = 0, i = this.hand; k < n; k++, i = i + 1 === cap ? 0 : i + 1) {
      const last = (this.flags(i) & FLOW_ENDED) !== 0 ? -Infinity : this.last(i);
      if (last < bestLast) {
        bestLast = last;
        best = i;
      }
    }
    this.hand = best + 1 === cap ? 0 : best + 1;
    return best;
  }

  /** The rows and counts, for another thread to read with `FlowTable.fromState` (a shared table only). */
  exportState(): FlowTableState {
    if (!(this.words.buffer instanceof SharedArrayBuffer)) throw new Error('exportState needs a table made with shared: true');
    return { rows: this.words.buffer, capacity: this.capacity, used: this.used, live: this.live, stats: { ...this.stats } };
  }

  /**
   * A table over rows another thread filled: read its flows (accessors, forEach); tracking more packets
   * into it is not supported (its hash index stays with the thread that built it).
   */
  static fromState(state: FlowTableState): FlowTable {
    const t = new FlowTable({ initialCapacity: 16, maxFlows: 16 });
    t.bytes = new Uint8Array(state.rows);
    t.words = new Uint32Array(state.rows);
    t.f64 = new Float64Array(state.rows);
    t.capacity = state.capacity;
    t.used = state.used;
    t.live = state.live;
    Object.assign(t.stats, state.stats);
    return t;
  }

  /**
   * Writes a copy of flow `id` of table `from` over row `to` of this table (not in the hash index): how a
   * share worker hands the flows it evicts to the thread that judges them (row-ring.ts).
   */
  copyRow(to: number, from: FlowTable, id: number): void {
    this.bytes.set(from.bytes.subarray(id * ROW_BYTES, (id + 1) * ROW_BYTES), to * ROW_BYTES);
  }

  /** Moves the rows into a larger reservation (only beyond the first one: see `initialCapacity`). */
  private grow(cap: number): void {
    const buf = this.shared ? new SharedArrayBuffer(cap * ROW_BYTES) : new ArrayBuffer(cap * ROW_BYTES);
    const bytes = new Uint8Array(buf);
    bytes.set(this.bytes);
    this.bytes = bytes;
    this.words = new Uint32Array(buf);
    this.f64 = new Float64Array(buf);
    this.capacity = cap;
  }

  /** Rebuilds the hash index with `n` slots (a power of two) from the old index's entries. */
  private resizeIndex(n: number): void {
    const old = this.slots;
    this.slots = new Int32Array(n * 2);
    this.slotMask = n - 1;
    for (let i = 0; i < old.length; i += 2) if (old[i + 1] !== EMPTY) this.place(old[i]! >>> 0, old[i + 1]! - 1);
  }
}

/** Which idle timeout (and expiry queue) a protocol's flows follow: 0 TCP, 1 UDP, 2 other. */
function timeoutClass(proto: number): number {
  return proto === IPPROTO_TCP ? 0 : proto === IPPROTO_UDP ? 1 : 2;
}

/** The direction-independent hash of a flow key. */
export function flowHash(src: Uint32Array, sp: number, dst: Uint32Array, dp: number, proto: number, v6: boolean): number {
  return fmix((hashSide(src, sp) + hashSide(dst, dp)) ^ Math.imul(proto + 1, 0x2545f491) ^ (v6 ? 0x5bd1e995 : 0));
}
