/**
 * The connections the detectors judge are the shared flow table's flows (src/flows: one 5-tuple per row,
 * Zeek's timeouts, port reuse and SYN+ACK direction flips). The table keeps ids, directions, times and
 * counters; `FlowFacts` adds, in the row's spare words, the few facts only the findings judge a flow by
 * (what the originator's first packet looked like, who reset it first, an ICMP error that answered it).
 * `Connection` is a cursor that reads one flow through both when the flow ends.
 */
import type { DecodedPacket } from '../../decode/packet.js';
import { IPPROTO_ICMP, IPPROTO_TCP, IPPROTO_UDP } from '../../wire/ipv4.js';
import { ICMP_PARAMPROB, ICMP_QUOTED_IP, ICMP_TIMXCEED, ICMP_UNREACH, ICMP_UNREACH_PORT } from '../../wire/icmp.js';
import { ICMP6_DST_UNREACH, ICMP6_DST_UNREACH_NOPORT } from '../../wire/icmp6.js';
import { TCP_ACK_FLAG, TCP_FIN, TCP_MIN_HEADER_LEN, TCP_RST, TCP_SYN } from '../../decode/tcp.js';
import { IPV6_NEXT_HEADER } from '../../wire/ipv6.js';
import { DIR_ORIG, FLOW_USED, type FlowTable } from '../../flows/flow-table.js';
import type { HostIds } from './hosts.js';

/** How an ICMP error answered a connection's originator. */
export const ICMP_NONE = 0;
export const ICMP_PORT_UNREACHABLE = 1;
export const ICMP_OTHER_ERROR = 2;

/** Bits of a flow's fact byte. */
const SAW_SYN = 1;
const SYN_ACK = 2;
const ORIG_ACKED_SYN_ACK = 4;
const ORIG_FIN = 8;
const RESP_FIN = 16;
const RST_BY_ORIG = 32;

// The facts' layout within the flow row's spare words (FlowTable.spareIndex; SPARE_WORDS = 10), in bytes
// (B_), 32-bit words (W_) and 64-bit floats (F_) from their start. Frames are kept as distances from the
// flow's first frame (plus one, so that 0 says none) in 32 bits; a larger distance waits in `farFrames`.
/** SAW_SYN... bits; the originator's first packet: TCP flags, options length (0 for UDP); ICMP_* answer. */
const B_BITS = 0;
const B_FIRST_FLAGS = 1;
const B_FIRST_OPTIONS = 2;
const B_ICMP = 3;
/** The originator's first window (16 bits, at byte 4). */
const B_FIRST_WINDOW = 4;
/** The flow's second and third frames (the first is the table's firstFrame). */
const W_FRAME2 = 2;
const W_FRAME3 = 3;
/** RSTs per endpoint, at W_RST + dir. */
const W_RST = 4;
/** The first RST's frame, and the frame of the ICMP error that answered the originator. */
const W_RST_FRAME = 6;
const W_ICMP_FRAME = 7;
/** The first RST's time in seconds since the epoch: a 64-bit float in spare words 8 and 9 (8-byte aligned). */
const F_RST_TS = 4;
/** The largest frame distance kept in a word. */
const NEAR_FRAMES = 0xffffffff;

/**
 * The findings' own facts per flow (what the originator's first packet looked like, who reset it first,
 * an ICMP error that answered it), kept in the flow table's row itself (its spare words): the packet that
 * updates them has just brought the row's cache lines in, they are zero when the table creates a flow, and
 * they cost no arrays of their own (which, sized by flow ids, cost a miss per packet and copies to grow).
 */
export class FlowFacts {
  /** Views of the table's rows (rebuilt when the table replaces its buffer). */
  private u8: Uint8Array<ArrayBufferLike> = new Uint8Array(0);
  private u16: Uint16Array<ArrayBufferLike> = new Uint16Array(0);
  private u32: Uint32Array<ArrayBufferLike> = new Uint32Array(0);
  private f64: Float64Array<ArrayBufferLike> = new Float64Array(0);
  /** Frame distances beyond 32 bits (a flow spanning four billion packets), by spare word index. */
  private readonly farFrames = new Map<number, number>();

  /** Binds the views to table `t`'s current rows. */
  view(t: FlowTable): this {
    // The table replaces `words` with its buffer (asking a view for its buffer costs more than this test).
    if (t.words !== this.u32) {
      const buf = t.words.buffer;
      this.u8 = new Uint8Array(buf);
      this.u16 = new Uint16Array(buf);
      this.u32 = t.words;
      this.f64 = new Float64Array(buf);
    }
    return this;
  }

  /**
   * Records what a packet the table just tracked tells about its flow (`flowId` as `track` returned it:
   * -1 for none, or a flow another thread tracks): a TCP or UDP packet about its own flow, an ICMP error
   * about the flow it quotes.
   */
  packet(t: FlowTable, flowId: number, p: DecodedPacket): void {
    if (flowId >= 0 && (p.protocol === IPPROTO_TCP || p.protocol === IPPROTO_UDP)) {
      this.add(t, flowId, t.lastDir, t.lastCreated, p);
    } else if (p.hasQuoted && p.quotedSrcPort >= 0) {
      // The pass already marked the quoted flow; find it again to say how the error answered it.
      this.icmpError(t, t.linkIcmpError(p), p);
    }
  }

  /** The frame distances beyond 32 bits, for the facts of the same rows read on another thread (`withFar`). */
  farEntries(): [number, number][] {
    return [...this.farFrames];
  }

  /** Facts of rows filled on another thread, given its `farEntries()`. */
  static withFar(entries: readonly [number, number][]): FlowFacts {
    const f = new FlowFacts();
    for (const [at, d] of entries) f.farFrames.set(at, d);
    return f;
  }

  /**
   * Records a TCP or UDP packet the table just tracked into flow `id` (`dir` and `created` as the table
   * reported them). Allocates nothing.
   */
  add(t: FlowTable, id: number, dir: number, created: boolean, p: DecodedPacket): void {
    this.view(t);
    const w = t.spareIndex(id);
    if (created && this.farFrames.size > 0) this.forget(w);
    const origPackets = t.packets(id, 0);
    const n = origPackets + t.packets(id, 1);
    if (n <= 3) {
      if (n === 2) this.setFrame(t, id, w + W_FRAME2, p.frame);
      else if (n === 3) this.setFrame(t, id, w + W_FRAME3, p.frame);
    }
    if (p.protocol !== IPPROTO_TCP) return;
    const fromOrig = dir === DIR_ORIG;
    const flags = p.tcpFlags;
    // Most segments carry none of SYN, FIN and RST: from the responder they change nothing here.
    if (!fromOrig && (flags & (TCP_SYN | TCP_FIN | TCP_RST)) === 0) return;
    const b = w * 4;
    const u8 = this.u8;
    if (fromOrig && origPackets === 1) {
      u8[b + B_FIRST_FLAGS] = flags;
      this.u16[(b + B_FIRST_WINDOW) >> 1] = p.window;
      u8[b + B_FIRST_OPTIONS] = p.tcpHeaderLength > TCP_MIN_HEADER_LEN ? p.tcpHeaderLength - TCP_MIN_HEADER_LEN : 0;
    }
    let bits = u8[b + B_BITS]!;
    if ((flags & TCP_SYN) !== 0) {
      if ((flags & TCP_ACK_FLAG) !== 0) {
        if (!fromOrig) bits |= SYN_ACK;
      } else if (fromOrig && (flags & (TCP_FIN | TCP_RST)) === 0) bits |= SAW_SYN;
    } else if (fromOrig && (bits & SYN_ACK) !== 0 && (flags & TCP_ACK_FLAG) !== 0 && (flags & TCP_RST) === 0) bits |= ORIG_ACKED_SYN_ACK;
    if ((flags & TCP_FIN) !== 0) bits |= fromOrig ? ORIG_FIN : RESP_FIN;
    if ((flags & TCP_RST) !== 0) {
      this.u32[w + W_RST + dir]!++;
      if (this.u32[w + W_RST_FRAME] === 0) {
        this.setFrame(t, id, w + W_RST_FRAME, p.frame);
        this.f64[(w >> 1) + F_RST_TS] = p.tsSec + p.tsNsec / 1e9;
        if (fromOrig) bits |= RST_BY_ORIG;
      }
    }
    u8[b + B_BITS] = bits;
  }

  /**
   * Records an ICMP error (destination unreachable, time exceeded, parameter problem) about a packet the
   * originator of TCP or UDP flow `id` sent: the first such error answers the flow.
   */
  icmpError(t: FlowTable, id: number, p: DecodedPacket): void {
    if (id < 0) return;
    this.view(t);
    const w = t.spareIndex(id);
    if (this.u8[w * 4 + B_ICMP] !== ICMP_NONE) return;
    const v4 = p.protocol === IPPROTO_ICMP;
    const type = p.icmpType;
    if (v4 ? type !== ICMP_UNREACH && type !== ICMP_TIMXCEED && type !== ICMP_PARAMPROB : type >= 128) return;
    const pr = t.proto(id);
    if (pr !== IPPROTO_TCP && pr !== IPPROTO_UDP) return;
    // A quoted IPv6 datagram with extension headers is left unanswered: the evidence filters (`ip6 and
    // udp`) cannot select such probes, so a scan found through them could not be shown.
    if (!v4 && p.data[p.transportOffset + ICMP_QUOTED_IP + IPV6_NEXT_HEADER] !== pr) return;
    // Only an error about the originator's packet answers the originator.
    const a = t.words;
    const q = p.quotedSrc;
    const o = t.addrIndex(id, 0);
    if (a[o] !== q[0] || a[o + 1] !== q[1] || a[o + 2] !== q[2] || a[o + 3] !== q[3] || t.origPort(id) !== p.quotedSrcPort) return;
    const portUnreachable = v4 ? type === ICMP_UNREACH && p.icmpCode === ICMP_UNREACH_PORT : type === ICMP6_DST_UNREACH && p.icmpCode === ICMP6_DST_UNREACH_NOPORT;
    this.u8[w * 4 + B_ICMP] = portUnreachable ? ICMP_PORT_UNREACHABLE : ICMP_OTHER_ERROR;
    this.setFrame(t, id, w + W_ICMP_FRAME, p.frame);
  }

  // ---- reading (the views must be bound to the table: `view`)

  bits(w: number): number {
    return this.u8[w * 4 + B_BITS]!;
  }
  firstFlags(w: number): number {
    return this.u8[w * 4 + B_FIRST_FLAGS]!;
  }
  firstOptionsLen(w: number): number {
    return this.u8[w * 4 + B_FIRST_OPTIONS]!;
  }
  firstWindow(w: number): number {
    return this.u16[(w * 4 + B_FIRST_WINDOW) >> 1]!;
  }
  icmp(w: number): number {
    return this.u8[w * 4 + B_ICMP]!;
  }
  rst(w: number, dir: number): number {
    return this.u32[w + W_RST + dir]!;
  }
  rstTs(w: number): number {
    return this.f64[(w >> 1) + F_RST_TS]!;
  }
  /** The frames kept (0 when none): the second and third of the flow, its first RST, the ICMP error. */
  frame2(t: FlowTable, id: number, w: number): number {
    return this.frameAt(t, id, w + W_FRAME2);
  }
  frame3(t: FlowTable, id: number, w: number): number {
    return this.frameAt(t, id, w + W_FRAME3);
  }
  rstFrame(t: FlowTable, id: number, w: number): number {
    return this.frameAt(t, id, w + W_RST_FRAME);
  }
  icmpFrame(t: FlowTable, id: number, w: number): number {
    return this.frameAt(t, id, w + W_ICMP_FRAME);
  }

  private frameAt(t: FlowTable, id: number, at: number): number {
    const d = this.u32[at]!;
    if (d === 0) return 0;
    return t.firstFrame(id) - 1 + (d === NEAR_FRAMES ? this.farFrames.get(at)! : d);
  }

  private setFrame(t: FlowTable, id: number, at: number, frame: number): void {
    const d = frame - t.firstFrame(id) + 1;
    if (d < NEAR_FRAMES) {
      this.u32[at] = d;
    } else {
      this.u32[at] = NEAR_FRAMES;
      this.farFrames.set(at, d);
    }
  }

  /** Drops far frames left by a flow that held the row before. */
  private forget(w: number): void {
    for (let i = W_FRAME2; i <= W_ICMP_FRAME; i++) this.farFrames.delete(w + i);
  }
}

/**
 * One connection as the detectors see it when it ends: a cursor over flow `id` of the table and its facts.
 * Detectors read it during their call and copy what they keep.
 */
export class Connection {
  id = 0;
  /** Originator and responder host numbers (HostIds). */
  origId = 0;
  respId = 0;
  /** The responder is a multicast or broadcast address (nobody in particular is expected to answer). */
  respIsGroup = false;
  /**
   * True in the sweep when the capture ends: the flow's row then stays as it is until every detector has
   * finished, so a detector that needs a flow only if its host turns out to matter may note `id` and read
   * the flow again later (`at(flows, id)`) instead of filing it now. False for a flow judged because its
   * row is about to be reused (evicted).
   */
  kept = false;
  /**
   * In the sweep: the flow's number in it (the order the sweep judges flows in), which detectors note to
   * read the flow again (`again`), and the sweep itself.
   */
  keptId = 0;
  private sweep: Sweep | undefined;
  private t: FlowTable | undefined;
  /** The facts of table `t`, and where the flow's start (FlowTable.spareIndex). */
  private facts: FlowFacts;
  private w = 0;

  constructor(
    private readonly factsOf: FactsOfTables,
    readonly hosts: HostIds,
  ) {
    this.facts = factsOf.main;
  }

  /** Starts the sweep (`kept`): flows are then given by their number in `sweep`. */
  startSweep(sweep: Sweep): void {
    this.kept = true;
    this.sweep = sweep;
  }

  /** Flows in the sweep: the notes a detector may take of them are bound by it. */
  get keptCount(): number {
    return this.sweep!.count;
  }

  /** Points the cursor at flow `id` of table `t` (number `keptId` in the sweep). */
  at(t: FlowTable, id: number, keptId = id): this {
    this.t = t;
    this.id = id;
    this.keptId = keptId;
    this.facts = this.factsOf.of(t).view(t);
    this.w = t.spareIndex(id);
    const v = t.version(id);
    const a = t.words;
    const hosts = this.hosts;
    this.origId = hosts.idAt(v, a, t.addrIndex(id, 0));
    this.respId = hosts.idAt(v, a, t.addrIndex(id, 1));
    const ra = t.addrIndex(id, 1);
    const r = a[ra + 3]!;
    // Multicast (224/4, ff00::/8) and broadcast responders.
    this.respIsGroup = v === 4 ? r >>> 28 === 14 || r === 0xffffffff || (r & 0xff) === 0xff : a[ra]! >>> 24 === 0xff;
    return this;
  }

  /**
   * Points the cursor at flow `id` of table `t` whose host numbers were noted before (a kept flow read
   * again): no host lookups; `respIsGroup` is left as it was.
   */
  atKnown(t: FlowTable, id: number, origId: number, respId: number): this {
    this.t = t;
    this.id = id;
    this.facts = this.factsOf.of(t).view(t);
    this.w = t.spareIndex(id);
    this.origId = origId;
    this.respId = respId;
    return this;
  }

  /** Points the cursor at flow number `keptId` of the sweep, whose host numbers were noted (see atKnown). */
  again(keptId: number, origId: number, respId: number): this {
    const s = this.sweep!;
    this.keptId = keptId;
    return this.atKnown(s.tableOf(keptId), s.rowOf(keptId), origId, respId);
  }

  /** The table and row of flow number `keptId` of the sweep. */
  keptTable(keptId: number): FlowTable {
    return this.sweep!.tableOf(keptId);
  }
  keptRow(keptId: number): number {
    return this.sweep!.rowOf(keptId);
  }

  /** Originator and responder addresses as text. */
  get orig(): string {
    return this.hosts.name(this.origId);
  }
  get resp(): string {
    return this.hosts.name(this.respId);
  }

  /** The table the cursor reads. */
  get flows(): FlowTable {
    return this.t!;
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
  /** The flow's second and third frames (0 when it had fewer packets). */
  get frame1(): number {
    return this.facts.frame2(this.table, this.id, this.w);
  }
  get frame2(): number {
    return this.facts.frame3(this.table, this.id, this.w);
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
    return this.facts.firstFlags(this.w);
  }
  get firstWindow(): number {
    return this.facts.firstWindow(this.w);
  }
  get firstOptionsLen(): number {
    return this.facts.firstOptionsLen(this.w);
  }
  /** The originator sent a plain SYN. */
  get sawSyn(): boolean {
    return (this.facts.bits(this.w) & SAW_SYN) !== 0;
  }
  /** The responder sent a SYN+ACK. */
  get synAck(): boolean {
    return (this.facts.bits(this.w) & SYN_ACK) !== 0;
  }
  /** The originator acknowledged the SYN+ACK (the handshake completed). */
  get origAckedSynAck(): boolean {
    return (this.facts.bits(this.w) & ORIG_ACKED_SYN_ACK) !== 0;
  }
  get origFin(): boolean {
    return (this.facts.bits(this.w) & ORIG_FIN) !== 0;
  }
  get respFin(): boolean {
    return (this.facts.bits(this.w) & RESP_FIN) !== 0;
  }
  /** RSTs each side sent. */
  get origRst(): number {
    return this.facts.rst(this.w, 0);
  }
  get respRst(): number {
    return this.facts.rst(this.w, 1);
  }
  /** The first RST: its time, frame (0 when none), and whether the originator sent it. */
  get rstTs(): number {
    return this.facts.rstTs(this.w);
  }
  get rstFrame(): number {
    return this.facts.rstFrame(this.table, this.id, this.w);
  }
  get rstByOrig(): boolean {
    return (this.facts.bits(this.w) & RST_BY_ORIG) !== 0;
  }
  /** How an ICMP error answered the originator (ICMP_*), and its frame. */
  get icmp(): number {
    return this.facts.icmp(this.w);
  }
  get icmpFrame(): number {
    return this.facts.icmpFrame(this.table, this.id, this.w);
  }

  /** The first frames, as a list. */
  frames(): number[] {
    const f1 = this.frame1;
    const f2 = this.frame2;
    return f2 !== 0 ? [this.frame0, f1, f2] : f1 !== 0 ? [this.frame0, f1] : [this.frame0];
  }

  /** Says whether the responder sent only RSTs (or nothing). */
  respOnlyRst(): boolean {
    return this.respPkts === this.respRst;
  }
}

/**
 * Each table's facts (FlowFacts): `main` for the table this thread tracks and those of each share a worker
 * tracked (both bound with `adopt`), fresh ones for rows copied aside (a worker's evicted flows: the facts
 * travel in the rows).
 */
export class FactsOfTables {
  readonly main = new FlowFacts();
  // A few tables (one per thread, and copies of evicted rows): a short list beats a map when the sweep
  // alternates between them flow by flow.
  private readonly tables: FlowTable[] = [];
  private readonly facts: FlowFacts[] = [];

  /** Binds `facts` to the rows of `t` (a worker's table). */
  adopt(t: FlowTable, facts: FlowFacts): void {
    const i = this.tables.indexOf(t);
    if (i >= 0) this.facts[i] = facts;
    else {
      this.tables.push(t);
      this.facts.push(facts);
    }
  }

  /** The facts of table `t`. */
  of(t: FlowTable): FlowFacts {
    const tables = this.tables;
    for (let i = 0; i < tables.length; i++) if (tables[i] === t) return this.facts[i]!;
    // Rows copied aside (their facts in them, no far frames).
    const f = new FlowFacts();
    this.adopt(t, f);
    return f;
  }
}

/**
 * The flows of the sweep when the capture ends, numbered in the order they are judged: one table's rows in
 * row order (a flow's number is its row), or the rows of the tables the flows were tracked in on several
 * threads merged by first frame, the order one table would have created them in (so the detectors see
 * them as one table would show them, and their output is the same).
 */
export class Sweep {
  /** The flows' numbers are below this (the tables' rows, a bound for notes taken of them). */
  readonly count: number;
  private readonly tables: readonly FlowTable[];
  /** For several tables: each number's table (index in `tables`) and row, filled as the sweep goes. */
  private readonly table: Uint8Array | undefined;
  private readonly row: Int32Array | undefined;

  constructor(tables: readonly FlowTable[]) {
    if (tables.length > 255) throw new RangeError('at most 255 flow tables');
    this.tables = tables;
    let count = 0;
    for (const t of tables) count += t.used;
    this.count = count;
    this.table = tables.length > 1 ? new Uint8Array(count) : undefined;
    this.row = tables.length > 1 ? new Int32Array(count) : undefined;
  }

  /** Calls `fn` for each flow of the sweep, in order: its table, row and number. */
  forEach(fn: (t: FlowTable, id: number, keptId: number) => void): void {
    const tables = this.tables;
    if (tables.length === 1) {
      const t = tables[0]!;
      t.forEach((id) => fn(t, id, id));
      return;
    }
    const table = this.table!;
    const row = this.row!;
    // Each table's rows stream by in row order (rows are created in frame order): merged by first frame,
    // read from each row as it comes up for judging (a separate pass would bring every row in twice).
    const next = new Int32Array(tables.length);
    const head = new Float64Array(tables.length);
    const advance = (i: number, from: number): void => {
      const t = tables[i]!;
      let id = from;
      while (id < t.used && (t.flags(id) & FLOW_USED) === 0) id++;
      next[i] = id;
      head[i] = id < t.used ? t.firstFrame(id) : Infinity;
    };
    for (let i = 0; i < tables.length; i++) advance(i, 0);
    for (let k = 0; ; k++) {
      let best = 0;
      for (let i = 1; i < head.length; i++) if (head[i]! < head[best]!) best = i;
      if (head[best] === Infinity) return;
      const id = next[best]!;
      table[k] = best;
      row[k] = id;
      advance(best, id + 1);
      fn(tables[best]!, id, k);
    }
  }

  tableOf(keptId: number): FlowTable {
    return this.table === undefined ? this.tables[0]! : this.tables[this.table[keptId]!]!;
  }
  rowOf(keptId: number): number {
    return this.row === undefined ? keptId : this.row[keptId]!;
  }
}
