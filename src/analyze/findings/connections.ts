/**
 * The findings' connection tracker: one record per TCP or UDP 5-tuple, with the few facts the detectors
 * judge a connection by (who opened it, what the first packet looked like, who answered and how, bytes
 * and packets each way). Connections end on inactivity, as Zeek ends them (TCP 5 min, UDP 1 min, 5 s
 * after a close), and are handed to the detectors then and forgotten, so memory holds only live ones.
 */
import {
  ip4Text,
  ip6Key,
  ip6Text,
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
export const SWEEP_EVERY_SECONDS = 10;
/** Evidence frames kept per connection. */
export const FRAMES_PER_CONNECTION = 3;

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
  /** The originator's address as a number (IPv4) or a key (IPv6), to tell directions apart cheaply. */
  orig4 = 0;
  origKey = '';
  proto = 0;
  v6 = false;
  start = 0;
  last = 0;
  frames: number[] = [];
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

  /** Says whether the responder sent only RSTs (or nothing). */
  respOnlyRst(): boolean {
    return this.respPkts === this.respRst;
  }
}

/** Receives every connection when it ends. */
export type ConnectionSink = (c: Connection) => void;

/** Tracks live connections; IPv4 ones under numeric keys (no strings per packet), IPv6 ones under text keys. */
export class ConnectionTable {
  /** proto -> lower endpoint -> higher endpoint -> connection; an endpoint is address * 65536 + port. */
  private readonly v4 = new Map<number, Map<number, Map<number, Connection>>>();
  private readonly v6 = new Map<string, Connection>();
  private lastSweep = -Infinity;
  /** Live connections. */
  size = 0;

  constructor(private readonly sink: ConnectionSink) {}

  /** Updates (or opens) the connection a TCP or UDP packet belongs to; returns it. */
  update(o: Observation, ipBytes: number): Connection | undefined {
    if (!o.hasTransport || (o.proto !== PROTO_TCP && o.proto !== PROTO_UDP)) return undefined;
    if (o.ts - this.lastSweep >= SWEEP_EVERY_SECONDS) this.sweep(o.ts);
    const isTcp = o.proto === PROTO_TCP;
    const flags = isTcp ? o.tcpFlags : 0;
    let c: Connection | undefined;
    let fromOrig: boolean;
    if (o.ipVersion === 4) {
      const a = o.src4 * 65536 + o.srcPort;
      const b = o.dst4 * 65536 + o.dstPort;
      const lo = a < b ? a : b;
      const hi = a < b ? b : a;
      let byLo = this.v4.get(o.proto);
      if (byLo === undefined) this.v4.set(o.proto, (byLo = new Map()));
      let byHi = byLo.get(lo);
      c = byHi?.get(hi);
      if (c !== undefined && this.startsAnew(c, flags)) {
        byHi!.delete(hi);
        this.end(c);
        c = undefined;
      }
      if (c === undefined) {
        c = this.open(o, flags);
        if (byHi === undefined) byLo.set(lo, (byHi = new Map()));
        byHi.set(hi, c);
      }
      fromOrig = c.orig4 === o.src4 && c.origPort === o.srcPort;
    } else {
      const sk = ip6Key(o.data, o.src6At);
      const dk = ip6Key(o.data, o.dst6At);
      const a = `${sk}.${o.srcPort}`;
      const b = `${dk}.${o.dstPort}`;
      const key = a < b ? `${o.proto}|${a}|${b}` : `${o.proto}|${b}|${a}`;
      c = this.v6.get(key);
      if (c !== undefined && this.startsAnew(c, flags)) {
        this.v6.delete(key);
        this.end(c);
        c = undefined;
      }
      if (c === undefined) {
        c = this.open(o, flags);
        c.origKey = c.orig === ip6Text(o.data, o.src6At) ? sk : dk;
        this.v6.set(key, c);
      }
      fromOrig = c.origKey === sk && c.origPort === o.srcPort;
    }
    c.last = o.ts;
    if (c.frames.length < FRAMES_PER_CONNECTION) c.frames.push(o.frame);
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
    let c: Connection | undefined;
    if (o.ipVersion === 4) {
      const a = o.quotedSrc4 * 65536 + o.quotedSrcPort;
      const b = o.quotedDst4 * 65536 + o.quotedDstPort;
      c = this.v4.get(o.quotedProto)?.get(a < b ? a : b)?.get(a < b ? b : a);
    } else if (o.quotedSrc6At > 0) {
      const a = `${ip6Key(o.data, o.quotedSrc6At)}.${o.quotedSrcPort}`;
      const b = `${ip6Key(o.data, o.quotedDst6At)}.${o.quotedDstPort}`;
      c = this.v6.get(a < b ? `${o.quotedProto}|${a}|${b}` : `${o.quotedProto}|${b}|${a}`);
    }
    if (c === undefined || c.icmp !== ICMP_NONE) return c;
    // Only an error about the originator's packet answers the originator.
    const aboutOrig = o.ipVersion === 4 ? o.quotedSrc4 === c.orig4 && o.quotedSrcPort === c.origPort : o.quotedSrcPort === c.origPort && ip6Key(o.data, o.quotedSrc6At) === c.origKey;
    if (!aboutOrig) return c;
    c.icmp = portUnreachable ? ICMP_PORT_UNREACHABLE : ICMP_OTHER_ERROR;
    c.icmpFrame = o.frame;
    return c;
  }

  /** Ends every connection idle long enough at capture time `now`. */
  sweep(now: number): void {
    this.lastSweep = now;
    for (const byLo of this.v4.values()) {
      for (const [lo, byHi] of byLo) {
        for (const [hi, c] of byHi) {
          if (idle(c, now)) {
            byHi.delete(hi);
            this.end(c);
          }
        }
        if (byHi.size === 0) byLo.delete(lo);
      }
    }
    for (const [key, c] of this.v6) {
      if (idle(c, now)) {
        this.v6.delete(key);
        this.end(c);
      }
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
    const c = new Connection();
    // A SYN+ACK first means we missed the SYN: the receiver opened the connection.
    const flip = o.proto === PROTO_TCP && (flags & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK);
    c.proto = o.proto;
    c.v6 = o.ipVersion === 6;
    const src = c.v6 ? ip6Text(o.data, o.src6At) : ip4Text(o.src4);
    const dst = c.v6 ? ip6Text(o.data, o.dst6At) : ip4Text(o.dst4);
    c.orig = flip ? dst : src;
    c.resp = flip ? src : dst;
    c.origPort = flip ? o.dstPort : o.srcPort;
    c.orig4 = flip ? o.dst4 : o.src4;
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
  }
}

function idle(c: Connection, now: number): boolean {
  const quiet = now - c.last;
  if (c.closed) return quiet > CLOSED_LINGER_SECONDS;
  return quiet > (c.proto === PROTO_UDP ? UDP_INACTIVITY_SECONDS : TCP_INACTIVITY_SECONDS);
}
