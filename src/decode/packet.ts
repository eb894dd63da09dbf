/**
 * The decoded-packet slots: one object, owned by the caller and refilled for every packet by `decodePacket`
 * (gopacket's DecodingLayerParser idea). Everything is a number: addresses are 32-bit words, offsets point
 * into the record's buffer, so decoding allocates nothing. `reset()` clears every field, so nothing leaks
 * from one packet into the next.
 */
import { IPPROTO_AH, IPPROTO_DSTOPTS, IPPROTO_FRAGMENT, IPPROTO_HOPOPTS, IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_IGMP, IPPROTO_MOBILITY, IPPROTO_NONE, IPPROTO_ROUTING, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP } from '../wire/ipv4.js';

/** The layer decoding reached last (`stopLayer`), or where it stopped. */
export const LAYER_NONE = 0;
export const LAYER_LINK = 1;
export const LAYER_VLAN = 2;
export const LAYER_NETWORK = 3;
export const LAYER_TRANSPORT = 4;
export const LAYER_PAYLOAD = 5;

export const LAYER_NAMES: readonly string[] = ['none', 'link', 'vlan', 'network', 'transport', 'payload'];

/** Why decoding stopped (`stopReason`). STOP_OK means every layer pcapsift knows was decoded. */
export const STOP_OK = 0;
/** The captured bytes end inside a header. */
export const STOP_TRUNCATED = 1;
/** A link type pcapsift does not decode. */
export const STOP_UNSUPPORTED_LINK = 2;
/** A link payload that is not IP (ARP, LLC, ...). */
export const STOP_NOT_IP = 3;
/** An IP header that makes no sense (version, header length below the minimum). */
export const STOP_BAD_HEADER = 4;
/** An IPv4 or IPv6 fragment other than the first: no transport header here. */
export const STOP_FRAGMENT = 5;
/** An IP protocol without a transport decoder here (IGMP, ESP, GRE...). */
export const STOP_OTHER_PROTOCOL = 6;
/** An IPv6 No Next Header (59). */
export const STOP_NO_NEXT_HEADER = 7;
/** A transport header whose length field is below its minimum (TCP data offset < 5, UDP length < 8). */
export const STOP_BAD_TRANSPORT = 8;

export const STOP_NAMES: readonly string[] = [
  'ok',
  'truncated',
  'unsupported-link',
  'not-ip',
  'bad-header',
  'fragment',
  'other-protocol',
  'no-next-header',
  'bad-transport-header',
];

/** One packet, decoded. Valid until the next `decodePacket` call on the same object. */
export class DecodedPacket {
  // ---- the record
  /** The buffer holding the packet (the reader's; valid only during the packet callback). */
  data: Buffer = Buffer.alloc(0);
  /** Offset of the packet's first byte in `data`. */
  offset = 0;
  /** First offset past the captured bytes. */
  capEnd = 0;
  caplen = 0;
  wirelen = 0;
  tsSec = 0;
  tsNsec = 0;
  /** 1-based record number in the file. */
  frame = 0;
  linkType = 0;

  // ---- how far decoding got
  /** The last layer decoded (LAYER_*). */
  stopLayer = LAYER_NONE;
  /** Why decoding stopped there (STOP_*). */
  stopReason = STOP_OK;

  // ---- link
  /** 802.1Q/802.1ad tags seen, outermost first (up to 2 VIDs kept; the count is exact). */
  vlanCount = 0;
  vlanOuter = -1;
  vlanInner = -1;
  /** The EtherType (or SLL protocol) after any VLAN tags; -1 when the link does not say. */
  etherType = -1;

  // ---- network
  /** 4, 6, or 0 when the packet is not IP. */
  ipVersion = 0;
  /** Offset of the IP header in `data`. */
  netOffset = 0;
  /** End of the IP datagram in `data`: the smaller of the captured end and the IP length. */
  netEnd = 0;
  /** The datagram's length according to the IP header (IPv4 total length, IPv6 40 + payload length). */
  ipLength = 0;
  /** Addresses as four big-endian 32-bit words; IPv4 uses word 3 only (words 0-2 are zero). */
  readonly src = new Uint32Array(4);
  readonly dst = new Uint32Array(4);
  /**
   * IPv6 only: the final destination a Routing header (type 0 or 2, segments left > 0; or a segment
   * routing header's first segment) names, and the Home Address destination option's address: the
   * endpoints the datagram really goes between, which flows use (as Zeek and Wireshark do). `dst`/`src`
   * stay the header's, as tcpdump prints them.
   */
  hasFinalDst = false;
  readonly finalDst = new Uint32Array(4);
  hasHomeAddress = false;
  readonly homeAddress = new Uint32Array(4);
  ttl = 0;
  /** IPv4 identification, or the IPv6 fragment header's identification. */
  ipId = 0;
  /** The protocol of the first header after the fixed IP header (IPv4 protocol, IPv6 ip6[6]). */
  firstNextHeader = -1;
  /** IPv6 extension headers walked before `protocol` (0 for IPv4). */
  extHeaders = 0;
  /** The transport protocol after extension headers, or -1. */
  protocol = -1;
  /** True for any fragment (offset > 0 or more-fragments set, or an IPv6 fragment header). */
  isFragment = false;
  /** Fragment offset in bytes. */
  fragOffset = 0;
  moreFragments = false;

  // ---- transport
  /** Offset of the transport header (valid when stopLayer >= LAYER_TRANSPORT, or a truncated one). */
  transportOffset = -1;
  /** Ports (TCP, UDP); -1 when absent. */
  srcPort = -1;
  dstPort = -1;
  /** The TCP flags byte (tcp[13]); -1 when not TCP or not captured. */
  tcpFlags = -1;
  seq = 0;
  ack = 0;
  window = 0;
  tcpHeaderLength = 0;
  /** ICMP/ICMPv6 type and code; -1 when absent. */
  icmpType = -1;
  icmpCode = -1;

  /** The payload's first byte in `data`, and its length according to the IP and transport lengths. */
  payloadOffset = -1;
  payloadLength = 0;

  // ---- the packet an ICMP error quotes
  /** True when an ICMP error quotes an IP header whose addresses were captured. */
  hasQuoted = false;
  quotedVersion = 0;
  quotedProtocol = -1;
  readonly quotedSrc = new Uint32Array(4);
  readonly quotedDst = new Uint32Array(4);
  quotedSrcPort = -1;
  quotedDstPort = -1;

  /** Clears every decoded field. */
  reset(): void {
    this.stopLayer = LAYER_NONE;
    this.stopReason = STOP_OK;
    this.vlanCount = 0;
    this.vlanOuter = -1;
    this.vlanInner = -1;
    this.etherType = -1;
    this.ipVersion = 0;
    this.netOffset = 0;
    this.netEnd = 0;
    this.ipLength = 0;
    const src = this.src;
    src[0] = 0;
    src[1] = 0;
    src[2] = 0;
    src[3] = 0;
    const dst = this.dst;
    dst[0] = 0;
    dst[1] = 0;
    dst[2] = 0;
    dst[3] = 0;
    this.hasFinalDst = false;
    this.hasHomeAddress = false;
    this.ttl = 0;
    this.ipId = 0;
    this.firstNextHeader = -1;
    this.extHeaders = 0;
    this.protocol = -1;
    this.isFragment = false;
    this.fragOffset = 0;
    this.moreFragments = false;
    this.transportOffset = -1;
    this.srcPort = -1;
    this.dstPort = -1;
    this.tcpFlags = -1;
    this.seq = 0;
    this.ack = 0;
    this.window = 0;
    this.tcpHeaderLength = 0;
    this.icmpType = -1;
    this.icmpCode = -1;
    this.payloadOffset = -1;
    this.payloadLength = 0;
    this.hasQuoted = false;
    this.quotedVersion = 0;
    this.quotedProtocol = -1;
    const quotedSrc = this.quotedSrc;
    quotedSrc[0] = 0;
    quotedSrc[1] = 0;
    quotedSrc[2] = 0;
    quotedSrc[3] = 0;
    const quotedDst = this.quotedDst;
    quotedDst[0] = 0;
    quotedDst[1] = 0;
    quotedDst[2] = 0;
    quotedDst[3] = 0;
    this.quotedSrcPort = -1;
    this.quotedDstPort = -1;
  }

  /** Says whether the packet has TCP or UDP ports. */
  hasPorts(): boolean {
    return this.srcPort >= 0;
  }

  /** Seconds since the epoch as a float (microsecond-exact for any date this century). */
  time(): number {
    return this.tsSec + this.tsNsec / 1e9;
  }
}
