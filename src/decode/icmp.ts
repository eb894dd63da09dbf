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
import { IPPROTO_AH, IPPROTO_FRAGMENT, IPPROTO_TCP, IPPROTO_UDP, IPV4_MIN_HEADER_LEN, IPV4_PROTO, IPV4_SRC, IPV4_DST } from '../wire/ipv4.js';
import { isIpv6ExtensionHeader, readIpv6Address } from './ipv6.js';
import { IPV6_DST, IPV6_HEADER_LEN, IPV6_NEXT_HEADER, IPV6_SRC } from '../wire/ipv6.js';
import { LAYER_TRANSPORT, STOP_TRUNCATED, type DecodedPacket } from './packet.js';
import { u16, u32 } from './read.js';
import { ICMP_CODE, ICMP_HEADER_LEN, ICMP_PARAMPROB, ICMP_QUOTED_IP, ICMP_REDIRECT, ICMP_SOURCEQUENCH, ICMP_TIMXCEED, ICMP_TYPE, ICMP_UNREACH } from '../wire/icmp.js';
import { ICMP6_DST_UNREACH, ICMP6_PARAM_PROB } from '../wire/icmp6.js';

/** Says whether an ICMP (v4) type is an error that quotes a datagram. */
export function isIcmpError(type: number): boolean {
  return type === ICMP_UNREACH || type === ICMP_SOURCEQUENCH || type === ICMP_REDIRECT || type === ICMP_TIMXCEED || type === ICMP_PARAMPROB;
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
  const q = off + ICMP_QUOTED_IP;
  if (!v6) {
    if (end - q < IPV4_MIN_HEADER_LEN || d[q]! >> 4 !== 4) return;
    p.hasQuoted = true;
    p.quotedVersion = 4;
    p.quotedSrc[3] = u32(d, q + IPV4_SRC);
    p.quotedDst[3] = u32(d, q + IPV4_DST);
    p.quotedProtocol = d[q + IPV4_PROTO]!;
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
