/**
 * ICMP (RFC 792) and ICMPv6 (RFC 4443): type, code, checksum, then 4 bytes that depend on the type. Error
 * messages quote the offending datagram's IP header and at least 8 bytes of its transport header from
 * offset 8, which is how an unreachable links back to the flow that caused it.
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Type      |     Code      |          Checksum             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     identifier / unused       |   sequence / unused           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     quoted IP header + 8 bytes (errors) / data                |
 */
import { IPV4_MIN_HEADER_LEN, IPV4_PROTOCOL, IPV4_SRC, IPV4_DST } from './ipv4.js';
import { IPV6_DST, IPV6_HEADER_LEN, IPV6_NEXT_HEADER, IPV6_SRC, isIpv6ExtensionHeader, readIpv6Address } from './ipv6.js';
import { IPPROTO_AH, IPPROTO_FRAGMENT, IPPROTO_TCP, IPPROTO_UDP, LAYER_TRANSPORT, STOP_TRUNCATED, type DecodedPacket } from './packet.js';
import { u16, u32 } from './read.js';

export const ICMP_TYPE = 0;
export const ICMP_CODE = 1;
export const ICMP_CHECKSUM = 2;
export const ICMP_REST = 4;
export const ICMP_QUOTED = 8;
export const ICMP_HEADER_LEN = 8;

export const ICMP_ECHO_REPLY = 0;
export const ICMP_UNREACH = 3;
export const ICMP_SOURCE_QUENCH = 4;
export const ICMP_REDIRECT = 5;
export const ICMP_ECHO = 8;
export const ICMP_TIME_EXCEEDED = 11;
export const ICMP_PARAM_PROBLEM = 12;
export const ICMP_TSTAMP = 13;
export const ICMP_TSTAMP_REPLY = 14;
export const ICMP_IREQ = 15;
export const ICMP_IREQ_REPLY = 16;
export const ICMP_MASK_REQ = 17;
export const ICMP_MASK_REPLY = 18;
export const ICMP_UNREACH_PORT = 3;

export const ICMP6_DST_UNREACH = 1;
export const ICMP6_PACKET_TOO_BIG = 2;
export const ICMP6_TIME_EXCEEDED = 3;
export const ICMP6_PARAM_PROB = 4;
export const ICMP6_ECHO_REQUEST = 128;
export const ICMP6_ECHO_REPLY = 129;
export const ICMP6_UNREACH_PORT = 4;

/** Says whether an ICMP (v4) type is an error that quotes a datagram. */
export function isIcmpError(type: number): boolean {
  return type === ICMP_UNREACH || type === ICMP_SOURCE_QUENCH || type === ICMP_REDIRECT || type === ICMP_TIME_EXCEEDED || type === ICMP_PARAM_PROBLEM;
}

/** Says whether an ICMPv6 type is an error that quotes a datagram. */
export function isIcmp6Error(type: number): boolean {
  return type >= ICMP6_DST_UNREACH && type <= ICMP6_PARAM_PROB;
}

/** Decodes an ICMP or ICMPv6 header at `off` and, for errors, the quoted IP header and ports. */
export function decodeIcmp(p: DecodedPacket, off: number, v6: boolean): void {
  const d = p.data;
  const end = p.netEnd;
  p.stopLayer = LAYER_TRANSPORT;
  p.transportOffset = off;
  if (end - off < 2) {
    p.stopReason = STOP_TRUNCATED;
    return;
  }
  const type = d[off + ICMP_TYPE]!;
  p.icmpType = type;
  p.icmpCode = d[off + ICMP_CODE]!;
  if (end - off >= ICMP_HEADER_LEN) p.payloadOffset = off + ICMP_HEADER_LEN;
  if (v6 ? !isIcmp6Error(type) : !isIcmpError(type)) return;
  const q = off + ICMP_QUOTED;
  if (!v6) {
    if (end - q < IPV4_MIN_HEADER_LEN || d[q]! >> 4 !== 4) return;
    p.hasQuoted = true;
    p.quotedVersion = 4;
    p.quotedSrc[3] = u32(d, q + IPV4_SRC);
    p.quotedDst[3] = u32(d, q + IPV4_DST);
    p.quotedProtocol = d[q + IPV4_PROTOCOL]!;
    const t = q + (d[q]! & 0x0f) * 4;
    quotePorts(p, t, end);
  } else {
    if (end - q < IPV6_HEADER_LEN || d[q]! >> 4 !== 6) return;
    p.hasQuoted = true;
    p.quotedVersion = 6;
    readIpv6Address(d, q + IPV6_SRC, p.quotedSrc);
    readIpv6Address(d, q + IPV6_DST, p.quotedDst);
    // Walk the quoted datagram's extension headers as far as they were quoted.
    let nh = d[q + IPV6_NEXT_HEADER]!;
    let t = q + IPV6_HEADER_LEN;
    while (isIpv6ExtensionHeader(nh) && nh !== IPPROTO_FRAGMENT && end - t >= 8) {
      const len = nh === IPPROTO_AH ? (d[t + 1]! + 2) * 4 : (d[t + 1]! + 1) * 8;
      nh = d[t]!;
      t += len;
    }
    if (nh === IPPROTO_FRAGMENT && end - t >= 8 && (u16(d, t + 2) & 0xfff8) === 0) {
      nh = d[t]!;
      t += 8;
    }
    p.quotedProtocol = nh;
    quotePorts(p, t, end);
  }
}

function quotePorts(p: DecodedPacket, t: number, end: number): void {
  if ((p.quotedProtocol === IPPROTO_TCP || p.quotedProtocol === IPPROTO_UDP) && end - t >= 4) {
    p.quotedSrcPort = u16(p.data, t);
    p.quotedDstPort = u16(p.data, t + 2);
  }
}
