/**
 * IPv4 datagrams (RFC 791) with options, fragmentation and a correct header checksum.
 *
 *    0                   1                   2                   3
 *    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *   |Version|  IHL  |Type of Service|          Total Length         |
 *   |         Identification        |Flags|      Fragment Offset    |
 *   |  Time to Live |    Protocol   |         Header Checksum       |
 *   |                       Source Address                          |
 *   |                    Destination Address                        |
 *   |                    Options                    |    Padding    |
 */
import { ipv4Bytes } from './addr.js';
import { internetChecksum } from './checksum.js';
import {
  IP_DF, IP_MF, IPOPT_RA, IPOPT_RR, IPV4_CHECKSUM, IPV4_DST, IPV4_FRAG, IPV4_ID, IPV4_MIN_HEADER_LEN,
  IPV4_PROTO, IPV4_SRC, IPV4_TOS, IPV4_TOTAL_LEN, IPV4_TTL, IPV4_VER_IHL,
} from '../wire/ipv4.js';
import { isSegment, type IpPayload } from './transport.js';

export interface Ipv4Spec {
  src: string;
  dst: string;
  /** Protocol number; required when the payload is raw bytes, else taken from the segment. */
  protocol?: number;
  ttl?: number;
  id?: number;
  tos?: number;
  df?: boolean;
  mf?: boolean;
  /** Fragment offset in bytes (a multiple of 8). */
  fragOffset?: number;
  /** Option bytes; padded with EOL to a multiple of 4. */
  options?: Uint8Array;
  /** Overrides the total length field (to build malformed datagrams). */
  totalLength?: number;
  /** Overrides the header checksum (to build a bad one). */
  checksum?: number;
}

/** Builds an IPv4 datagram. */
export function ipv4Packet(spec: Ipv4Spec, payload: IpPayload): Buffer {
  const src = ipv4Bytes(spec.src);
  const dst = ipv4Bytes(spec.dst);
  const body = isSegment(payload) ? payload.encode(src, dst) : payload;
  const protocol = spec.protocol ?? (isSegment(payload) ? payload.protocol : undefined);
  if (protocol === undefined) throw new Error('ipv4Packet: protocol is required for a raw payload');
  return assemble(spec, src, dst, protocol, body, spec.fragOffset ?? 0, spec.mf ?? false);
}

function assemble(spec: Ipv4Spec, src: Buffer, dst: Buffer, protocol: number, body: Uint8Array, fragOffset: number, mf: boolean): Buffer {
  const opts = spec.options ?? new Uint8Array(0);
  const optLen = (opts.length + 3) & ~3;
  const hl = IPV4_MIN_HEADER_LEN + optLen;
  if (hl > 60) throw new Error('ipv4Packet: options longer than 40 bytes');
  const b = Buffer.alloc(hl + body.length);
  b[IPV4_VER_IHL] = 0x40 | (hl >> 2);
  b[IPV4_TOS] = spec.tos ?? 0;
  b.writeUInt16BE(spec.totalLength ?? Math.min(b.length, 0xffff), IPV4_TOTAL_LEN);
  b.writeUInt16BE((spec.id ?? 0) & 0xffff, IPV4_ID);
  b.writeUInt16BE((spec.df ? IP_DF : 0) | (mf ? IP_MF : 0) | ((fragOffset >> 3) & 0x1fff), IPV4_FRAG);
  b[IPV4_TTL] = spec.ttl ?? 64;
  b[IPV4_PROTO] = protocol;
  src.copy(b, IPV4_SRC);
  dst.copy(b, IPV4_DST);
  b.set(opts, IPV4_MIN_HEADER_LEN);
  b.set(body, hl);
  b.writeUInt16BE(spec.checksum ?? internetChecksum(b, 0, hl), IPV4_CHECKSUM);
  return b;
}

/**
 * Builds the fragments of one datagram: the payload (transport checksum computed over the whole) cut into
 * pieces of fragmentSize bytes (rounded down to a multiple of 8), all with the spec's id.
 */
export function ipv4Fragments(spec: Ipv4Spec, payload: IpPayload, fragmentSize: number): Buffer[] {
  const src = ipv4Bytes(spec.src);
  const dst = ipv4Bytes(spec.dst);
  const body = isSegment(payload) ? payload.encode(src, dst) : payload;
  const protocol = spec.protocol ?? (isSegment(payload) ? payload.protocol : undefined);
  if (protocol === undefined) throw new Error('ipv4Fragments: protocol is required for a raw payload');
  const step = fragmentSize & ~7;
  if (step <= 0) throw new Error('ipv4Fragments: fragment size must be at least 8');
  const out: Buffer[] = [];
  for (let off = 0; off < body.length || off === 0; off += step) {
    const end = Math.min(off + step, body.length);
    out.push(assemble(spec, src, dst, protocol, body.subarray(off, end), off, end < body.length));
    if (end >= body.length) break;
  }
  return out;
}

/** Returns a record-route option with room for n addresses. */
export function recordRouteOption(n: number): Buffer {
  const b = Buffer.alloc(3 + 4 * n);
  b[0] = IPOPT_RR;
  b[1] = b.length;
  b[2] = 4;
  return b;
}

/** Returns the router alert option (RFC 2113). */
export function routerAlertOption(): Buffer {
  return Buffer.from([IPOPT_RA, 4, 0, 0]);
}
