/**
 * IPv4 (RFC 791, section 3.1).
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |Type of Service|          Total Length         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Identification        |Flags|      Fragment Offset    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                       Source Address                          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Destination Address                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Options                    |    Padding    |
 */
import { LAYER_NETWORK, STOP_BAD_HEADER, STOP_FRAGMENT, STOP_TRUNCATED, type DecodedPacket } from './packet.js';
import { u16, u32 } from './read.js';
import { IPV4_DST, IPV4_FRAG, IPV4_ID, IPV4_MIN_HEADER_LEN, IPV4_PROTO, IPV4_SRC, IPV4_TOTAL_LEN, IPV4_TTL, IPV4_VER_IHL, IP_MF, IP_OFFMASK } from '../wire/ipv4.js';

/**
 * Decodes the IPv4 header at `off` into `p`. Returns the transport header's offset, or -1 when decoding
 * stops here (truncated, bad header, non-first fragment). Sets netEnd to the datagram's end within the
 * captured bytes: bytes past the total length are link padding, never payload. A total length of 0 means
 * the capture saw a segmentation-offload super-packet: the wire length then gives the length.
 */
export function decodeIpv4(p: DecodedPacket, off: number): number {
  const d = p.data;
  const end = p.capEnd;
  p.ipVersion = 4;
  p.netOffset = off;
  p.stopLayer = LAYER_NETWORK;
  if (end - off < IPV4_MIN_HEADER_LEN) {
    p.stopReason = STOP_TRUNCATED;
    return -1;
  }
  const ihl = (d[off + IPV4_VER_IHL]! & 0x0f) * 4;
  if (d[off + IPV4_VER_IHL]! >> 4 !== 4 || ihl < IPV4_MIN_HEADER_LEN) {
    p.stopReason = STOP_BAD_HEADER;
    return -1;
  }
  p.src[3] = u32(d, off + IPV4_SRC);
  p.dst[3] = u32(d, off + IPV4_DST);
  p.ttl = d[off + IPV4_TTL]!;
  p.ipId = u16(d, off + IPV4_ID);
  const proto = d[off + IPV4_PROTO]!;
  p.firstNextHeader = proto;
  p.protocol = proto;
  let length = u16(d, off + IPV4_TOTAL_LEN);
  if (length === 0) length = p.wirelen - (off - p.offset);
  p.ipLength = length;
  const frag = u16(d, off + IPV4_FRAG);
  p.fragOffset = (frag & IP_OFFMASK) * 8;
  p.moreFragments = (frag & IP_MF) !== 0;
  p.isFragment = p.fragOffset > 0 || p.moreFragments;
  if (length < ihl) {
    p.netEnd = Math.min(end, off + ihl);
    p.stopReason = STOP_BAD_HEADER;
    return -1;
  }
  p.netEnd = Math.min(end, off + length);
  if (p.fragOffset > 0) {
    p.stopReason = STOP_FRAGMENT;
    return -1;
  }
  if (off + ihl > end) {
    p.stopReason = STOP_TRUNCATED;
    return -1;
  }
  return off + ihl;
}
