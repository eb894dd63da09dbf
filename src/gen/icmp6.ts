/**
 * ICMPv6 (RFC 4443) and Neighbor Discovery (RFC 4861): echo, destination unreachable, neighbor and router
 * solicitation/advertisement, checksummed over the IPv6 pseudo-header.
 *
 *   0 type (1)   1 code (1)   2 checksum (2)   4 message body
 *   NS/NA: 4 flags R S O (NA) / reserved (4)   8 target address (16)   24 options (type, length/8, value)
 */
import { ipv6Bytes, macBytes } from './addr.js';
import { internetChecksum, pseudoHeaderSum } from './checksum.js';
import {
  ICMP6_CHECKSUM, ICMP6_CODE, ICMP6_DATA, ICMP6_DST_UNREACH, ICMP6_DST_UNREACH_NOPORT, ICMP6_ECHO_REPLY,
  ICMP6_ECHO_REQUEST, ICMP6_TYPE, ND_NEIGHBOR_ADVERT, ND_NEIGHBOR_SOLICIT, ND_OPT_MTU,
  ND_OPT_PREFIX_INFORMATION, ND_OPT_SOURCE_LINKADDR, ND_OPT_TARGET_LINKADDR, ND_ROUTER_ADVERT,
  ND_ROUTER_SOLICIT,
} from '../wire/icmp6.js';
import { IPPROTO_ICMPV6 } from '../wire/ipv4.js';
import type { TransportSegment } from './transport.js';

/** The minimum IPv6 MTU bounds how much an ICMPv6 error quotes (RFC 4443 2.4(c)). */
export const ICMP6_ERROR_MAX_QUOTE = 1280 - 40 - 8;

export interface Icmp6Spec {
  type: number;
  code?: number;
  /** Everything after the checksum. */
  body?: Uint8Array;
  checksum?: number;
}

/** Builds an ICMPv6 message for an IPv6 builder. */
export function icmp6Message(spec: Icmp6Spec): TransportSegment {
  const body = spec.body ?? new Uint8Array(0);
  return {
    protocol: IPPROTO_ICMPV6,
    encode(src, dst) {
      const b = Buffer.alloc(ICMP6_DATA + body.length);
      b[ICMP6_TYPE] = spec.type;
      b[ICMP6_CODE] = spec.code ?? 0;
      b.set(body, ICMP6_DATA);
      b.writeUInt16BE(spec.checksum ?? internetChecksum(b, 0, b.length, pseudoHeaderSum(src, dst, IPPROTO_ICMPV6, b.length)), ICMP6_CHECKSUM);
      return b;
    },
  };
}

/** Builds an echo request or reply. */
export function icmp6Echo(reply: boolean, id: number, seq: number, data: Uint8Array = new Uint8Array(0)): TransportSegment {
  const body = Buffer.alloc(4 + data.length);
  body.writeUInt16BE(id & 0xffff, 0);
  body.writeUInt16BE(seq & 0xffff, 2);
  body.set(data, 4);
  return icmp6Message({ type: reply ? ICMP6_ECHO_REPLY : ICMP6_ECHO_REQUEST, body });
}

function linkAddrOption(type: number, mac: string): Buffer {
  return Buffer.concat([Buffer.from([type, 1]), macBytes(mac)]);
}

/** Builds a neighbor solicitation for target, with the sender's link-layer address option when given. */
export function ndNeighborSolicit(target: string, sourceMac?: string): TransportSegment {
  const parts: Buffer[] = [Buffer.alloc(4), ipv6Bytes(target)];
  if (sourceMac !== undefined) parts.push(linkAddrOption(ND_OPT_SOURCE_LINKADDR, sourceMac));
  return icmp6Message({ type: ND_NEIGHBOR_SOLICIT, body: Buffer.concat(parts) });
}

/** Builds a neighbor advertisement (flags: ND_NA_FLAG_*) with the target link-layer address option. */
export function ndNeighborAdvert(target: string, flags: number, targetMac?: string): TransportSegment {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(flags >>> 0, 0);
  const parts: Buffer[] = [head, ipv6Bytes(target)];
  if (targetMac !== undefined) parts.push(linkAddrOption(ND_OPT_TARGET_LINKADDR, targetMac));
  return icmp6Message({ type: ND_NEIGHBOR_ADVERT, body: Buffer.concat(parts) });
}

/** Builds a router solicitation with the sender's link-layer address option when given. */
export function ndRouterSolicit(sourceMac?: string): TransportSegment {
  const parts: Buffer[] = [Buffer.alloc(4)];
  if (sourceMac !== undefined) parts.push(linkAddrOption(ND_OPT_SOURCE_LINKADDR, sourceMac));
  return icmp6Message({ type: ND_ROUTER_SOLICIT, body: Buffer.concat(parts) });
}

/** Builds a router advertisement announcing one /64 prefix. */
export function ndRouterAdvert(prefix: string, routerMac: string, lifetime = 1800, mtu = 1500): TransportSegment {
  const head = Buffer.alloc(12);
  head[0] = 64; // cur hop limit
  head.writeUInt16BE(lifetime, 2);
  const pi = Buffer.alloc(32);
  pi[0] = ND_OPT_PREFIX_INFORMATION;
  pi[1] = 4;
  pi[2] = 64;
  pi[3] = 0xc0; // on-link, autonomous
  pi.writeUInt32BE(2592000, 4);
  pi.writeUInt32BE(604800, 8);
  ipv6Bytes(prefix).copy(pi, 16);
  const mtuOpt = Buffer.alloc(8);
  mtuOpt[0] = ND_OPT_MTU;
  mtuOpt[1] = 1;
  mtuOpt.writeUInt32BE(mtu, 4);
  return icmp6Message({ type: ND_ROUTER_ADVERT, body: Buffer.concat([head, linkAddrOption(ND_OPT_SOURCE_LINKADDR, routerMac), pi, mtuOpt]) });
}

/** Builds a destination unreachable (default: port) quoting the original packet. */
export function icmp6Unreachable(original: Uint8Array, code = ICMP6_DST_UNREACH_NOPORT, quoteBytes = ICMP6_ERROR_MAX_QUOTE): TransportSegment {
  return icmp6Message({ type: ICMP6_DST_UNREACH, code, body: Buffer.concat([Buffer.alloc(4), original.subarray(0, quoteBytes)]) });
}
