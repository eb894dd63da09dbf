/**
 * The findings' connection tracker: one record per TCP or UDP 5-tuple, with the few facts the detectors
 * judge a connection by (who opened it, what the first packet looked like, who answered and how, bytes
 * and packets each way). Connections end on inactivity, as Zeek ends them (TCP 5 min, UDP 1 min, 5 s
 * after a close), and are handed to the detectors then and forgotten, so memory holds only live ones.
 */
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

/** Ended connections kept for reuse. */
export const MAX_POOLED = 1 << 16;

/** How an ICMP error answered a connection's originator. */
export const ICMP_NONE = 0;
export const ICMP_PORT_UNREACHABLE = 1;
export const ICMP_OTHER_ERROR = 2;

/** One connection, as the detectors see it when it ends. */
export class Connection {
  /** Originator (`orig`) and responder (`resp`) addresses as text. */
  orig = '';
  resp = '';
  origPort = 0;
  respPort = 0;
  /** The addresses as numbers (IPv4; 0 for IPv6). */
  orig4 = 0;
  resp4 = 0;
  /** The connection's key in the index, and whether the originator is its first endpoint. */
  readonly key = new Uint32Array(KEY_WORDS);
  origFirst = true;
  /** open() took the receiver of the first packet as originator (it was a SYN+ACK). */
  flipped = false;
  /** The responder is a multicast or broadcast address (nobody in particular is expected to answer). */
  respIsGroup = false;
  proto = 0;
  v6 = false;
  start = 0;
  last = 0;
  /** The first frames of the connection (0 when there were fewer): kept as fields, not an array per connection. */
  frame0 = 0;
  frame1 = 0;
  frame2 = 0;
  origPkts = 0;
  respPkts = 0;
  /** IP bytes (header included), as Zeek's orig_ip_bytes / resp_ip_bytes. */
  origIpBytes = 0;
  respIpBytes = 0;
  origPayload = 0;
  respPayload = 0;
  /** TCP flags of the originator's first packet. */
  firstFlags = 0;
  /** The window and options length of the originator's first packet (a probe's fingerprint). */
  firstWindow = 0;
  firstOptionsLen = 0;
  sawSyn = false;
  synAck = false;
  /** The originator acknowledged the SYN+ACK (the handshake completed). */
  origAckedSynAck = false;
  origRst = 0;
  respRst = 0;
  origFin = false;
  respFin = false;
  /** Time and frame of the first RST, and whether the originator sent it. */
  rstTs = 0;
  rstFrame = 0;
  rstByOrig = false;
  icmp = ICMP_NONE;
  icmpFrame = 0;
  /** Set when both FINs or a RST were seen: the connection lingers only briefly after. */
  closed = false;

  /** Clears every field, for reuse: the table recycles connections instead of allocating one each. */
  reset(): void {
    this.orig = '';
    this.resp = '';
    this.origPort = 0;
    this.respPort = 0;
    this.orig4 = 0;
    this.resp4 = 0;
    this.origFirst = true;
    this.flipped = false;
    this.respIsGroup = false;
    this.proto = 0;
    this.v6 = false;
    this.start = 0;
    this.last = 0;
    this.frame0 = 0;
    this.frame1 = 0;
    this.frame2 = 0;
    this.origPkts = 0;
    this.respPkts = 0;
    this.origIpBytes = 0;
    this.respIpBytes = 0;
    this.origPayload = 0;
    this.respPayload = 0;
    this.firstFlags = 0;
    this.firstWindow = 0;
    this.firstOptionsLen = 0;
    this.sawSyn = false;
    this.synAck = false;
    this.origAckedSynAck = false;
    this.origRst = 0;
    this.respRst = 0;
    this.origFin = false;
    this.respFin = false;
    this.rstTs = 0;
    this.rstFrame = 0;
    this.rstByOrig = false;
    this.icmp = ICMP_NONE;
    this.icmpFrame = 0;
    this.closed = false;
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
  private lastSweep = -Infinity;
  /** Ended connections, reused by the next ones (objects that would otherwise pile up in the old generation). */
  private readonly pool: Connection[] = [];
  /** Live connections. */
  size = 0;

  constructor(private readonly sink: ConnectionSink) {}

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
    let c = index.at(slot);
    if (c !== undefined && this.startsAnew(c, flags)) {
      index.deleteAt(slot);
      this.end(c);
      c = undefined;
      slot = index.find(KEY);
    }
    if (c === undefined) {
      c = this.open(o, flags);
      c.key.set(KEY);
      // open() made the sender the originator unless the packet was a SYN+ACK (then the receiver opened it).
      c.origFirst = c.flipped ? !srcFirst : srcFirst;
      index.insertAt(slot, KEY, c);
    }
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
    const c = this.index.at(this.index.find(KEY));
    if (c === undefined || c.icmp !== ICMP_NONE) return c;
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
    const done = this.index.collect((c) => idle(c, now));
    for (const c of done) {
      this.index.deleteAt(this.index.find(c.key));
      this.end(c);
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

  private open(o: Observation, flags: number): Connection {
    const c = this.pool.pop() ?? new Connection();
    c.reset();
    // A SYN+ACK first means we missed the SYN: the receiver opened the connection.
    const flip = o.proto === PROTO_TCP && (flags & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK);
    c.proto = o.proto;
    c.v6 = o.ipVersion === 6;
    c.flipped = flip;
    const src = c.v6 ? ip6TextCached(o.data, o.src6At) : ip4TextCached(o.src4);
    const dst = c.v6 ? ip6TextCached(o.data, o.dst6At) : ip4TextCached(o.dst4);
    c.orig = flip ? dst : src;
    c.resp = flip ? src : dst;
    c.origPort = flip ? o.dstPort : o.srcPort;
    c.orig4 = flip ? o.dst4 : o.src4;
    c.resp4 = flip ? o.src4 : o.dst4;
    c.respIsGroup = c.v6 ? c.resp.startsWith('ff') : c.resp4 >>> 28 === 14 || c.resp4 === 0xffffffff || (c.resp4 & 0xff) === 0xff;
    c.respPort = flip ? o.srcPort : o.dstPort;
    c.start = o.ts;
    c.last = o.ts;
    this.size++;
    return c;
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

  private end(c: Connection): void {
    this.size--;
    this.sink(c);
    // Detectors copy what they keep: the object can serve the next connection.
    if (this.pool.length < MAX_POOLED) this.pool.push(c);
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
  private values: (Connection | undefined)[] = new Array<Connection | undefined>(this.capacity).fill(undefined);
  size = 0;

  /** The slot holding this key, or the empty slot where it would go. */
  find(key: Uint32Array): number {
    const mask = this.capacity - 1;
    const keys = this.keys;
    let i = hashKey(key) & mask;
    for (;;) {
      if (this.values[i] === undefined) return i;
      const at = i * KEY_WORDS;
      if (
        keys[at + 3] === key[3] && keys[at + 8] === key[8] && keys[at + 4] === key[4] && keys[at + 9] === key[9] &&
        keys[at] === key[0] && keys[at + 1] === key[1] && keys[at + 2] === key[2] &&
        keys[at + 5] === key[5] && keys[at + 6] === key[6] && keys[at + 7] === key[7]
      ) return i;
      i = (i + 1) & mask;
    }
  }

  at(slot: number): Connection | undefined {
    return this.values[slot];
  }

  /** Stores a connection in the empty slot `find` returned for this key. */
  insertAt(slot: number, key: Uint32Array, c: Connection): void {
    this.keys.set(key, slot * KEY_WORDS);
    this.values[slot] = c;
    this.size++;
    if (this.size * 2 > this.capacity) this.grow();
  }

  /** Empties a slot, shifting later entries of the same probe run back so lookups still find them. */
  deleteAt(slot: number): void {
    if (this.values[slot] === undefined) return;
    const mask = this.capacity - 1;
    const keys = this.keys;
    this.values[slot] = undefined;
    this.size--;
    let hole = slot;
    let j = slot;
    for (;;) {
      j = (j + 1) & mask;
      if (this.values[j] === undefined) return;
      const home = hashKey(keys.subarray(j * KEY_WORDS, j * KEY_WORDS + KEY_WORDS)) & mask;
      // Move j into the hole unless its home lies cyclically within (hole, j].
      const stays = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (stays) continue;
      keys.copyWithin(hole * KEY_WORDS, j * KEY_WORDS, j * KEY_WORDS + KEY_WORDS);
      this.values[hole] = this.values[j];
      this.values[j] = undefined;
      hole = j;
    }
  }

  /** The connections a test picks out. */
  collect(pick: (c: Connection) => boolean): Connection[] {
    const out: Connection[] = [];
    const values = this.values;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (v !== undefined && pick(v)) out.push(v);
    }
    return out;
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    this.capacity *= 2;
    this.keys = new Uint32Array(this.capacity * KEY_WORDS);
    this.values = new Array<Connection | undefined>(this.capacity).fill(undefined);
    const mask = this.capacity - 1;
    for (let i = 0; i < oldValues.length; i++) {
      const v = oldValues[i];
      if (v === undefined) continue;
      const key = oldKeys.subarray(i * KEY_WORDS, i * KEY_WORDS + KEY_WORDS);
      let j = hashKey(key) & mask;
      while (this.values[j] !== undefined) j = (j + 1) & mask;
      this.keys.set(key, j * KEY_WORDS);
      this.values[j] = v;
    }
  }
}

function hashKey(k: Uint32Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < KEY_WORDS; i++) h = Math.imul(h ^ k[i]!, 0x01000193) ^ (h >>> 15);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}
