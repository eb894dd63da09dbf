/**
 * The findings' connection tracker: one record per TCP or UDP 5-tuple, with the few facts the detectors
 * judge a connection by (who opened it, what the first packet looked like, who answered and how, bytes
 * and packets each way). Connections end on inactivity, as Zeek ends them (TCP 5 min, UDP 1 min, 5 s
 * after a close), and are handed to the detectors then and forgotten, so memory holds only live ones.
 */
import { HostIds } from './hosts.js';
import {
  ip4TextCached,
  ip6TextCached,
  type Observation,
  PROTO_TCP,
  PROTO_UDP,
  TCP_ACK,
  TCP_FIN,
  TCP_RST,
  TCP_SYN,
} from './observe.js';

/** Zeek's tcp_inactivity_timeout and udp_inactivity_timeout, and the linger after a close. */
export const TCP_INACTIVITY_SECONDS = 300;
export const UDP_INACTIVITY_SECONDS = 60;
export const CLOSED_LINGER_SECONDS = 5;
/** How often (in capture seconds) idle connections are looked for. */
export const SWEEP_EVERY_SECONDS = 30;

/** Words of a flow key: two addresses of four words, each followed by its port, family and protocol. */
export const KEY_WORDS = 10;

/** How an ICMP error answered a connection's originator. */
export const ICMP_NONE = 0;
export const ICMP_PORT_UNREACHABLE = 1;
export const ICMP_OTHER_ERROR = 2;

/** Columns of a connection row: numbers (booleans as 0/1) in one Float64Array, `FIELDS` per row. */
const F_ORIGPORT = 0;
const F_RESPPORT = 1;
const F_ORIG4 = 2;
const F_RESP4 = 3;
const F_ORIGFIRST = 4;
const F_FLIPPED = 5;
const F_RESPISGROUP = 6;
const F_PROTO = 7;
const F_V6 = 8;
const F_START = 9;
const F_LAST = 10;
const F_FRAME0 = 11;
const F_FRAME1 = 12;
const F_FRAME2 = 13;
const F_ORIGPKTS = 14;
const F_RESPPKTS = 15;
const F_ORIGIPBYTES = 16;
const F_RESPIPBYTES = 17;
const F_ORIGPAYLOAD = 18;
const F_RESPPAYLOAD = 19;
const F_FIRSTFLAGS = 20;
const F_FIRSTWINDOW = 21;
const F_FIRSTOPTIONSLEN = 22;
const F_SAWSYN = 23;
const F_SYNACK = 24;
const F_ORIGACKEDSYNACK = 25;
const F_ORIGRST = 26;
const F_RESPRST = 27;
const F_ORIGFIN = 28;
const F_RESPFIN = 29;
const F_RSTTS = 30;
const F_RSTFRAME = 31;
const F_RSTBYORIG = 32;
const F_ICMP = 33;
const F_ICMPFRAME = 34;
const F_CLOSED = 35;
const F_ORIGID = 36;
const F_RESPID = 37;
export const FIELDS = 38;

/**
 * The connection rows: every number of every live connection in one Float64Array (a row per connection),
 * the address texts in two arrays, and the index keys in a Uint32Array. No object per connection: a
 * capture with millions of flows leaves nothing for the garbage collector to trace but these arrays.
 */
export class ConnectionRows {
  capacity = 1 << 12;
  num = new Float64Array(this.capacity * FIELDS);
  keys = new Uint32Array(this.capacity * KEY_WORDS);
  orig: string[] = new Array<string>(this.capacity).fill('');
  resp: string[] = new Array<string>(this.capacity).fill('');
  private free: number[] = [];
  private next = 0;

  /** A cleared row for a new connection. */
  alloc(): number {
    let row = this.free.pop();
    if (row === undefined) {
      if (this.next === this.capacity) this.grow();
      row = this.next++;
    }
    this.num.fill(0, row * FIELDS, row * FIELDS + FIELDS);
    return row;
  }

  release(row: number): void {
    this.orig[row] = '';
    this.resp[row] = '';
    this.free.push(row);
  }

  private grow(): void {
    this.capacity *= 2;
    const num = new Float64Array(this.capacity * FIELDS);
    num.set(this.num);
    this.num = num;
    const keys = new Uint32Array(this.capacity * KEY_WORDS);
    keys.set(this.keys);
    this.keys = keys;
    this.orig.length = this.capacity;
    this.resp.length = this.capacity;
    this.orig.fill('', this.capacity / 2);
    this.resp.fill('', this.capacity / 2);
  }
}

/**
 * One connection, as the detectors see it when it ends: a cursor over a row of ConnectionRows. The table
 * moves it from row to row; detectors read it during their call and copy what they keep.
 */
export class Connection {
  row = 0;
  base = 0;
  num: Float64Array;

  constructor(readonly rows: ConnectionRows) {
    this.num = rows.num;
  }

  /** Points the cursor at a row. */
  at(row: number): this {
    this.row = row;
    this.base = row * FIELDS;
    this.num = this.rows.num;
    return this;
  }

  /** Originator address as text. */
  get orig(): string {
    return this.rows.orig[this.row]!;
  }
  set orig(v: string) {
    this.rows.orig[this.row] = v;
  }
  /** Responder address as text. */
  get resp(): string {
    return this.rows.resp[this.row]!;
  }
  set resp(v: string) {
    this.rows.resp[this.row] = v;
  }
  /** The connection's key in the index (a view into the rows' key column). */
  key(): Uint32Array {
    return this.rows.keys.subarray(this.row * KEY_WORDS, this.row * KEY_WORDS + KEY_WORDS);
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get origPort(): number {
    return this.num[this.base + F_ORIGPORT]!;
  }
  set origPort(v: number) {
    this.num[this.base + F_ORIGPORT] = v;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get respPort(): number {
    return this.num[this.base + F_RESPPORT]!;
  }
  set respPort(v: number) {
    this.num[this.base + F_RESPPORT] = v;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get orig4(): number {
    return this.num[this.base + F_ORIG4]!;
  }
  set orig4(v: number) {
    this.num[this.base + F_ORIG4] = v;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get resp4(): number {
    return this.num[this.base + F_RESP4]!;
  }
  set resp4(v: number) {
    this.num[this.base + F_RESP4] = v;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get origFirst(): boolean {
    return this.num[this.base + F_ORIGFIRST] !== 0;
  }
  set origFirst(v: boolean) {
    this.num[this.base + F_ORIGFIRST] = v ? 1 : 0;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get flipped(): boolean {
    return this.num[this.base + F_FLIPPED] !== 0;
  }
  set flipped(v: boolean) {
    this.num[this.base + F_FLIPPED] = v ? 1 : 0;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get respIsGroup(): boolean {
    return this.num[this.base + F_RESPISGROUP] !== 0;
  }
  set respIsGroup(v: boolean) {
    this.num[this.base + F_RESPISGROUP] = v ? 1 : 0;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get proto(): number {
    return this.num[this.base + F_PROTO]!;
  }
  set proto(v: number) {
    this.num[this.base + F_PROTO] = v;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get v6(): boolean {
    return this.num[this.base + F_V6] !== 0;
  }
  set v6(v: boolean) {
    this.num[this.base + F_V6] = v ? 1 : 0;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get start(): number {
    return this.num[this.base + F_START]!;
  }
  set start(v: number) {
    this.num[this.base + F_START] = v;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get last(): number {
    return this.num[this.base + F_LAST]!;
  }
  set last(v: number) {
    this.num[this.base + F_LAST] = v;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get frame0(): number {
    return this.num[this.base + F_FRAME0]!;
  }
  set frame0(v: number) {
    this.num[this.base + F_FRAME0] = v;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get frame1(): number {
    return this.num[this.base + F_FRAME1]!;
  }
  set frame1(v: number) {
    this.num[this.base + F_FRAME1] = v;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get frame2(): number {
    return this.num[this.base + F_FRAME2]!;
  }
  set frame2(v: number) {
    this.num[this.base + F_FRAME2] = v;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get origPkts(): number {
    return this.num[this.base + F_ORIGPKTS]!;
  }
  set origPkts(v: number) {
    this.num[this.base + F_ORIGPKTS] = v;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get respPkts(): number {
    return this.num[this.base + F_RESPPKTS]!;
  }
  set respPkts(v: number) {
    this.num[this.base + F_RESPPKTS] = v;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get origIpBytes(): number {
    return this.num[this.base + F_ORIGIPBYTES]!;
  }
  set origIpBytes(v: number) {
    this.num[this.base + F_ORIGIPBYTES] = v;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get respIpBytes(): number {
    return this.num[this.base + F_RESPIPBYTES]!;
  }
  set respIpBytes(v: number) {
    this.num[this.base + F_RESPIPBYTES] = v;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get origPayload(): number {
    return this.num[this.base + F_ORIGPAYLOAD]!;
  }
  set origPayload(v: number) {
    this.num[this.base + F_ORIGPAYLOAD] = v;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get respPayload(): number {
    return this.num[this.base + F_RESPPAYLOAD]!;
  }
  set respPayload(v: number) {
    this.num[this.base + F_RESPPAYLOAD] = v;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get firstFlags(): number {
    return this.num[this.base + F_FIRSTFLAGS]!;
  }
  set firstFlags(v: number) {
    this.num[this.base + F_FIRSTFLAGS] = v;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get firstWindow(): number {
    return this.num[this.base + F_FIRSTWINDOW]!;
  }
  set firstWindow(v: number) {
    this.num[this.base + F_FIRSTWINDOW] = v;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get firstOptionsLen(): number {
    return this.num[this.base + F_FIRSTOPTIONSLEN]!;
  }
  set firstOptionsLen(v: number) {
    this.num[this.base + F_FIRSTOPTIONSLEN] = v;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get sawSyn(): boolean {
    return this.num[this.base + F_SAWSYN] !== 0;
  }
  set sawSyn(v: boolean) {
    this.num[this.base + F_SAWSYN] = v ? 1 : 0;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get synAck(): boolean {
    return this.num[this.base + F_SYNACK] !== 0;
  }
  set synAck(v: boolean) {
    this.num[this.base + F_SYNACK] = v ? 1 : 0;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get origAckedSynAck(): boolean {
    return this.num[this.base + F_ORIGACKEDSYNACK] !== 0;
  }
  set origAckedSynAck(v: boolean) {
    this.num[this.base + F_ORIGACKEDSYNACK] = v ? 1 : 0;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get origRst(): number {
    return this.num[this.base + F_ORIGRST]!;
  }
  set origRst(v: number) {
    this.num[this.base + F_ORIGRST] = v;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get respRst(): number {
    return this.num[this.base + F_RESPRST]!;
  }
  set respRst(v: number) {
    this.num[this.base + F_RESPRST] = v;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get origFin(): boolean {
    return this.num[this.base + F_ORIGFIN] !== 0;
  }
  set origFin(v: boolean) {
    this.num[this.base + F_ORIGFIN] = v ? 1 : 0;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get respFin(): boolean {
    return this.num[this.base + F_RESPFIN] !== 0;
  }
  set respFin(v: boolean) {
    this.num[this.base + F_RESPFIN] = v ? 1 : 0;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get rstTs(): number {
    return this.num[this.base + F_RSTTS]!;
  }
  set rstTs(v: number) {
    this.num[this.base + F_RSTTS] = v;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get rstFrame(): number {
    return this.num[this.base + F_RSTFRAME]!;
  }
  set rstFrame(v: number) {
    this.num[this.base + F_RSTFRAME] = v;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get rstByOrig(): boolean {
    return this.num[this.base + F_RSTBYORIG] !== 0;
  }
  set rstByOrig(v: boolean) {
    this.num[this.base + F_RSTBYORIG] = v ? 1 : 0;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get icmp(): number {
    return this.num[this.base + F_ICMP]!;
  }
  set icmp(v: number) {
    this.num[this.base + F_ICMP] = v;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get icmpFrame(): number {
    return this.num[this.base + F_ICMPFRAME]!;
  }
  set icmpFrame(v: number) {
    this.num[this.base + F_ICMPFRAME] = v;
  }
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  get closed(): boolean {
    return this.num[this.base + F_CLOSED] !== 0;
  }
  set closed(v: boolean) {
    this.num[this.base + F_CLOSED] = v ? 1 : 0;
  }

  /** The hosts' numbers (HostIds). */
  get origId(): number {
    return this.num[this.base + F_ORIGID]!;
  }
  set origId(v: number) {
    this.num[this.base + F_ORIGID] = v;
  }
  get respId(): number {
    return this.num[this.base + F_RESPID]!;
  }
  set respId(v: number) {
    this.num[this.base + F_RESPID] = v;
  }

  /** The first frames, as a list. */
  frames(): number[] {
    return this.frame2 !== 0 ? [this.frame0, this.frame1, this.frame2] : this.frame1 !== 0 ? [this.frame0, this.frame1] : [this.frame0];
  }

  /** Says whether the responder sent only RSTs (or nothing). */
  respOnlyRst(): boolean {
    return this.respPkts === this.respRst;
  }
}

/** Receives every connection when it ends. */
export type ConnectionSink = (c: Connection) => void;

/** The canonical key of the packet being looked up (the two endpoints in a fixed order), built in place. */
const KEY = new Uint32Array(KEY_WORDS);

/**
 * Fills KEY for a flow between (source words, port) and (destination words, port), putting the smaller
 * endpoint first so both directions give the same key. Returns true when the source came first.
 */
function makeKey(s0: number, s1: number, s2: number, s3: number, sp: number, d0: number, d1: number, d2: number, d3: number, dp: number, proto: number, v6: boolean): boolean {
  const tag = (v6 ? 0x100 : 0) | proto;
  let srcFirst = true;
  if (s0 !== d0) srcFirst = s0 < d0;
  else if (s1 !== d1) srcFirst = s1 < d1;
  else if (s2 !== d2) srcFirst = s2 < d2;
  else if (s3 !== d3) srcFirst = s3 < d3;
  else srcFirst = sp <= dp;
  if (srcFirst) {
    KEY[0] = s0; KEY[1] = s1; KEY[2] = s2; KEY[3] = s3; KEY[4] = (sp << 9) | tag;
    KEY[5] = d0; KEY[6] = d1; KEY[7] = d2; KEY[8] = d3; KEY[9] = (dp << 9) | tag;
  } else {
    KEY[0] = d0; KEY[1] = d1; KEY[2] = d2; KEY[3] = d3; KEY[4] = (dp << 9) | tag;
    KEY[5] = s0; KEY[6] = s1; KEY[7] = s2; KEY[8] = s3; KEY[9] = (sp << 9) | tag;
  }
  return srcFirst;
}

function word(d: Uint8Array, at: number): number {
  return ((d[at]! << 24) | (d[at + 1]! << 16) | (d[at + 2]! << 8) | d[at + 3]!) >>> 0;
}

/** Tracks live connections in one open-addressing index, keyed by the 5-tuple as ten 32-bit words. */
export class ConnectionTable {
  private readonly index = new FlowIndex();
  private readonly rows = new ConnectionRows();
  /** The cursor packets update through; `ended` is the one handed to the detectors. */
  private readonly c = new Connection(this.rows);
  private readonly ended = new Connection(this.rows);
  private lastSweep = -Infinity;
  /** Live connections. */
  size = 0;

  constructor(
    private readonly sink: ConnectionSink,
    readonly hosts: HostIds = new HostIds(),
  ) {}

  /** Updates (or opens) the connection a TCP or UDP packet belongs to; returns it. */
  update(o: Observation, ipBytes: number): Connection | undefined {
    if (!o.hasTransport || (o.proto !== PROTO_TCP && o.proto !== PROTO_UDP)) return undefined;
    if (o.ts - this.lastSweep >= SWEEP_EVERY_SECONDS) this.sweep(o.ts);
    const isTcp = o.proto === PROTO_TCP;
    const flags = isTcp ? o.tcpFlags : 0;
    let srcFirst: boolean;
    if (o.ipVersion === 4) srcFirst = makeKey(0, 0, 0, o.src4, o.srcPort, 0, 0, 0, o.dst4, o.dstPort, o.proto, false);
    else {
      const d = o.data;
      const s = o.src6At;
      const t = o.dst6At;
      srcFirst = makeKey(word(d, s), word(d, s + 4), word(d, s + 8), word(d, s + 12), o.srcPort, word(d, t), word(d, t + 4), word(d, t + 8), word(d, t + 12), o.dstPort, o.proto, true);
    }
    const index = this.index;
    let slot = index.find(KEY);
    let row = index.at(slot);
    const c = this.c;
    if (row >= 0 && this.startsAnew(c.at(row), flags)) {
      index.deleteAt(slot);
      this.end(row);
      row = -1;
      slot = index.find(KEY);
    }
    if (row < 0) {
      row = this.open(o, flags);
      c.at(row);
      this.rows.keys.set(KEY, row * KEY_WORDS);
      // open() made the sender the originator unless the packet was a SYN+ACK (then the receiver opened it).
      c.origFirst = c.flipped ? !srcFirst : srcFirst;
      index.insertAt(slot, KEY, row);
    } else c.at(row);
    const fromOrig = srcFirst === c.origFirst;
    c.last = o.ts;
    if (c.frame0 === 0) c.frame0 = o.frame;
    else if (c.frame1 === 0) c.frame1 = o.frame;
    else if (c.frame2 === 0) c.frame2 = o.frame;
    if (fromOrig) {
      if (c.origPkts === 0) {
        c.firstFlags = flags;
        c.firstWindow = o.tcpWindow;
        c.firstOptionsLen = o.tcpOptionsLen;
      }
      c.origPkts++;
      c.origIpBytes += ipBytes;
      c.origPayload += o.payloadLen;
    } else {
      c.respPkts++;
      c.respIpBytes += ipBytes;
      c.respPayload += o.payloadLen;
    }
    if (isTcp) this.track(c, flags, fromOrig, o);
    return c;
  }

  /** Marks the UDP or TCP connection an ICMP error quotes as answered by that error. */
  icmpError(o: Observation, portUnreachable: boolean): Connection | undefined {
    if (o.quotedProto !== PROTO_TCP && o.quotedProto !== PROTO_UDP) return undefined;
    let srcFirst: boolean;
    if (o.ipVersion === 4) {
      srcFirst = makeKey(0, 0, 0, o.quotedSrc4, o.quotedSrcPort, 0, 0, 0, o.quotedDst4, o.quotedDstPort, o.quotedProto, false);
    } else if (o.quotedSrc6At > 0) {
      const d = o.data;
      const s = o.quotedSrc6At;
      const t = o.quotedDst6At;
      srcFirst = makeKey(word(d, s), word(d, s + 4), word(d, s + 8), word(d, s + 12), o.quotedSrcPort, word(d, t), word(d, t + 4), word(d, t + 8), word(d, t + 12), o.quotedDstPort, o.quotedProto, true);
    } else return undefined;
    const row = this.index.at(this.index.find(KEY));
    if (row < 0) return undefined;
    const c = this.c.at(row);
    if (c.icmp !== ICMP_NONE) return c;
    // Only an error about the originator's packet answers the originator.
    if (srcFirst !== c.origFirst) return c;
    c.icmp = portUnreachable ? ICMP_PORT_UNREACHABLE : ICMP_OTHER_ERROR;
    c.icmpFrame = o.frame;
    return c;
  }

  /** Ends every connection idle long enough at capture time `now`. */
  sweep(now: number): void {
    this.lastSweep = now;
    // Collect first: deleting from the open-addressing index moves entries between slots.
    const cursor = this.c;
    const done = this.index.collect((row) => idle(cursor.at(row), now));
    for (const row of done) {
      this.index.deleteAt(this.index.find(this.rows.keys, row * KEY_WORDS));
      this.end(row);
    }
  }

  /** Ends every live connection (at the end of the capture). */
  flush(): void {
    this.sweep(Infinity);
  }

  private startsAnew(c: Connection, flags: number): boolean {
    // A fresh SYN on a 5-tuple whose connection was closed opens a new connection, as in Zeek.
    return c.closed && (flags & (TCP_SYN | TCP_ACK)) === TCP_SYN;
  }

  private open(o: Observation, flags: number): number {
    const row = this.rows.alloc();
    const c = this.c.at(row);
    // A SYN+ACK first means we missed the SYN: the receiver opened the connection.
    const flip = o.proto === PROTO_TCP && (flags & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK);
    c.proto = o.proto;
    c.v6 = o.ipVersion === 6;
    c.flipped = flip;
    const src = c.v6 ? ip6TextCached(o.data, o.src6At) : ip4TextCached(o.src4);
    const dst = c.v6 ? ip6TextCached(o.data, o.dst6At) : ip4TextCached(o.dst4);
    c.orig = flip ? dst : src;
    c.resp = flip ? src : dst;
    c.origId = c.v6 ? this.hosts.id(c.orig) : this.hosts.id4(c.orig4, c.orig);
    c.respId = c.v6 ? this.hosts.id(c.resp) : this.hosts.id4(c.resp4, c.resp);
    c.origPort = flip ? o.dstPort : o.srcPort;
    c.orig4 = flip ? o.dst4 : o.src4;
    c.resp4 = flip ? o.src4 : o.dst4;
    c.respIsGroup = c.v6 ? c.resp.startsWith('ff') : c.resp4 >>> 28 === 14 || c.resp4 === 0xffffffff || (c.resp4 & 0xff) === 0xff;
    c.respPort = flip ? o.srcPort : o.dstPort;
    c.start = o.ts;
    c.last = o.ts;
    this.size++;
    return row;
  }

  private track(c: Connection, flags: number, fromOrig: boolean, o: Observation): void {
    if (flags & TCP_SYN) {
      if (flags & TCP_ACK) {
        if (!fromOrig) c.synAck = true;
      } else if (fromOrig && (flags & (TCP_FIN | TCP_RST)) === 0) c.sawSyn = true;
    } else if (fromOrig && c.synAck && flags & TCP_ACK && !(flags & TCP_RST)) c.origAckedSynAck = true;
    if (flags & TCP_FIN) {
      if (fromOrig) c.origFin = true;
      else c.respFin = true;
      if (c.origFin && c.respFin) c.closed = true;
    }
    if (flags & TCP_RST) {
      if (fromOrig) c.origRst++;
      else c.respRst++;
      if (c.rstFrame === 0) {
        c.rstFrame = o.frame;
        c.rstTs = o.ts;
        c.rstByOrig = fromOrig;
      }
      c.closed = true;
    }
  }

  private end(row: number): void {
    this.size--;
    this.sink(this.ended.at(row));
    // Detectors copy what they keep: the row can serve the next connection.
    this.rows.release(row);
  }
}

function idle(c: Connection, now: number): boolean {
  const quiet = now - c.last;
  if (c.closed) return quiet > CLOSED_LINGER_SECONDS;
  return quiet > (c.proto === PROTO_UDP ? UDP_INACTIVITY_SECONDS : TCP_INACTIVITY_SECONDS);
}

/**
 * An open-addressing hash table (linear probing, backward-shift deletion) from a 5-tuple key (ten 32-bit
 * words: each endpoint's address as four words, then port << 9 | family << 8 | protocol) to its
 * connection. Keys live in one typed array, so a lookup allocates nothing: the per-packet path makes no
 * garbage (a Map would need a string or a boxed number built for every packet).
 */
export class FlowIndex {
  private capacity = 1 << 12;
  private keys = new Uint32Array(this.capacity * KEY_WORDS);
  /** The row of each slot, or -1 when the slot is empty. */
  private values = new Int32Array(this.capacity).fill(-1);
  size = 0;

  /** The slot holding the key at `key[k..k+10)`, or the empty slot where it would go. */
  find(key: Uint32Array, k = 0): number {
    const mask = this.capacity - 1;
    const keys = this.keys;
    const values = this.values;
    let i = hashKey(key, k) & mask;
    for (;;) {
      if (values[i]! < 0) return i;
      const at = i * KEY_WORDS;
      if (
        keys[at + 3] === key[k + 3] && keys[at + 8] === key[k + 8] && keys[at + 4] === key[k + 4] && keys[at + 9] === key[k + 9] &&
        keys[at] === key[k] && keys[at + 1] === key[k + 1] && keys[at + 2] === key[k + 2] &&
        keys[at + 5] === key[k + 5] && keys[at + 6] === key[k + 6] && keys[at + 7] === key[k + 7]
      ) return i;
      i = (i + 1) & mask;
    }
  }

  /** The row in a slot, or -1. */
  at(slot: number): number {
    return this.values[slot]!;
  }

  /** Stores a row in the empty slot `find` returned for this key. */
  insertAt(slot: number, key: Uint32Array, row: number): void {
    this.keys.set(key, slot * KEY_WORDS);
    this.values[slot] = row;
    this.size++;
    if (this.size * 2 > this.capacity) this.grow();
  }

  /** Empties a slot, shifting later entries of the same probe run back so lookups still find them. */
  deleteAt(slot: number): void {
    if (this.values[slot]! < 0) return;
    const mask = this.capacity - 1;
    const keys = this.keys;
    this.values[slot] = -1;
    this.size--;
    let hole = slot;
    let j = slot;
    for (;;) {
      j = (j + 1) & mask;
      if (this.values[j]! < 0) return;
      const home = hashKey(keys, j * KEY_WORDS) & mask;
      // Move j into the hole unless its home lies cyclically within (hole, j].
      const stays = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (stays) continue;
      keys.copyWithin(hole * KEY_WORDS, j * KEY_WORDS, j * KEY_WORDS + KEY_WORDS);
      this.values[hole] = this.values[j]!;
      this.values[j] = -1;
      hole = j;
    }
  }

  /** The rows a test picks out. */
  collect(pick: (row: number) => boolean): number[] {
    const out: number[] = [];
    const values = this.values;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v >= 0 && pick(v)) out.push(v);
    }
    return out;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    this.capacity *= 2;
    this.keys = new Uint32Array(this.capacity * KEY_WORDS);
    this.values = new Int32Array(this.capacity).fill(-1);
    const mask = this.capacity - 1;
    for (let i = 0; i < oldValues.length; i++) {
      const v = oldValues[i]!;
      if (v < 0) continue;
      let j = hashKey(oldKeys, i * KEY_WORDS) & mask;
      while (this.values[j]! >= 0) j = (j + 1) & mask;
      this.keys.set(oldKeys.subarray(i * KEY_WORDS, i * KEY_WORDS + KEY_WORDS), j * KEY_WORDS);
      this.values[j] = v;
    }
  }
}

function hashKey(k: Uint32Array, at: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < KEY_WORDS; i++) h = Math.imul(h ^ k[at + i]!, 0x01000193) ^ (h >>> 15);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}
