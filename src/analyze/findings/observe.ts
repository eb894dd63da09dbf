/**
 * The findings' own view of a packet: the few fields the detectors need (addresses, ports, TCP flags,
 * lengths, the ICMP error's quoted header, the DNS rcode) read at fixed offsets into one reused object,
 * plus the weirds (malformed headers) met on the way. It reads only what it needs, so it stays cheaper
 * than a full decode; every read is checked against the captured length first.
 *
 * It was written while src/decode was being built in parallel; moving the detectors onto the shared
 * DecodedPacket (one decode for `summary`, which now feeds FindingsConsumer) is the natural next step.
 */
import {
  DLT_RAW_12,
  DLT_RAW_14,
  LINKTYPE_ETHERNET,
  LINKTYPE_IPV4,
  LINKTYPE_IPV6,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_LINUX_SLL2,
  LINKTYPE_LOOP,
  LINKTYPE_NULL,
  LINKTYPE_RAW,
} from '../../capture/link-types.js';
import type { PacketRecord } from '../../capture/packet.js';

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ETHERTYPE_VLAN = 0x8100;
export const ETHERTYPE_QINQ = 0x88a8;
export const ETHERTYPE_QINQ_OLD = 0x9100;

/** Ethernet: destination(6) source(6) type(2). */
export const ETH_TYPE = 12;
export const ETH_HEADER_LEN = 14;
/** 802.1Q tag: TCI(2) type(2). */
export const VLAN_TAG_LEN = 4;
/** Linux cooked v1: packet type(2) ARPHRD(2) addr len(2) addr(8) protocol(2). */
export const SLL_PROTOCOL = 14;
export const SLL_HEADER_LEN = 16;
/** Linux cooked v2: protocol(2) reserved(2) ifindex(4) ARPHRD(2) packet type(1) addr len(1) addr(8). */
export const SLL2_PROTOCOL = 0;
export const SLL2_HEADER_LEN = 20;
/** BSD loopback: the address family as a 4-byte word (host order for NULL, network order for LOOP). */
export const NULL_HEADER_LEN = 4;

/** IPv4 (RFC 791): version/IHL(1) TOS(1) total length(2) id(2) flags/fragment(2) TTL(1) protocol(1) checksum(2) src(4) dst(4). */
export const IPV4_VERSION_IHL = 0;
export const IPV4_TOTAL_LENGTH = 2;
export const IPV4_FRAGMENT = 6;
export const IPV4_PROTOCOL = 9;
export const IPV4_SRC = 12;
export const IPV4_DST = 16;
export const IPV4_MIN_HEADER_LEN = 20;
/** IPv6 (RFC 8200): version/class/flow(4) payload length(2) next header(1) hop limit(1) src(16) dst(16). */
export const IPV6_PAYLOAD_LENGTH = 4;
export const IPV6_NEXT_HEADER = 6;
export const IPV6_SRC = 8;
export const IPV6_DST = 24;
export const IPV6_HEADER_LEN = 40;

export const PROTO_ICMP = 1;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
export const PROTO_ICMPV6 = 58;
const IPV6_HOP_BY_HOP = 0;
const IPV6_ROUTING = 43;
const IPV6_FRAGMENT = 44;
const IPV6_AH = 51;
const IPV6_DEST_OPTS = 60;

/** TCP (RFC 9293): src port(2) dst port(2) seq(4) ack(4) offset/flags(2) window(2) checksum(2) urgent(2). */
export const TCP_SRC_PORT = 0;
export const TCP_DST_PORT = 2;
export const TCP_SEQ = 4;
export const TCP_DATA_OFFSET = 12;
export const TCP_FLAGS = 13;
export const TCP_WINDOW = 14;
export const TCP_MIN_HEADER_LEN = 20;
export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;
/** The six classic flags; ECE and CWR are ignored when naming probes. */
export const TCP_FLAG_MASK = 0x3f;
/** UDP (RFC 768): src port(2) dst port(2) length(2) checksum(2). */
export const UDP_LENGTH = 4;
export const UDP_HEADER_LEN = 8;
/** ICMP: type(1) code(1) checksum(2) rest(4), then for errors the quoted IP header and 8 bytes. */
export const ICMP_HEADER_LEN = 8;
export const ICMP_UNREACHABLE = 3;
export const ICMP_PORT_UNREACHABLE = 3;
export const ICMP6_UNREACHABLE = 1;
export const ICMP6_PORT_UNREACHABLE = 4;
/** DNS header: id(2) flags(2) ...; rcode is the low nibble of byte 3. */
export const DNS_FLAGS = 2;
export const DNS_HEADER_LEN = 12;
export const DNS_PORT = 53;

/** Names of malformations, in Zeek's "weird" vocabulary. */
export type WeirdName =
  | 'truncated_link_header'
  | 'truncated_IP'
  | 'truncated_IPv6'
  | 'bad_IP_version'
  | 'bad_IP_header_len'
  | 'bad_IP_total_len'
  | 'bad_IP_checksum'
  | 'truncated_TCP_header'
  | 'bad_TCP_header_len'
  | 'bad_UDP_length'
  | 'truncated_ICMP';

/** The packet as the detectors see it. Filled by `observePacket`, reused for every packet. */
export class Observation {
  frame = 0;
  /** Seconds since the epoch, fractional. */
  ts = 0;
  linkType = 0;
  /** Offset of the IP header from the start of the packet (for filters that compare with `len`). */
  ipOffset = 0;
  /** 802.1Q/802.1ad tags before the IP header (filters then need `vlan`). */
  vlanTags = 0;
  /** 4, 6, or 0 when the packet is not IP. */
  ipVersion = 0;
  /** IPv4 addresses as unsigned 32-bit numbers (0 for IPv6). */
  src4 = 0;
  dst4 = 0;
  /** Offsets of the IPv6 addresses in `data` (for `ip6Text`). */
  src6At = 0;
  dst6At = 0;
  data: Uint8Array = new Uint8Array(0);
  /** IP protocol of the transport header (after IPv6 extension headers), or -1. */
  proto = -1;
  /** The IP datagram's length as its header claims (IPv4 total length, IPv6 40 + payload length). */
  ipLength = 0;
  /** True when a transport header was read (not a later fragment, not truncated). */
  hasTransport = false;
  /** A first fragment: the transport header's lengths describe the whole datagram, not this packet. */
  firstFragment = false;
  srcPort = 0;
  dstPort = 0;
  tcpFlags = 0;
  tcpSeq = 0;
  tcpWindow = 0;
  /** TCP options length in bytes (data offset minus 20). */
  tcpOptionsLen = 0;
  /** Transport payload bytes per the IP length (not the captured length). */
  payloadLen = 0;
  /** Offset of the transport payload in `data`, and the captured end of the packet. */
  payloadAt = 0;
  end = 0;
  icmpType = -1;
  icmpCode = -1;
  /** For an ICMP error: the quoted datagram's protocol, addresses and ports (proto -1 if absent). */
  quotedProto = -1;
  quotedSrc4 = 0;
  quotedDst4 = 0;
  quotedSrc6At = 0;
  quotedDst6At = 0;
  quotedSrcPort = 0;
  quotedDstPort = 0;
  /** DNS response rcode (UDP from port 53), or -1. */
  dnsRcode = -1;
  /** The malformation met, or undefined. */
  weird: WeirdName | undefined = undefined;

  /** Clears every field so nothing leaks from the previous packet. */
  reset(): void {
    this.ipOffset = 0;
    this.vlanTags = 0;
    this.ipVersion = 0;
    this.src4 = this.dst4 = 0;
    this.src6At = this.dst6At = 0;
    this.proto = -1;
    this.ipLength = 0;
    this.hasTransport = false;
    this.firstFragment = false;
    this.srcPort = this.dstPort = 0;
    this.tcpFlags = this.tcpSeq = this.tcpWindow = this.tcpOptionsLen = 0;
    this.payloadLen = this.payloadAt = this.end = 0;
    this.icmpType = this.icmpCode = -1;
    this.quotedProto = -1;
    this.quotedSrc4 = this.quotedDst4 = this.quotedSrc6At = this.quotedDst6At = 0;
    this.quotedSrcPort = this.quotedDstPort = 0;
    this.dnsRcode = -1;
    this.weird = undefined;
  }
}

function u16(d: Uint8Array, at: number): number {
  return (d[at]! << 8) | d[at + 1]!;
}

function u32(d: Uint8Array, at: number): number {
  return ((d[at]! << 24) | (d[at + 1]! << 16) | (d[at + 2]! << 8) | d[at + 3]!) >>> 0;
}

/** Finds the network-layer protocol and its offset for a link type; returns -1 when the link header is cut. */
function linkPayload(o: Observation, d: Uint8Array, start: number, end: number, linkType: number): number {
  let type: number;
  let at: number;
  switch (linkType) {
    case LINKTYPE_ETHERNET:
      if (end - start < ETH_HEADER_LEN) return -1;
      type = u16(d, start + ETH_TYPE);
      at = start + ETH_HEADER_LEN;
      while (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_OLD) {
        if (end - at < VLAN_TAG_LEN) return -1;
        type = u16(d, at + 2);
        at += VLAN_TAG_LEN;
        o.vlanTags++;
      }
      break;
    case LINKTYPE_LINUX_SLL:
      if (end - start < SLL_HEADER_LEN) return -1;
      type = u16(d, start + SLL_PROTOCOL);
      at = start + SLL_HEADER_LEN;
      break;
    case LINKTYPE_LINUX_SLL2:
      if (end - start < SLL2_HEADER_LEN) return -1;
      type = u16(d, start + SLL2_PROTOCOL);
      at = start + SLL2_HEADER_LEN;
      break;
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP: {
      if (end - start < NULL_HEADER_LEN) return -1;
      // The family is in the writer's byte order for NULL: the non-zero byte tells which end it is at.
      const family = d[start]! !== 0 ? d[start]! : d[start + 3]!;
      type = family === 2 ? ETHERTYPE_IPV4 : family === 24 || family === 28 || family === 30 ? ETHERTYPE_IPV6 : 0;
      at = start + NULL_HEADER_LEN;
      break;
    }
    case LINKTYPE_RAW:
    case DLT_RAW_12:
    case DLT_RAW_14:
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
      if (end - start < 1) return -1;
      type = d[start]! >> 4 === 6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4;
      at = start;
      break;
    default:
      return 0;
  }
  o.ipOffset = at - start;
  o.ipVersion = type === ETHERTYPE_IPV4 ? 4 : type === ETHERTYPE_IPV6 ? 6 : 0;
  return at;
}

/** One's-complement sum check of an IPv4 header: true when the checksum is right. */
function ipv4ChecksumOk(d: Uint8Array, at: number, len: number): boolean {
  let sum = 0;
  for (let i = 0; i < len; i += 2) sum += (d[at + i]! << 8) | d[at + i + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum === 0xffff;
}

/** Reads a packet into `o`. Never throws: what cannot be read is left unset and may name a weird. */
export function observePacket(o: Observation, rec: PacketRecord): void {
  o.reset();
  o.frame = rec.frame;
  o.ts = rec.tsSec + rec.tsNsec / 1e9;
  o.linkType = rec.linkType;
  const d = rec.data;
  o.data = d;
  const start = rec.offset;
  const end = rec.offset + rec.caplen;
  o.end = end;
  const ip = linkPayload(o, d, start, end, rec.linkType);
  if (ip < 0) {
    o.weird = 'truncated_link_header';
    return;
  }
  if (o.ipVersion === 0) return;
  // The length the datagram had on the wire: the snap length may cut what we see, which is not a fault.
  const wireLeft = rec.wirelen - (ip - start);
  let l4: number;
  let l4End: number;
  if (o.ipVersion === 4) {
    if (end - ip < IPV4_MIN_HEADER_LEN) {
      if (wireLeft < IPV4_MIN_HEADER_LEN) o.weird = 'truncated_IP';
      o.ipVersion = 0;
      return;
    }
    if (d[ip]! >> 4 !== 4) {
      o.weird = 'bad_IP_version';
      o.ipVersion = 0;
      return;
    }
    o.src4 = u32(d, ip + IPV4_SRC);
    o.dst4 = u32(d, ip + IPV4_DST);
    const ihl = (d[ip]! & 0x0f) * 4;
    const total = u16(d, ip + IPV4_TOTAL_LENGTH);
    o.proto = d[ip + IPV4_PROTOCOL]!;
    if (ihl < IPV4_MIN_HEADER_LEN) {
      o.weird = 'bad_IP_header_len';
      return;
    }
    // A total length of 0 is segmentation offload: the datagram runs to the end of the frame.
    const length = total === 0 ? wireLeft : total;
    if (total !== 0 && total < ihl) {
      o.weird = 'bad_IP_total_len';
      return;
    }
    if (length > wireLeft) o.weird = 'truncated_IP';
    o.ipLength = length;
    if (end - ip < ihl) return;
    if (!ipv4ChecksumOk(d, ip, ihl)) o.weird ??= 'bad_IP_checksum';
    // Later fragments carry no transport header; a first one's lengths cover the whole datagram.
    const fragment = u16(d, ip + IPV4_FRAGMENT);
    if ((fragment & 0x1fff) !== 0) return;
    o.firstFragment = (fragment & 0x2000) !== 0;
    l4 = ip + ihl;
    l4End = Math.min(end, ip + length);
  } else {
    if (end - ip < IPV6_HEADER_LEN) {
      if (wireLeft < IPV6_HEADER_LEN) o.weird = 'truncated_IPv6';
      o.ipVersion = 0;
      return;
    }
    o.src6At = ip + IPV6_SRC;
    o.dst6At = ip + IPV6_DST;
    const length = IPV6_HEADER_LEN + u16(d, ip + IPV6_PAYLOAD_LENGTH);
    if (length > wireLeft && u16(d, ip + IPV6_PAYLOAD_LENGTH) !== 0) o.weird = 'truncated_IPv6';
    o.ipLength = length === IPV6_HEADER_LEN ? wireLeft : length;
    let next = d[ip + IPV6_NEXT_HEADER]!;
    l4 = ip + IPV6_HEADER_LEN;
    l4End = Math.min(end, ip + o.ipLength);
    // Walk the extension headers the transport header may hide behind.
    for (let hops = 0; hops < 8; hops++) {
      if (next === IPV6_HOP_BY_HOP || next === IPV6_ROUTING || next === IPV6_DEST_OPTS || next === IPV6_AH) {
        if (l4End - l4 < 2) return;
        const len = next === IPV6_AH ? (d[l4 + 1]! + 2) * 4 : (d[l4 + 1]! + 1) * 8;
        next = d[l4]!;
        l4 += len;
      } else if (next === IPV6_FRAGMENT) {
        if (l4End - l4 < 8) return;
        const fragOffset = u16(d, l4 + 2) & 0xfff8;
        o.firstFragment = (u16(d, l4 + 2) & 1) !== 0;
        next = d[l4]!;
        l4 += 8;
        if (fragOffset !== 0) {
          o.proto = next;
          return;
        }
      } else break;
    }
    o.proto = next;
  }
  const wireL4Len = o.ipLength - (l4 - ip);
  if (o.proto === PROTO_TCP) {
    if (l4End - l4 < TCP_MIN_HEADER_LEN) {
      if (wireL4Len < TCP_MIN_HEADER_LEN) o.weird ??= 'truncated_TCP_header';
      return;
    }
    const doff = (d[l4 + TCP_DATA_OFFSET]! >> 4) * 4;
    o.srcPort = u16(d, l4 + TCP_SRC_PORT);
    o.dstPort = u16(d, l4 + TCP_DST_PORT);
    o.tcpFlags = d[l4 + TCP_FLAGS]!;
    o.tcpSeq = u32(d, l4 + TCP_SEQ);
    o.tcpWindow = u16(d, l4 + TCP_WINDOW);
    o.hasTransport = true;
    if (doff < TCP_MIN_HEADER_LEN || (doff > wireL4Len && !o.firstFragment)) {
      o.weird ??= 'bad_TCP_header_len';
      return;
    }
    o.tcpOptionsLen = doff - TCP_MIN_HEADER_LEN;
    o.payloadLen = Math.max(0, wireL4Len - doff);
    o.payloadAt = l4 + doff;
  } else if (o.proto === PROTO_UDP) {
    if (l4End - l4 < UDP_HEADER_LEN) {
      if (wireL4Len < UDP_HEADER_LEN) o.weird ??= 'bad_UDP_length';
      return;
    }
    o.srcPort = u16(d, l4);
    o.dstPort = u16(d, l4 + 2);
    o.hasTransport = true;
    const udpLen = u16(d, l4 + UDP_LENGTH);
    // A UDP length of 0 is legal for IPv6 jumbograms only; treat it as "to the end of the datagram".
    if (udpLen !== 0 && (udpLen < UDP_HEADER_LEN || (udpLen > wireL4Len && !o.firstFragment))) o.weird ??= 'bad_UDP_length';
    o.payloadLen = Math.max(0, (udpLen === 0 || o.firstFragment ? wireL4Len : Math.min(udpLen, wireL4Len)) - UDP_HEADER_LEN);
    o.payloadAt = l4 + UDP_HEADER_LEN;
    if (o.srcPort === DNS_PORT && l4End - o.payloadAt >= DNS_HEADER_LEN && (d[o.payloadAt + DNS_FLAGS]! & 0x80) !== 0) {
      o.dnsRcode = d[o.payloadAt + DNS_FLAGS + 1]! & 0x0f;
    }
  } else if (o.proto === PROTO_ICMP || o.proto === PROTO_ICMPV6) {
    if (l4End - l4 < 4) {
      if (wireL4Len < 4) o.weird ??= 'truncated_ICMP';
      return;
    }
    o.icmpType = d[l4]!;
    o.icmpCode = d[l4 + 1]!;
    o.hasTransport = true;
    const isError = o.proto === PROTO_ICMP ? o.icmpType === 3 || o.icmpType === 11 || o.icmpType === 12 : o.icmpType < 128;
    if (isError) readQuoted(o, d, l4 + ICMP_HEADER_LEN, l4End);
  }
}

/** Reads the datagram an ICMP error quotes: its addresses and, when present, its ports. */
function readQuoted(o: Observation, d: Uint8Array, q: number, end: number): void {
  if (end - q < 1) return;
  let l4: number;
  if (d[q]! >> 4 === 4) {
    if (end - q < IPV4_MIN_HEADER_LEN) return;
    const ihl = (d[q]! & 0x0f) * 4;
    o.quotedProto = d[q + IPV4_PROTOCOL]!;
    o.quotedSrc4 = u32(d, q + IPV4_SRC);
    o.quotedDst4 = u32(d, q + IPV4_DST);
    l4 = q + ihl;
  } else if (d[q]! >> 4 === 6) {
    if (end - q < IPV6_HEADER_LEN) return;
    o.quotedProto = d[q + IPV6_NEXT_HEADER]!;
    o.quotedSrc6At = q + IPV6_SRC;
    o.quotedDst6At = q + IPV6_DST;
    l4 = q + IPV6_HEADER_LEN;
  } else return;
  if (end - l4 >= 4) {
    o.quotedSrcPort = u16(d, l4);
    o.quotedDstPort = u16(d, l4 + 2);
  } else o.quotedProto = -1;
}

/** Formats an IPv4 address held as a number. */
export function ip4Text(a: number): string {
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/**
 * Formats an IPv4 address through a small direct-mapped cache: the same address gives the same string
 * object, so the detectors' maps keyed by address text hash it once, and no new string is made.
 */
export function ip4TextCached(a: number): string {
  const i = (Math.imul(a, 0x9e3779b1) >>> 20) & (TEXT_CACHE_SIZE - 1);
  if (textCacheKey[i] === a) return textCacheValue[i]!;
  const s = ip4Text(a);
  textCacheKey[i] = a;
  textCacheValue[i] = s;
  return s;
}
const TEXT_CACHE_SIZE = 4096;

/** Formats an IPv6 address through a direct-mapped cache keyed by its four words (see ip4TextCached). */
export function ip6TextCached(d: Uint8Array, at: number): string {
  const w0 = u32(d, at);
  const w1 = u32(d, at + 4);
  const w2 = u32(d, at + 8);
  const w3 = u32(d, at + 12);
  const i = (Math.imul(w0 ^ Math.imul(w1, 31) ^ Math.imul(w2, 961) ^ Math.imul(w3, 0x9e3779b1), 0x85ebca6b) >>> 20) & (TEXT_CACHE_SIZE - 1);
  const k = i * 4;
  if (text6Key[k] === w0 && text6Key[k + 1] === w1 && text6Key[k + 2] === w2 && text6Key[k + 3] === w3 && text6Value[i] !== '') return text6Value[i]!;
  const s = ip6Text(d, at);
  text6Key[k] = w0;
  text6Key[k + 1] = w1;
  text6Key[k + 2] = w2;
  text6Key[k + 3] = w3;
  text6Value[i] = s;
  return s;
}
const text6Key = new Uint32Array(TEXT_CACHE_SIZE * 4);
const text6Value: string[] = new Array<string>(TEXT_CACHE_SIZE).fill('');
const textCacheKey = new Float64Array(TEXT_CACHE_SIZE).fill(-1);
const textCacheValue: string[] = new Array<string>(TEXT_CACHE_SIZE).fill('');

/** Formats 16 bytes as an IPv6 address, RFC 5952 style (longest zero run compressed, IPv4-mapped kept). */
export function ip6Text(d: Uint8Array, at: number): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((d[at + 2 * i]! << 8) | d[at + 2 * i + 1]!);
  let bestAt = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestAt = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (from: number, to: number): string => g.slice(from, to).map((x) => x.toString(16)).join(':');
  if (bestAt < 0) return hex(0, 8);
  return `${hex(0, bestAt)}::${hex(bestAt + bestLen, 8)}`;
}

