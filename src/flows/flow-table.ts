/**
 * The flow table: every bidirectional conversation keyed by its 5-tuple (IP version, protocol, both
 * addresses, both ports; VLAN ids are not part of the key, as in Zeek's default), in struct-of-arrays typed storage so a million flows cost about a quarter of a
 * gigabyte and tracking a packet allocates nothing. Lookup is open addressing with linear probing on a
 * direction-independent hash; a flow's id is its row in the arrays.
 *
 * Each flow records Zeek's endpoint states, history letters and counters, so `conn_state` and `history`
 * come out as Zeek computes them (see states.ts and tcp-state.ts). Flows end when idle longer than their
 * protocol's timeout (Zeek's inactivity timeouts) or when a TCP port pair is reused by a new SYN after a
 * close; an ended flow keeps its row (and its results) but leaves the hash, so the next packet with that key
 * starts a new flow. When `maxFlows` rows are in use, a flow is evicted (the least recently active of a
 * round-robin sample of rows, ended flows first): consumers hear of it through `onEvict` first, and
 * evictions are counted.
 */
import { IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP, type DecodedPacket } from '../decode/packet.js';
import { EP_ACTIVE, EP_CLOSED, EP_RESET, HIST_DATA } from './states.js';
import { trackTcp } from './tcp-state.js';
import { TCP_ACK_FLAG, TCP_FIN, TCP_RST, TCP_SYN } from '../decode/tcp.js';

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
  /** Rows allocated at first; the table doubles as it fills (default 16384). */
  initialCapacity?: number;
  /** Called before an evicted flow's row is reused: read what you need from it now. */
  onEvict?: (table: FlowTable, id: number) => void;
}

export interface FlowTableStats {
  /** Flows created. */
  created: number;
  /** Flows evicted to make room (their rows were reused). */
  evicted: number;
  /** Flows ended by an idle timeout (and started anew by a later packet). */
  timedOut: number;
  /** TCP flows ended because a new SYN reused the port pair after a close. */
  reused: number;
  /** IP packets that belong to no flow: non-first fragments, truncated transport headers. */
  untracked: number;
}

const EMPTY = 0;
/** Words of a row's lookup key. */
const KEY_WORDS = 10;
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
  return h >>> 0;
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

function grownF64(old: Float64Array, n: number): Float64Array {
  const a = new Float64Array(n);
  a.set(old);
  return a;
}

function grownU32(old: Uint32Array, n: number): Uint32Array {
  const a = new Uint32Array(n);
  a.set(old);
  return a;
}

function grownU8(old: Uint8Array, n: number): Uint8Array {
  const a = new Uint8Array(n);
  a.set(old);
  return a;
}


/** The flow table. Read a flow's fields through the accessors, by id. */
export class FlowTable {
  readonly maxFlows: number;
  readonly tcpIdleTimeout: number;
  readonly udpIdleTimeout: number;
  readonly otherIdleTimeout: number;
  readonly stats: FlowTableStats = { created: 0, evicted: 0, timedOut: 0, reused: 0, untracked: 0 };
  private readonly onEvict: ((table: FlowTable, id: number) => void) | undefined;

  /** Rows allocated, rows ever used (ids below this may be in use). */
  capacity = 0;
  used = 0;
  /** Flows currently holding a row. */
  live = 0;
  /** Direction of the last tracked packet within its flow (DIR_ORIG or DIR_RESP). */
  lastDir = DIR_ORIG;
  /** True when the last tracked packet created its flow. */
  lastCreated = false;

  // ---- key: orig address words 0-3, resp address words 4-7; ports orig<<16 | resp
  addr: Uint32Array = new Uint32Array(0);
  ports: Uint32Array = new Uint32Array(0);
  proto: Uint8Array = new Uint8Array(0);
  version: Uint8Array = new Uint8Array(0);
  hash: Uint32Array = new Uint32Array(0);
  flags: Uint8Array = new Uint8Array(0);
  // ---- times and counters
  start: Float64Array = new Float64Array(0);
  last: Float64Array = new Float64Array(0);
  firstFrame: Float64Array = new Float64Array(0);
  /** Per endpoint (index id*2 + dir): packets, IP bytes, payload bytes. */
  packets: Float64Array = new Float64Array(0);
  ipBytes: Float64Array = new Float64Array(0);
  payloadBytes: Float64Array = new Float64Array(0);
  // ---- Zeek state, per endpoint: EP_WORDS words at (id * 2 + dir) * EP_WORDS, both endpoints of a flow in
  // one 64-byte run, so the per-packet TCP update touches one cache line instead of one per field.
  ep: Uint32Array = new Uint32Array(0);
  /** TCP handshake progress bits (tcp-state.ts HS_*). */
  handshake: Uint8Array = new Uint8Array(0);
  history: Uint8Array = new Uint8Array(0);
  historyLength: Uint8Array = new Uint8Array(0);
  /** Where the next eviction starts sampling rows (round-robin). */
  private hand = 0;
  /** Set by allocRow when the row it returned held an evicted flow. */
  private reusedRow = false;
  /**
   * The lookup key of each row in one place (orig address, resp address, ports, protocol | version << 8:
   * ten words), so a lookup touches one or two cache lines instead of one per field array.
   */
  private key: Uint32Array = new Uint32Array(0);
  /** The hash of the row in each slot, beside the slot: a mismatch is rejected without touching the row. */
  private slotHash: Uint32Array = new Uint32Array(0);
  // ---- the hash index: row id + 1, or 0
  private slots: Int32Array = new Int32Array(0);
  private slotMask = 0;

  constructor(options: FlowTableOptions = {}) {
    this.maxFlows = Math.max(1, options.maxFlows ?? 1 << 22);
    this.tcpIdleTimeout = options.tcpIdleTimeout ?? 300;
    this.udpIdleTimeout = options.udpIdleTimeout ?? 60;
    this.otherIdleTimeout = options.otherIdleTimeout ?? 60;
    this.onEvict = options.onEvict;
    this.grow(Math.min(this.maxFlows, Math.max(16, options.initialCapacity ?? 16384)));
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
    const now = p.tsSec + p.tsNsec / 1e9;
    // IPv6 routing and Mobile IPv6 name the real endpoints in extension headers.
    const src = p.hasHomeAddress ? p.homeAddress : p.src;
    const dst = p.hasFinalDst ? p.finalDst : p.dst;
    const h = fmix((hashSide(src, sp) + hashSide(dst, dp)) ^ Math.imul(proto + 1, 0x2545f491) ^ (v6 ? 0x5bd1e995 : 0));
    let id = this.find(h, p.ipVersion, proto, src, dst, sp, dp);
    if (id >= 0) {
      const dir = this.lastDir;
      const idle = now - this.last[id]!;
      if (idle > this.idleTimeout(proto)) {
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
      this.start[id] = now;
      this.firstFrame[id] = p.frame;
      if (flipOnCreate) {
        this.flags[id]! |= FLOW_FLIPPED;
        if (proto === IPPROTO_TCP) this.addHistoryChar(id, 0x5e /* ^ */);
      }
      this.lastDir = flipOnCreate ? DIR_RESP : DIR_ORIG;
    }
    if (now > this.last[id]!) this.last[id] = now;
    const e = id * 2 + this.lastDir;
    this.packets[e]++;
    this.ipBytes[e] += p.ipLength;
    this.payloadBytes[e] += p.payloadLength;
    if (proto === IPPROTO_TCP) {
      trackTcp(this, id, this.lastDir, p.tcpFlags, p.seq, p.window, p.payloadLength);
    } else {
      this.ep[e * EP_WORDS + EPW_STATE] = EP_ACTIVE;
      if (proto === IPPROTO_UDP) this.checkHistory(id, this.lastDir, HIST_DATA, 0x44 /* D */);
    }
    return id;
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
    const h = fmix((hashSide(p.quotedSrc, sp) + hashSide(p.quotedDst, dp)) ^ Math.imul(proto + 1, 0x2545f491) ^ (p.quotedVersion === 6 ? 0x5bd1e995 : 0));
    const saveDir = this.lastDir;
    const id = this.find(h, p.quotedVersion, proto, p.quotedSrc, p.quotedDst, sp, dp);
    this.lastDir = saveDir;
    if (id >= 0) this.flags[id]! |= FLOW_ICMP_REJECTED;
    return id;
  }

  /** Calls `fn` for every flow holding a row (live and ended), in row order. */
  forEach(fn: (id: number) => void): void {
    for (let id = 0; id < this.used; id++) if ((this.flags[id]! & FLOW_USED) !== 0) fn(id);
  }

  /** The protocol class a flow's conn_state follows. */
  transport(id: number): 'tcp' | 'udp' | 'other' {
    const pr = this.proto[id]!;
    return pr === IPPROTO_TCP ? 'tcp' : pr === IPPROTO_UDP ? 'udp' : 'other';
  }

  /** The Zeek endpoint state (EP_*) of one side of a flow. */
  endpointState(id: number, dir: number): number {
    return this.ep[(id * 2 + dir) * EP_WORDS + EPW_STATE]!;
  }

  origPort(id: number): number {
    return this.ports[id]! >>> 16;
  }

  respPort(id: number): number {
    return this.ports[id]! & 0xffff;
  }

  /** The history letters, as Zeek prints them. */
  historyString(id: number): string {
    const n = this.historyLength[id]!;
    const base = id * HISTORY_MAX;
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(this.history[base + i]!);
    return s;
  }

  /** Appends a raw history character. */
  addHistoryChar(id: number, ch: number): void {
    const n = this.historyLength[id]!;
    if (n < HISTORY_MAX) {
      this.history[id * HISTORY_MAX + n] = ch;
      this.historyLength[id] = n + 1;
    }
  }

  /** Appends a history letter (upper-case code) for an endpoint: lower case for the responder. */
  addHistory(id: number, dir: number, upper: number): void {
    this.addHistoryChar(id, dir === DIR_ORIG ? upper : upper + 32);
  }

  /** Zeek's CheckHistory: records the letter the first time the bit is seen; returns whether it was set before. */
  checkHistory(id: number, dir: number, bit: number, upper: number): boolean {
    const w = (id * 2 + dir) * EP_WORDS + EPW_HIST;
    if ((this.ep[w]! & bit) !== 0) return true;
    this.ep[w]! |= bit;
    this.addHistory(id, dir, upper);
    return false;
  }

  /** Approximate bytes of memory the table holds. */
  memoryBytes(): number {
    let n = this.slots.byteLength + this.slotHash.byteLength + this.key.byteLength;
    for (const a of [this.addr, this.ports, this.proto, this.version, this.hash, this.flags, this.start, this.last, this.firstFrame, this.packets, this.ipBytes, this.payloadBytes, this.ep, this.handshake, this.history, this.historyLength]) {
      n += a.byteLength;
    }
    return n;
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
    return dir !== DIR_ORIG || p.seq !== this.ep[id * 2 * EP_WORDS + EPW_LAST_SYN];
  }

  /** Finds a flow by key in either direction; sets lastDir. Returns -1 when absent. */
  private find(h: number, version: number, proto: number, src: Uint32Array, dst: Uint32Array, sp: number, dp: number): number {
    const mask = this.slotMask;
    const fwd = ((sp << 16) | dp) >>> 0;
    const rev = ((dp << 16) | sp) >>> 0;
    const pv = proto | (version << 8);
    const k = this.key;
    const slots = this.slots;
    const hashes = this.slotHash;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const s = slots[i]!;
      if (s === EMPTY) return -1;
      if (hashes[i] !== h) continue;
      const b = (s - 1) * KEY_WORDS;
      if (k[b + 9] !== pv) continue;
      const pt = k[b + 8]!;
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
    const b = id * 8;
    this.addr[b] = orig[0]!;
    this.addr[b + 1] = orig[1]!;
    this.addr[b + 2] = orig[2]!;
    this.addr[b + 3] = orig[3]!;
    this.addr[b + 4] = resp[0]!;
    this.addr[b + 5] = resp[1]!;
    this.addr[b + 6] = resp[2]!;
    this.addr[b + 7] = resp[3]!;
    this.ports[id] = ((op << 16) | rp) >>> 0;
    this.proto[id] = proto;
    this.version[id] = version;
    this.hash[id] = h;
    const kb = id * KEY_WORDS;
    for (let w = 0; w < 8; w++) this.key[kb + w] = this.addr[b + w]!;
    this.key[kb + 8] = this.ports[id]!;
    this.key[kb + 9] = proto | (version << 8);
    this.flags[id] = FLOW_USED;
    if (this.reusedRow) this.clearRow(id);
    const mask = this.slotMask;
    let i = h & mask;
    while (this.slots[i] !== EMPTY) i = (i + 1) & mask;
    this.slots[i] = id + 1;
    this.slotHash[i] = h;
    this.live++;
    this.stats.created++;
    return id;
  }

  private clearRow(id: number): void {
    this.start[id] = 0;
    this.last[id] = 0;
    this.firstFrame[id] = 0;
    this.handshake[id] = 0;
    this.historyLength[id] = 0;
    this.ep.fill(0, id * 2 * EP_WORDS, (id + 1) * 2 * EP_WORDS);
    for (let e = id * 2; e < id * 2 + 2; e++) {
      this.packets[e] = 0;
      this.ipBytes[e] = 0;
      this.payloadBytes[e] = 0;
    }
  }

  /** A row for a new flow: a new one (growing the arrays when full: fourfold while small, then twofold), or the least recently active one (evicted). */
  private allocRow(): number {
    // Rows never used are still zero from their allocation: only a reused row needs clearing.
    this.reusedRow = false;
    if (this.used < this.capacity) return this.used++;
    if (this.capacity < this.maxFlows) {
      this.grow(Math.min(this.maxFlows, this.capacity < 262144 ? this.capacity * 4 : this.capacity * 2));
      return this.used++;
    }
    this.reusedRow = true;
    const victim = this.pickVictim();
    this.onEvict?.(this, victim);
    if ((this.flags[victim]! & FLOW_ENDED) === 0) this.unhash(victim);
    this.flags[victim] = 0;
    this.live--;
    this.stats.evicted++;
    return victim;
  }

  /** Ends a flow: it keeps its row and results but leaves the hash. */
  private end(id: number): void {
    this.unhash(id);
    this.flags[id]! |= FLOW_ENDED;
  }

  /** Removes a flow from the hash index, shifting back the entries after it (no tombstones). */
  private unhash(id: number): void {
    const mask = this.slotMask;
    let i = this.hash[id]! & mask;
    while (this.slots[i] !== id + 1) i = (i + 1) & mask;
    for (let j = (i + 1) & mask; this.slots[j] !== EMPTY; j = (j + 1) & mask) {
      const k = this.hash[this.slots[j]! - 1]! & mask;
      // Move entry j into the hole at i unless its home k lies cyclically in (i, j].
      const inRange = i <= j ? i < k && k <= j : i < k || k <= j;
      if (inRange) continue;
      this.slots[i] = this.slots[j]!;
      this.slotHash[i] = this.slotHash[j]!;
      i = j;
    }
    this.slots[i] = EMPTY;
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
      const last = (this.flags[i]! & FLOW_ENDED) !== 0 ? -Infinity : this.last[i]!;
      if (last < bestLast) {
        bestLast = last;
        best = i;
      }
    }
    this.hand = best + 1 === cap ? 0 : best + 1;
    return best;
  }

  private grow(cap: number): void {
    this.addr = grownU32(this.addr, cap * 8);
    this.ports = grownU32(this.ports, cap);
    this.proto = grownU8(this.proto, cap);
    this.version = grownU8(this.version, cap);
    this.hash = grownU32(this.hash, cap);
    this.key = grownU32(this.key, cap * KEY_WORDS);
    this.flags = grownU8(this.flags, cap);
    this.start = grownF64(this.start, cap);
    this.last = grownF64(this.last, cap);
    this.firstFrame = grownF64(this.firstFrame, cap);
    this.packets = grownF64(this.packets, cap * 2);
    this.ipBytes = grownF64(this.ipBytes, cap * 2);
    this.payloadBytes = grownF64(this.payloadBytes, cap * 2);
    this.ep = grownU32(this.ep, cap * 2 * EP_WORDS);
    this.handshake = grownU8(this.handshake, cap);
    this.history = grownU8(this.history, cap * HISTORY_MAX);
    this.historyLength = grownU8(this.historyLength, cap);
    this.capacity = cap;
    // The index stays at most half full; rebuild it at the new size.
    let slotsLen = 16;
    while (slotsLen < cap * 2) slotsLen *= 2;
    if (slotsLen !== this.slots.length) {
      this.slots = new Int32Array(slotsLen);
      this.slotHash = new Uint32Array(slotsLen);
      this.slotMask = slotsLen - 1;
      for (let id = 0; id < this.used; id++) {
        if ((this.flags[id]! & (FLOW_USED | FLOW_ENDED)) !== FLOW_USED) continue;
        let i = this.hash[id]! & this.slotMask;
        while (this.slots[i] !== EMPTY) i = (i + 1) & this.slotMask;
        this.slots[i] = id + 1;
        this.slotHash[i] = this.hash[id]!;
      }
    }
  }
}
