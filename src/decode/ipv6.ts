/**
 * IPv6 (RFC 8200, section 3) and the extension headers walked to find the transport protocol.
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     Source Address (16)                       |
 * |                  Destination Address (16)                     |
 *
 * Hop-by-Hop (0), Routing (43), Destination Options (60) and Mobility (135) headers: next header, length in
 * 8-octet units not counting the first 8. Fragment (44): 8 octets, offset and M flag at 2, id at 4.
 * AH (51): length in 4-octet units minus 2.
 */
import { LAYER_NETWORK, STOP_BAD_HEADER, STOP_FRAGMENT, STOP_NO_NEXT_HEADER, STOP_TRUNCATED, type DecodedPacket } from './packet.js';
import { IPPROTO_AH, IPPROTO_DSTOPTS, IPPROTO_FRAGMENT, IPPROTO_HOPOPTS, IPPROTO_MOBILITY, IPPROTO_NONE, IPPROTO_ROUTING } from '../wire/ipv4.js';
import { u16, u32 } from './read.js';
import { EXT_LEN, EXT_NEXT_HEADER, FRAG6_IDENT, FRAG6_LEN, FRAG6_OFFLG, FRAG6_OFF_MASK, IP6OPT_HOME_ADDRESS, IP6OPT_PAD1, IPV6_DST, IPV6_FRAG_MORE, IPV6_HEADER_LEN, IPV6_HOP_LIMIT, IPV6_NEXT_HEADER, IPV6_PAYLOAD_LEN, IPV6_ROUTING_TYPE_0, IPV6_ROUTING_TYPE_2, IPV6_ROUTING_TYPE_SRH, IPV6_SRC, RT6_ADDRS, RT6_SEGLEFT, RT6_TYPE } from '../wire/ipv6.js';

/** Says whether a next-header value is an extension header pcapsift walks through. */
export function isIpv6ExtensionHeader(nh: number): boolean {
  return nh === IPPROTO_HOPOPTS || nh === IPPROTO_ROUTING || nh === IPPROTO_DSTOPTS || nh === IPPROTO_FRAGMENT || nh === IPPROTO_AH || nh === IPPROTO_MOBILITY;
}

/** Copies a 16-byte address at `o` into four words. */
export function readIpv6Address(d: Uint8Array, o: number, into: Uint32Array): void {
  into[0] = u32(d, o);
  into[1] = u32(d, o + 4);
  into[2] = u32(d, o + 8);
  into[3] = u32(d, o + 12);
}

/** Records the final destination a Routing header at `h` names, when segments are left to visit. */
function finalDestination(p: DecodedPacket, h: number, end: number): void {
  const d = p.data;
  const type = d[h + RT6_TYPE]!;
  if (d[h + RT6_SEGLEFT]! === 0) return;
  let at: number;
  if (type === IPV6_ROUTING_TYPE_0 || type === IPV6_ROUTING_TYPE_2) {
    const n = d[h + EXT_LEN]! >> 1;
    if (n === 0) return;
    at = h + RT6_ADDRS + (n - 1) * 16;
  } else if (type === IPV6_ROUTING_TYPE_SRH) {
    // The segment list is stored last segment first: entry 0 is the final destination.
    at = h + RT6_ADDRS;
  } else return;
  if (at + 16 > end) return;
  readIpv6Address(d, at, p.finalDst);
  p.hasFinalDst = true;
}

/** Records a Home Address option (Mobile IPv6) in the Destination Options header at `h`. */
function homeAddress(p: DecodedPacket, h: number, end: number): void {
  const d = p.data;
  for (let o = h + 2; o < end; ) {
    const type = d[o]!;
    if (type === IP6OPT_PAD1) {
      o++;
      continue;
    }
    if (o + 2 > end) return;
    const len = d[o + 1]!;
    if (type === IP6OPT_HOME_ADDRESS && len === 16 && o + 18 <= end) {
      readIpv6Address(d, o + 2, p.homeAddress);
      p.hasHomeAddress = true;
      return;
    }
    o += 2 + len;
  }
}

/**
 * Decodes the IPv6 header at `off` and walks its extension headers. Returns the transport header's offset,
 * or -1 when decoding stops here. A payload length of 0 (jumbogram or segmentation offload) takes the
 * length from the wire length.
 */
export function decodeIpv6(p: DecodedPacket, off: number): number {
  const d = p.data;
  const end = p.capEnd;
  p.ipVersion = 6;
  p.netOffset = off;
  p.stopLayer = LAYER_NETWORK;
  if (end - off < IPV6_HEADER_LEN) {
    p.stopReason = STOP_TRUNCATED;
    return -1;
  }
  if (d[off]! >> 4 !== 6) {
    p.stopReason = STOP_BAD_HEADER;
    return -1;
  }
  readIpv6Address(d, off + IPV6_SRC, p.src);
  readIpv6Address(d, off + IPV6_DST, p.dst);
  p.ttl = d[off + IPV6_HOP_LIMIT]!;
  const payloadLength = u16(d, off + IPV6_PAYLOAD_LEN);
  const length = payloadLength === 0 ? p.wirelen - (off - p.offset) : IPV6_HEADER_LEN + payloadLength;
  p.ipLength = length;
  const netEnd = Math.min(end, off + length);
  p.netEnd = netEnd;
  let nh = d[off + IPV6_NEXT_HEADER]!;
  p.firstNextHeader = nh;
  let cur = off + IPV6_HEADER_LEN;
  while (isIpv6ExtensionHeader(nh)) {
    if (cur + FRAG6_LEN > netEnd) {
      p.protocol = nh;
      p.stopReason = STOP_TRUNCATED;
      return -1;
    }
    const next = d[cur + EXT_NEXT_HEADER]!;
    let len: number;
    if (nh === IPPROTO_FRAGMENT) {
      len = FRAG6_LEN;
      const field = u16(d, cur + FRAG6_OFFLG);
      p.fragOffset = field & FRAG6_OFF_MASK;
      p.moreFragments = (field & IPV6_FRAG_MORE) !== 0;
      p.isFragment = p.fragOffset > 0 || p.moreFragments;
      p.ipId = u32(d, cur + FRAG6_IDENT);
    } else if (nh === IPPROTO_AH) {
      len = (d[cur + EXT_LEN]! + 2) * 4;
    } else {
      len = (d[cur + EXT_LEN]! + 1) * 8;
      if (nh === IPPROTO_ROUTING) finalDestination(p, cur, Math.min(netEnd, cur + len));
      else if (nh === IPPROTO_DSTOPTS) homeAddress(p, cur, Math.min(netEnd, cur + len));
    }
    p.extHeaders++;
    nh = next;
    cur += len;
    if (p.fragOffset > 0) {
      // A non-first fragment: the protocol is known, its header is in the first fragment.
      p.protocol = nh;
      p.stopReason = STOP_FRAGMENT;
      return -1;
    }
  }
  p.protocol = nh;
  if (nh === IPPROTO_NONE) {
    p.stopReason = STOP_NO_NEXT_HEADER;
    return -1;
  }
  if (cur > netEnd) {
    p.stopReason = STOP_TRUNCATED;
    return -1;
  }
  return cur;
}
