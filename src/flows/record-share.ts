/**
 * Which share of the flows (FlowTableOptions.partition) a raw record belongs to, read straight from its
 * bytes for the common case (Ethernet, any VLAN tags, IPv4 or IPv6 without extension headers, TCP or UDP):
 * a thread tracking one share skips the full decoding of the other shares' packets. Anything else (other
 * link types, fragments, extension headers, ICMP, cut or odd headers) answers -1, "decode it and see": the
 * answer must never differ from the share the full decode and FlowTable.track would give (a test holds
 * this on every corpus capture). What it read of the headers stays in `lastRecord` for the caller.
 */
import type { PacketRecord } from '../capture/packet.js';
import { LINKTYPE_ETHERNET } from '../capture/link-types.js';
import { ETH_HEADER_LEN, ETH_TYPE, ETHERTYPE_IPV4, ETHERTYPE_IPV6 } from '../wire/ethernet.js';
import { IPPROTO_TCP, IPPROTO_UDP, IPV4_MIN_HEADER_LEN } from '../wire/ipv4.js';
import { IPV6_HEADER_LEN } from '../wire/ipv6.js';
import { isVlanTpid } from '../decode/vlan.js';
import { VLAN_TAG_LEN } from '../wire/vlan.js';
import { TCP_MIN_HEADER_LEN } from '../decode/tcp.js';
import { UDP_HEADER_LEN } from '../decode/udp.js';
import { flowHash } from './flow-table.js';
import { shareOf } from './share-plan.js';

const src = new Uint32Array(4);
const dst = new Uint32Array(4);

/**
 * The headers of the last record `recordShare` placed in a share (valid after it answered a share, not
 * -1): offsets into the record's data, as the full decode would find them. One object, rewritten for each
 * record: a caller that skips the full decode of another share's packet may still need a field or two.
 */
export const lastRecord = {
  /** VLAN tags before the IP header. */
  vlanTags: 0,
  v6: false,
  /** Where the IP header starts, and its datagram's length by the IP header (IPv4 total length, IPv6 40 + payload length). */
  netOffset: 0,
  ipLength: 0,
  /** Where the TCP or UDP header starts. */
  transportOffset: 0,
  proto: 0,
  srcPort: 0,
};

/** The share (of those `bounds` cut: share-plan.ts) the record's flow falls in, or -1 when only a full decode can tell. */
export function recordShare(rec: PacketRecord, bounds: readonly number[]): number {
  if (rec.linkType !== LINKTYPE_ETHERNET) return -1;
  const d = rec.data;
  const start = rec.offset;
  const end = start + rec.caplen;
  let off = start + ETH_TYPE;
  if (end - start < ETH_HEADER_LEN) return -1;
  let type = (d[off]! << 8) | d[off + 1]!;
  off += 2;
  let vlanTags = 0;
  while (isVlanTpid(type)) {
    if (end - off < VLAN_TAG_LEN) return -1;
    type = (d[off + 2]! << 8) | d[off + 3]!;
    off += VLAN_TAG_LEN;
    vlanTags++;
  }
  let proto: number;
  let t: number;
  let netEnd: number;
  let v6: boolean;
  let ipLength: number;
  if (type === ETHERTYPE_IPV4) {
    if (end - off < IPV4_MIN_HEADER_LEN) return -1;
    const vihl = d[off]!;
    const ihl = (vihl & 0x0f) * 4;
    if (vihl >> 4 !== 4 || ihl < IPV4_MIN_HEADER_LEN) return -1;
    const length = (d[off + 2]! << 8) | d[off + 3]!;
    // Fragments (offset or more-fragments), odd lengths: the full decode decides.
    if (length < ihl || (((d[off + 6]! << 8) | d[off + 7]!) & 0x3fff) !== 0) return -1;
    t = off + ihl;
    ipLength = length;
    netEnd = Math.min(end, off + length);
    proto = d[off + 9]!;
    v6 = false;
    src[0] = src[1] = src[2] = 0;
    dst[0] = dst[1] = dst[2] = 0;
    src[3] = ((d[off + 12]! << 24) | (d[off + 13]! << 16) | (d[off + 14]! << 8) | d[off + 15]!) >>> 0;
    dst[3] = ((d[off + 16]! << 24) | (d[off + 17]! << 16) | (d[off + 18]! << 8) | d[off + 19]!) >>> 0;
  } else if (type === ETHERTYPE_IPV6) {
    if (end - off < IPV6_HEADER_LEN || d[off]! >> 4 !== 6) return -1;
    const payloadLength = (d[off + 4]! << 8) | d[off + 5]!;
    if (payloadLength === 0) return -1;
    proto = d[off + 6]!;
    t = off + IPV6_HEADER_LEN;
    ipLength = IPV6_HEADER_LEN + payloadLength;
    netEnd = Math.min(end, t + payloadLength);
    v6 = true;
    for (let w = 0; w < 4; w++) {
      const a = off + 8 + w * 4;
      const b = off + 24 + w * 4;
      src[w] = ((d[a]! << 24) | (d[a + 1]! << 16) | (d[a + 2]! << 8) | d[a + 3]!) >>> 0;
      dst[w] = ((d[b]! << 24) | (d[b + 1]! << 16) | (d[b + 2]! << 8) | d[b + 3]!) >>> 0;
    }
  } else {
    return -1;
  }
  if (proto === IPPROTO_TCP) {
    if (netEnd - t < TCP_MIN_HEADER_LEN) return -1;
  } else if (proto === IPPROTO_UDP) {
    if (netEnd - t < UDP_HEADER_LEN) return -1;
  } else {
    return -1;
  }
  const sp = (d[t]! << 8) | d[t + 1]!;
  const dp = (d[t + 2]! << 8) | d[t + 3]!;
  const r = lastRecord;
  r.vlanTags = vlanTags;
  r.v6 = v6;
  r.netOffset = off;
  r.ipLength = ipLength;
  r.transportOffset = t;
  r.proto = proto;
  r.srcPort = sp;
  return shareOf(flowHash(src, sp, dst, dp, proto, v6), bounds);
}
