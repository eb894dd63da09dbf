/**
 * The connections the detectors judge are the shared flow table's flows (src/flows: one 5-tuple per row,
 * Zeek's timeouts, port reuse and SYN+ACK direction flips). The table keeps ids, directions, times and
 * counters; `FlowFacts` adds, in typed arrays indexed by the same flow id, the few facts only the findings
 * judge a flow by (what the originator's first packet looked like, who reset it first, an ICMP error that
 * answered it). `Connection` is a cursor that reads one flow through both when the flow ends.
 */
import { IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP, type DecodedPacket } from '../../decode/packet.js';
import { ICMP6_DST_UNREACH, ICMP6_UNREACH_PORT, ICMP_PARAM_PROBLEM, ICMP_QUOTED, ICMP_TIME_EXCEEDED, ICMP_UNREACH, ICMP_UNREACH_PORT } from '../../decode/icmp.js';
import { TCP_ACK_FLAG, TCP_FIN, TCP_MIN_HEADER_LEN, TCP_RST, TCP_SYN } from '../../decode/tcp.js';
import { IPV6_NEXT_HEADER } from '../../decode/ipv6.js';
import { DIR_ORIG, type FlowTable } from '../../flows/flow-table.js';
import type { HostIds } from './hosts.js';

/** How an ICMP error answered a connection's originator. */
export const ICMP_NONE = 0;
export const ICMP_PORT_UNREACHABLE = 1;
export const ICMP_OTHER_ERROR = 2;

/** Bits of `FlowFacts.bits`. */
const SAW_SYN = 1;
const SYN_ACK = 2;
const ORIG_ACKED_SYN_ACK = 4;
const ORIG_FIN = 8;
const RESP_FIN = 16;
const RST_BY_ORIG = 32;

function grown<T extends Uint8Array | Uint16Array | Uint32Array | Float64Array>(old: T, n: number): T {
  const a = new (old.constructor as new (n: number) => T)(n);
  a.set(old);
  return a;
}

/**
 * The findings' own facts per flow, beside the flow table's rows (same ids). Cleared when the table
 * creates a flow in a row, so nothing leaks from an evicted flow into the next.
 */
export class FlowFacts {
  capacity = 0;
  bits = new Uint8Array(0);
  /** The originator's first packet: TCP flags, window and options length (0 for UDP). */
  firstFlags = new Uint8Array(0);
  firstOptionsLen = new Uint8Array(0);
  firstWindow = new Uint16Array(0);
  /** ICMP_* answer and its frame. */
  icmp = new Uint8Array(0);
  icmpFrame = new Float64Array(0);
  /** The flow's second and third frames (the first is the table's firstFrame), at id * 2. */
  frames = new Float64Array(0);
  /** RSTs per endpoint, at id * 2 + dir. */
  rst = new Uint32Array(0);
  /** The first RST's time and frame. */
  rstTs = new Float64Array(0);
  rstFrame = new Float64Array(0);

  /** Makes room for ids below `n`. */
  ensure(n: number): void {
    if (n <= this.capacity) return;
    const cap = Math.max(n, this.capacity * 2, 1024);
    this.bits = grown(this.bits, cap);
    this.firstFlags = grown(this.firstFlags, cap);
    this.firstOptionsLen = grown(this.firstOptionsLen, cap);
    this.firstWindow = grown(this.firstWindow, cap);
    this.icmp = grown(this.icmp, cap);
    this.icmpFrame = grown(this.icmpFrame, cap);
    this.frames = grown(this.frames, cap * 2);
    this.rst = grown(this.rst, cap * 2);
    this.rstTs = grown(this.rstTs, cap);
    this.rstFrame = grown(this.rstFrame, cap);
    this.capacity = cap;
  }

  /** Clears a row for a new flow. */
  clear(id: number): void {
    this.bits[id] = 0;
    this.firstFlags[id] = 0;
    this.firstOptionsLen[id] = 0;
    this.firstWindow[id] = 0;
    this.icmp[id] = ICMP_NONE;
    this.icmpFrame[id] = 0;
    this.frames[id * 2] = 0;
    this.frames[id * 2 + 1] = 0;
    this.rst[id * 2] = 0;
    this.rst[id * 2 + 1] = 0;
    this.rstTs[id] = 0;
    this.rstFrame[id] = 0;
  }

  /**
   * Records a TCP or UDP packet the table just tracked into flow `id` (`dir` and `created` as the table
   * reported them). Allocates nothing.
   */
  add(t: FlowTable, id: number, dir: number, created: boolean, p: DecodedPacket): void {
    if (id >= this.capacity) this.ensure(Math.max(id + 1, this.capacity * 2, 16384));
    if (created) this.clear(id);
    const n = t.packets(id, 0) + t.packets(id, 1);
    if (n === 2) this.frames[id * 2] = p.frame;
    else if (n === 3) this.frames[id * 2 + 1] = p.frame;
    if (p.protocol !== IPPROTO_TCP) return;
    const fromOrig = dir === DIR_ORIG;
    const flags = p.tcpFlags;
    if (fromOrig && t.packets(id, 0) === 1) {
      this.firstFlags[id] = flags;
      this.firstWindow[id] = p.window;
      this.firstOptionsLen[id] = p.tcpHeaderLength > TCP_MIN_HEADER_LEN ? p.tcpHeaderLength - TCP_MIN_HEADER_LEN : 0;
    }
    let bits = this.bits[id]!;
    if ((flags & TCP_SYN) !== 0) {
      if ((flags & TCP_ACK_FLAG) !== 0) {
        if (!fromOrig) bits |= SYN_ACK;
      } else if (fromOrig && (flags & (TCP_FIN | TCP_RST)) === 0) bits |= SAW_SYN;
    } else if (fromOrig && (bits & SYN_ACK) !== 0 && (flags & TCP_ACK_FLAG) !== 0 && (flags & TCP_RST) === 0) bits |= ORIG_ACKED_SYN_ACK;
    if ((flags & TCP_FIN) !== 0) bits |= fromOrig ? ORIG_FIN : RESP_FIN;
    if ((flags & TCP_RST) !== 0) {
      this.rst[id * 2 + dir]!++;
      if (this.rstFrame[id] === 0) {
        this.rstFrame[id] = p.frame;
        this.rstTs[id] = p.tsSec + p.tsNsec / 1e9;
        if (fromOrig) bits |= RST_BY_ORIG;
      }
    }
    this.bits[id] = bits;
  }

  /**
   * Records an ICMP error (destination unreachable, time exceeded, parameter problem) about a packet the
   * originator of TCP or UDP flow `id` sent: the first such error answers the flow.
   */
  icmpError(t: FlowTable, id: number, p: DecodedPacket): void {
    if (id < 0 || id >= this.capacity || this.icmp[id] !== ICMP_NONE) return;
    const v4 = p.protocol === IPPROTO_ICMP;
    const type = p.icmpType;
    if (v4 ? type !== ICMP_UNREACH && type !== ICMP_TIME_EXCEEDED && type !== ICMP_PARAM_PROBLEM : type >= 128) return;
    const pr = t.proto(id);
    if (pr !== IPPROTO_TCP && pr !== IPPROTO_UDP) return;
    // A quoted IPv6 datagram with extension headers is left unanswered: the evidence filters (`ip6 and
    // udp`) cannot select such probes, so a scan found through them could not be shown.
    if (!v4 && p.data[p.transportOffset + ICMP_QUOTED + IPV6_NEXT_HEADER] !== pr) return;
    // Only an error about the originator's packet answers the originator.
    const a = t.words;
    const q = p.quotedSrc;
    const b = t.addrIndex(id, 0);
    if (a[b] !== q[0] || a[b + 1] !== q[1] || a[b + 2] !== q[2] || a[b + 3] !== q[3] || t.origPort(id) !== p.quotedSrcPort) return;
    const portUnreachable = v4 ? type === ICMP_UNREACH && p.icmpCode === ICMP_UNREACH_PORT : type === ICMP6_DST_UNREACH && p.icmpCode === ICMP6_UNREACH_PORT;
    this.icmp[id] = portUnreachable ? ICMP_PORT_UNREACHABLE : ICMP_OTHER_ERROR;
    this.icmpFrame[id] = p.frame;
  }
}

/**
 * One connection as the detectors see it when it ends: a cursor over flow `id` of the table and its facts.
 * Detectors read it during their call and copy what they keep.
 */
export class Connection {
  id = 0;
  /** Originator and responder addresses as text, and their host numbers (HostIds). */
  orig = '';
  resp = '';
  origId = 0;
  respId = 0;
  /** The responder is a multicast or broadcast address (nobody in particular is expected to answer). */
  respIsGroup = false;
  private t: FlowTable | undefined;

  constructor(
    readonly facts: FlowFacts,
    readonly hosts: HostIds,
  ) {}

  /** Points the cursor at flow `id` of table `t`. */
  at(t: FlowTable, id: number): this {
    this.t = t;
    this.id = id;
    const v = t.version(id);
    const a = t.words;
    const hosts = this.hosts;
    this.origId = hosts.idAt(v, a, t.addrIndex(id, 0));
    this.respId = hosts.idAt(v, a, t.addrIndex(id, 1));
    this.orig = hosts.names[this.origId]!;
    this.resp = hosts.names[this.respId]!;
    const ra = t.addrIndex(id, 1);
    const r = a[ra + 3]!;
    // Multicast (224/4, ff00::/8) and broadcast responders.
    this.respIsGroup = v === 4 ? r >>> 28 === 14 || r === 0xffffffff || (r & 0xff) === 0xff : a[ra]! >>> 24 === 0xff;
    return this;
  }

  private get table(): FlowTable {
    return this.t!;
  }

  get proto(): number {
    return this.table.proto(this.id);
  }
  get v6(): boolean {
    return this.table.version(this.id) === 6;
  }
  get origPort(): number {
    return this.table.origPort(this.id);
  }
  get respPort(): number {
    return this.table.respPort(this.id);
  }
  get start(): number {
    return this.table.start(this.id);
  }
  get last(): number {
    return this.table.last(this.id);
  }
  get frame0(): number {
    return this.table.firstFrame(this.id);
  }
  get origPkts(): number {
    return this.table.packets(this.id, 0);
  }
  get respPkts(): number {
    return this.table.packets(this.id, 1);
  }
  get origIpBytes(): number {
    return this.table.ipBytes(this.id, 0);
  }
  get respIpBytes(): number {
    return this.table.ipBytes(this.id, 1);
  }
  get origPayload(): number {
    return this.table.payloadBytes(this.id, 0);
  }
  get respPayload(): number {
    return this.table.payloadBytes(this.id, 1);
  }
  get firstFlags(): number {
    return this.facts.firstFlags[this.id]!;
  }
  get firstWindow(): number {
    return this.facts.firstWindow[this.id]!;
  }
  get firstOptionsLen(): number {
    return this.facts.firstOptionsLen[this.id]!;
  }
  /** The originator sent a plain SYN. */
  get sawSyn(): boolean {
    return (this.facts.bits[this.id]! & SAW_SYN) !== 0;
  }
  /** The responder sent a SYN+ACK. */
  get synAck(): boolean {
    return (this.facts.bits[this.id]! & SYN_ACK) !== 0;
  }
  /** The originator acknowledged the SYN+ACK (the handshake completed). */
  get origAckedSynAck(): boolean {
    return (this.facts.bits[this.id]! & ORIG_ACKED_SYN_ACK) !== 0;
  }
  get origFin(): boolean {
    return (this.facts.bits[this.id]! & ORIG_FIN) !== 0;
  }
  get respFin(): boolean {
    return (this.facts.bits[this.id]! & RESP_FIN) !== 0;
  }
  /** RSTs each side sent. */
  get origRst(): number {
    return this.facts.rst[this.id * 2]!;
  }
  get respRst(): number {
    return this.facts.rst[this.id * 2 + 1]!;
  }
  /** The first RST: its time, frame (0 when none), and whether the originator sent it. */
  get rstTs(): number {
    return this.facts.rstTs[this.id]!;
  }
  get rstFrame(): number {
    return this.facts.rstFrame[this.id]!;
  }
  get rstByOrig(): boolean {
    return (this.facts.bits[this.id]! & RST_BY_ORIG) !== 0;
  }
  /** How an ICMP error answered the originator (ICMP_*), and its frame. */
  get icmp(): number {
    return this.facts.icmp[this.id]!;
  }
  get icmpFrame(): number {
    return this.facts.icmpFrame[this.id]!;
  }

  /** The first frames, as a list. */
  frames(): number[] {
    const f1 = this.facts.frames[this.id * 2]!;
    const f2 = this.facts.frames[this.id * 2 + 1]!;
    return f2 !== 0 ? [this.frame0, f1, f2] : f1 !== 0 ? [this.frame0, f1] : [this.frame0];
  }

  /** Says whether the responder sent only RSTs (or nothing). */
  respOnlyRst(): boolean {
    return this.respPkts === this.respRst;
  }
}
