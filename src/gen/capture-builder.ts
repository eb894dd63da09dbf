/**
 * Builds whole captures for tests and samples: packets with explicit timestamps, framed for one link
 * type, with helpers for the exchanges analysts look for (TCP connections and their outcomes, DNS, NTP,
 * ICMP echo and errors, ARP). Deterministic: every random choice comes from the builder's seeded `rng`.
 *
 *   const cap = new CaptureBuilder({ linkType: 1 });
 *   const c = cap.tcpOpen({ t: 1700000000, client: '10.0.0.2', cport: 50000, server: '10.0.0.1', sport: 80 });
 *   c.exchange(httpRequest({ host: 'x' }), httpResponse({ body: 100 }));
 *   c.close();
 *   fs.writeFileSync('x.pcap', cap.toPcap());
 *
 * Times are Unix seconds as numbers, kept to the microsecond.
 */
import { LINKTYPE_ETHERNET } from '../capture/link-types.js';
import { pcapBytes, type TimestampPrecision } from '../capture/pcap-writer.js';
import { PcapngWriter } from '../capture/pcapng-writer.js';
import { ipv4Text, ipv6Text, isIpv6, macForIp } from './addr.js';
import { ARPOP_REPLY, ARPOP_REQUEST } from '../wire/arp.js';
import { ETHERTYPE_ARP } from '../wire/ethernet.js';
import { arpPacket } from './arp.js';
import { dnsMessage, dnsTypeNumber, DNS_RCODE_NOERROR, type DnsRecord, type DnsType } from './dns.js';
import { BROADCAST_MAC } from './ethernet.js';
import { icmpEcho, icmpUnreachable, ICMP_UNREACH_PORT } from './icmp.js';
import { icmp6Echo, icmp6Unreachable } from './icmp6.js';
import { ipv4Packet, type Ipv4Spec } from './ipv4.js';
import { ipv6Packet, type Ipv6Spec } from './ipv6.js';
import { frameFor, type LinkOptions } from './link.js';
import { ntpClientRequest, ntpServerReply } from './ntp.js';
import { Random } from './random.js';
import { tcpSegment, type TcpSpec } from './tcp.js';
import { TcpConnection, type TcpConnectionSpec } from './tcp-connection.js';
import type { IpPayload } from './transport.js';
import { udpDatagram } from './udp.js';

/** A Unix time in seconds (fractional, microsecond resolution). */
export type Time = number;

/** One record of a built capture. */
export interface BuiltRecord {
  data: Buffer;
  tsSec: number;
  tsNsec: number;
  wirelen: number;
}

export interface CaptureBuilderOptions {
  /** LINKTYPE_* of every frame (default Ethernet). */
  linkType?: number;
  /** Snapshot length in the header; records longer than it are cut to it (default 262144). */
  snaplen?: number;
  /** Seed of `rng` (default 1). */
  seed?: number | string;
  /** The MAC address frames use for an IP address (default: macForIp, 02:04:a.b.c.d). */
  macOf?: (ip: string) => string;
  /** Link options applied to every frame unless a call overrides them (e.g. a VLAN tag). */
  link?: LinkOptions;
  /**
   * Says whether an address is the capturing host (for SLL's In/Out direction): frames from it are
   * SLL_OUTGOING. Default: none.
   */
  isLocal?: (ip: string) => boolean;
}

/** Options every packet-level helper accepts: IP header fields and link framing. */
export interface PacketOptions {
  ttl?: number;
  /** IPv4 id (default: 0). */
  id?: number;
  df?: boolean;
  tos?: number;
  /** IPv6 flow label. */
  flowLabel?: number;
  link?: LinkOptions;
}

/** Converts a Time to whole seconds and nanoseconds, rounding to the microsecond. */
export function splitTime(t: Time): { sec: number; nsec: number } {
  let sec = Math.floor(t);
  let usec = Math.round((t - sec) * 1e6);
  if (usec >= 1e6) {
    sec += 1;
    usec -= 1e6;
  }
  return { sec, nsec: usec * 1000 };
}

export class CaptureBuilder {
  readonly linkType: number;
  readonly snaplen: number;
  readonly rng: Random;
  readonly records: BuiltRecord[] = [];
  private readonly macOf: (ip: string) => string;
  private readonly defaults: LinkOptions;
  private readonly isLocal: (ip: string) => boolean;

  constructor(options: CaptureBuilderOptions = {}) {
    this.linkType = options.linkType ?? LINKTYPE_ETHERNET;
    this.snaplen = options.snaplen ?? 262144;
    this.rng = new Random(options.seed ?? 1);
    this.macOf = options.macOf ?? macForIp;
    this.defaults = options.link ?? {};
    this.isLocal = options.isLocal ?? (() => false);
  }

  /** Adds a ready link-layer frame (cut to the snaplen; wirelen defaults to its full length). */
  frame(data: Uint8Array, t: Time, wirelen = data.length): this {
    const { sec, nsec } = splitTime(t);
    const cut = data.length > this.snaplen ? data.subarray(0, this.snaplen) : data;
    this.records.push({ data: Buffer.from(cut), tsSec: sec, tsNsec: nsec, wirelen });
    return this;
  }

  /** Frames an IP packet for the link type (MACs from the addresses inside it) and adds it. */
  ipPacket(packet: Buffer, t: Time, link: LinkOptions = {}): this {
    const v6 = packet[0]! >> 4 === 6;
    const src = v6 ? ipText6(packet, 8) : ipText4(packet, 12);
    const dst = v6 ? ipText6(packet, 24) : ipText4(packet, 16);
    const o = { ...this.defaults, ...link };
    const srcMac = o.srcMac ?? this.macOf(src);
    const dstMac = o.dstMac ?? this.macOf(dst);
    const sllPacketType = o.sllPacketType ?? (this.isLocal(src) ? 4 : 0);
    return this.frame(frameFor(this.linkType, packet, { ...o, srcMac, dstMac, sllPacketType }), t);
  }

  /** Builds and adds an IPv4 or IPv6 packet (by the source address) carrying payload. */
  ip(t: Time, src: string, dst: string, payload: IpPayload, opts: PacketOptions & { protocol?: number } = {}): Buffer {
    const packet = isIpv6(src) ? ipv6Packet(this.v6Spec(src, dst, opts), payload) : ipv4Packet(this.v4Spec(src, dst, opts), payload);
    this.ipPacket(packet, t, opts.link);
    return packet;
  }

  /** Adds a TCP segment; returns the IP packet. */
  tcp(t: Time, src: string, dst: string, spec: TcpSpec, opts: PacketOptions = {}): Buffer {
    return this.ip(t, src, dst, tcpSegment(spec), opts);
  }

  /** Adds a UDP datagram; returns the IP packet. */
  udp(t: Time, src: string, sport: number, dst: string, dport: number, payload: Uint8Array = new Uint8Array(0), opts: PacketOptions = {}): Buffer {
    return this.ip(t, src, dst, udpDatagram({ sport, dport, payload }), opts);
  }

  /** Adds an echo request and (when rtt is not null) its reply; ICMP or ICMPv6 by the address family. */
  ping(t: Time, src: string, dst: string, id: number, seq: number, rtt: number | null = 0.001, data: Uint8Array = pingData(), opts: PacketOptions = {}): number {
    const v6 = isIpv6(src);
    this.ip(t, src, dst, v6 ? icmp6Echo(false, id, seq, data) : icmpEcho(false, id, seq, data), { df: true, ...opts });
    if (rtt === null) return 1;
    this.ip(t + rtt, dst, src, v6 ? icmp6Echo(true, id, seq, data) : icmpEcho(true, id, seq, data), opts);
    return 2;
  }

  /** Adds an ICMP (or ICMPv6) port unreachable from `from` quoting `original` (an IP packet) back to its sender. */
  portUnreachable(t: Time, from: string, original: Buffer, opts: PacketOptions = {}): Buffer {
    const v6 = original[0]! >> 4 === 6;
    const to = v6 ? ipText6(original, 8) : ipText4(original, 12);
    return this.ip(t, from, to, v6 ? icmp6Unreachable(original) : icmpUnreachable(original, ICMP_UNREACH_PORT), opts);
  }

  /** Adds an ARP request (broadcast) and, when replyAfter is not null, the reply. Ethernet-style links only. */
  arp(t: Time, senderIp: string, targetIp: string, replyAfter: number | null = 0.0002, link: LinkOptions = {}): number {
    const senderMac = link.srcMac ?? this.macOf(senderIp);
    const targetMac = this.macOf(targetIp);
    const req = arpPacket({ op: ARPOP_REQUEST, senderMac, senderIp, targetIp });
    this.frame(frameFor(this.linkType, req, { ...this.defaults, ...link, srcMac: senderMac, dstMac: BROADCAST_MAC, padTo: 60 }, ETHERTYPE_ARP), t);
    if (replyAfter === null) return 1;
    const rep = arpPacket({ op: ARPOP_REPLY, senderMac: targetMac, senderIp: targetIp, targetMac: senderMac, targetIp: senderIp });
    this.frame(frameFor(this.linkType, rep, { ...this.defaults, ...link, srcMac: targetMac, dstMac: senderMac, padTo: 60 }, ETHERTYPE_ARP), t + replyAfter);
    return 2;
  }

  /**
   * Adds a DNS query over UDP and, unless rtt is null, its response with the given answers and rcode.
   * Returns the number of packets added.
   */
  dns(q: {
    t: Time;
    client: string;
    cport: number;
    server: string;
    id: number;
    name: string;
    type?: DnsType;
    answers?: readonly DnsRecord[];
    authority?: readonly DnsRecord[];
    rcode?: number;
    rtt?: number | null;
  }): number {
    const type = dnsTypeNumber(q.type ?? 'A');
    const query = dnsMessage({ id: q.id, questions: [{ name: q.name, type }] });
    this.udp(q.t, q.client, q.cport, q.server, 53, query);
    if (q.rtt === null) return 1;
    const response = dnsMessage({
      id: q.id, qr: true, rcode: q.rcode ?? DNS_RCODE_NOERROR, questions: [{ name: q.name, type }],
      answers: q.answers ?? [], authority: q.authority ?? [],
    });
    this.udp(q.t + (q.rtt ?? 0.012), q.server, 53, q.client, q.cport, response);
    return 2;
  }

  /** Adds an NTP client request and, unless rtt is null, the server's reply. Returns packets added. */
  ntp(t: Time, client: string, cport: number, server: string, rtt: number | null = 0.02, stratum = 2): number {
    this.udp(t, client, cport, server, 123, ntpClientRequest(t));
    if (rtt === null) return 1;
    this.udp(t + rtt, server, 123, client, cport, ntpServerReply(t, t + rtt / 2, t + rtt / 2 + 0.00003, stratum, stratum === 1 ? 'GPS' : '192.0.2.123'));
    return 2;
  }

  /** Opens a TCP connection with a full handshake (SYN, SYN/ACK, ACK) and returns it for data and close. */
  tcpOpen(spec: TcpConnectionSpec): TcpConnection {
    const c = new TcpConnection(this, spec);
    c.handshake();
    return c;
  }

  /** Same as tcpOpen: a connection that completed its three-way handshake. */
  tcpHandshake(spec: TcpConnectionSpec): TcpConnection {
    return this.tcpOpen(spec);
  }

  /** SYN and SYN/ACK, and no final ACK (a half-open connection). Returns the connection (not established). */
  tcpHalfOpen(spec: TcpConnectionSpec): TcpConnection {
    const c = new TcpConnection(this, spec);
    c.syn();
    c.synAck();
    return c;
  }

  /** A SYN refused with RST/ACK (a closed port). */
  tcpRejected(spec: TcpConnectionSpec): TcpConnection {
    const c = new TcpConnection(this, spec);
    c.syn();
    c.refuse();
    return c;
  }

  /** A SYN nobody answers, retransmitted `retries` times with doubling timeouts (1 s, 2 s, 4 s...). */
  tcpUnanswered(spec: TcpConnectionSpec, retries = 0): TcpConnection {
    const c = new TcpConnection(this, spec);
    c.syn();
    for (let i = 0, wait = 1; i < retries; i++, wait *= 2) {
      c.t += wait;
      c.syn(true);
    }
    return c;
  }

  /** Records sorted by time (stable: equal times keep the order they were added in). */
  sorted(): BuiltRecord[] {
    return this.records
      .map((r, i) => ({ r, i }))
      .sort((a, b) => a.r.tsSec - b.r.tsSec || a.r.tsNsec - b.r.tsNsec || a.i - b.i)
      .map((x) => x.r);
  }

  /** Returns the capture as a pcap file (records in time order unless sort is false). */
  toPcap(opts: { precision?: TimestampPrecision; sort?: boolean } = {}): Buffer {
    const recs = opts.sort === false ? this.records : this.sorted();
    return pcapBytes(
      recs.map((r) => ({ data: r.data, tsSec: r.tsSec, tsNsec: r.tsNsec, wirelen: r.wirelen })),
      { linkType: this.linkType, snaplen: this.snaplen, precision: opts.precision ?? 'micro' },
    );
  }

  /** Returns the capture as a pcapng file with one interface. */
  toPcapng(opts: { tsresol?: number; name?: string; sort?: boolean } = {}): Buffer {
    const w = new PcapngWriter();
    const ifId = w.addInterface({ linkType: this.linkType, snaplen: this.snaplen, tsresol: opts.tsresol ?? 6, ...(opts.name ? { name: opts.name } : {}) });
    for (const r of opts.sort === false ? this.records : this.sorted()) w.writePacket(ifId, r.data, r.tsSec, r.tsNsec, r.wirelen);
    return w.toBuffer();
  }

  private v4Spec(src: string, dst: string, o: PacketOptions & { protocol?: number }): Ipv4Spec {
    const s: Ipv4Spec = { src, dst, ttl: o.ttl ?? 64, id: o.id ?? 0, df: o.df ?? false, tos: o.tos ?? 0 };
    if (o.protocol !== undefined) s.protocol = o.protocol;
    return s;
  }

  private v6Spec(src: string, dst: string, o: PacketOptions & { protocol?: number }): Ipv6Spec {
    const s: Ipv6Spec = { src, dst, hopLimit: o.ttl ?? 64, flowLabel: o.flowLabel ?? 0, trafficClass: o.tos ?? 0 };
    if (o.protocol !== undefined) s.nextHeader = o.protocol;
    return s;
  }
}

/** The 56 bytes Linux ping sends after its 8-byte timestamp: 0x10, 0x11, ... (here without the timestamp). */
export function pingData(len = 56): Buffer {
  const b = Buffer.alloc(len);
  for (let i = 0; i < len; i++) b[i] = (i + 8) & 0xff;
  return b;
}

function ipText4(b: Uint8Array, at: number): string {
  return ipv4Text(b, at);
}

function ipText6(b: Uint8Array, at: number): string {
  return ipv6Text(b, at);
}
