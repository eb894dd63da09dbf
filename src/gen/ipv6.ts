/**
 * IPv6 packets (RFC 8200) with extension headers and fragmentation.
 *
 *    0                   1                   2                   3
 *   |Version| Traffic Class |           Flow Label                  |
 *   |         Payload Length        |  Next Header  |   Hop Limit   |
 *   |                      Source Address (16)                      |
 *   |                   Destination Address (16)                    |
 *
 * Extension headers: Hop-by-Hop and Destination Options (next, length in 8-octet units minus 1, options),
 * Routing (next, length, routing type, segments left, type data), Fragment (next, reserved, offset|M, id).
 */
import { ipv6Bytes } from './addr.js';
import { IPPROTO_DSTOPTS, IPPROTO_FRAGMENT, IPPROTO_HOPOPTS, IPPROTO_ROUTING } from '../wire/ipv4.js';
import { FRAG6_LEN, IPV6_DST, IPV6_HEADER_LEN, IPV6_HOP_LIMIT, IPV6_NEXT_HEADER, IPV6_PAYLOAD_LEN, IPV6_SRC, IPV6_VTC_FLOW } from '../wire/ipv6.js';
import { isSegment, type IpPayload } from './transport.js';

export type Ipv6Extension =
  | { kind: 'hop' | 'dst'; /** Option TLVs; padded with PadN to a multiple of 8 with the 2-byte head. */ options?: Uint8Array }
  | { kind: 'routing'; routingType?: number; segmentsLeft?: number; addresses: readonly string[] }
  | { kind: 'fragment'; offset: number; more: boolean; id: number };

export interface Ipv6Spec {
  src: string;
  dst: string;
  /** Upper-layer protocol; required when the payload is raw bytes. */
  nextHeader?: number;
  hopLimit?: number;
  trafficClass?: number;
  flowLabel?: number;
  /** Extension headers in order. */
  extensions?: readonly Ipv6Extension[];
  /** Overrides the payload length field. */
  payloadLength?: number;
}

const EXT_PROTO = { hop: IPPROTO_HOPOPTS, dst: IPPROTO_DSTOPTS, routing: IPPROTO_ROUTING, fragment: IPPROTO_FRAGMENT } as const;

function encodeExtension(ext: Ipv6Extension, next: number): Buffer {
  switch (ext.kind) {
    case 'hop':
    case 'dst': {
      const opts = ext.options ?? new Uint8Array(0);
      const len = (2 + opts.length + 7) & ~7;
      const b = Buffer.alloc(len);
      b[0] = next;
      b[1] = len / 8 - 1;
      b.set(opts, 2);
      const padLen = len - 2 - opts.length;
      // Pad1 for a single byte, else one PadN option covering the rest.
      if (padLen === 1) b[2 + opts.length] = 0;
      else if (padLen >= 2) {
        b[2 + opts.length] = 1;
        b[3 + opts.length] = padLen - 2;
      }
      return b;
    }
    case 'routing': {
      const b = Buffer.alloc(8 + 16 * ext.addresses.length);
      b[0] = next;
      b[1] = ext.addresses.length * 2;
      b[2] = ext.routingType ?? 0;
      b[3] = ext.segmentsLeft ?? ext.addresses.length;
      ext.addresses.forEach((a, i) => ipv6Bytes(a).copy(b, 8 + 16 * i));
      return b;
    }
    case 'fragment': {
      const b = Buffer.alloc(FRAG6_LEN);
      b[0] = next;
      b.writeUInt16BE((ext.offset & ~7) | (ext.more ? 1 : 0), 2);
      b.writeUInt32BE(ext.id >>> 0, 4);
      return b;
    }
  }
}

/** The destination the transport checksum uses: a routing header's final address when segments remain. */
function finalDestination(spec: Ipv6Spec, dst: Buffer): Buffer {
  for (const e of spec.extensions ?? []) {
    if (e.kind === 'routing' && (e.segmentsLeft ?? e.addresses.length) > 0 && e.addresses.length > 0) {
      return ipv6Bytes(e.addresses[e.addresses.length - 1]!);
    }
  }
  return dst;
}

function assemble(spec: Ipv6Spec, src: Buffer, dst: Buffer, upper: number, body: Uint8Array, exts: readonly Ipv6Extension[]): Buffer {
  const encoded: Buffer[] = [];
  for (let i = exts.length - 1, next = upper; i >= 0; i--) {
    const e = exts[i]!;
    encoded.unshift(encodeExtension(e, next));
    next = EXT_PROTO[e.kind];
  }
  const first = exts.length > 0 ? EXT_PROTO[exts[0]!.kind] : upper;
  let extLen = 0;
  for (const e of encoded) extLen += e.length;
  const b = Buffer.alloc(IPV6_HEADER_LEN + extLen + body.length);
  b.writeUInt32BE(((6 << 28) | (((spec.trafficClass ?? 0) & 0xff) << 20) | ((spec.flowLabel ?? 0) & 0xfffff)) >>> 0, IPV6_VTC_FLOW);
  b.writeUInt16BE(spec.payloadLength ?? Math.min(extLen + body.length, 0xffff), IPV6_PAYLOAD_LEN);
  b[IPV6_NEXT_HEADER] = first;
  b[IPV6_HOP_LIMIT] = spec.hopLimit ?? 64;
  src.copy(b, IPV6_SRC);
  dst.copy(b, IPV6_DST);
  let at = IPV6_HEADER_LEN;
  for (const e of encoded) {
    e.copy(b, at);
    at += e.length;
  }
  b.set(body, at);
  return b;
}

function upperOf(spec: Ipv6Spec, payload: IpPayload, what: string): number {
  const p = spec.nextHeader ?? (isSegment(payload) ? payload.protocol : undefined);
  if (p === undefined) throw new Error(`${what}: nextHeader is required for a raw payload`);
  return p;
}

/** Builds an IPv6 packet. */
export function ipv6Packet(spec: Ipv6Spec, payload: IpPayload): Buffer {
  const src = ipv6Bytes(spec.src);
  const dst = ipv6Bytes(spec.dst);
  const upper = upperOf(spec, payload, 'ipv6Packet');
  const body = isSegment(payload) ? payload.encode(src, finalDestination(spec, dst)) : payload;
  return assemble(spec, src, dst, upper, body, spec.extensions ?? []);
}

/**
 * Builds the fragments of one packet: the spec's extension headers stay in front of a Fragment header in
 * each piece; the payload (checksummed whole) is cut into fragmentSize-byte pieces (a multiple of 8).
 */
export function ipv6Fragments(spec: Ipv6Spec, payload: IpPayload, fragmentSize: number, id: number): Buffer[] {
  const src = ipv6Bytes(spec.src);
  const dst = ipv6Bytes(spec.dst);
  const upper = upperOf(spec, payload, 'ipv6Fragments');
  const body = isSegment(payload) ? payload.encode(src, finalDestination(spec, dst)) : payload;
  const step = fragmentSize & ~7;
  if (step <= 0) throw new Error('ipv6Fragments: fragment size must be at least 8');
  const out: Buffer[] = [];
  for (let off = 0; ; off += step) {
    const end = Math.min(off + step, body.length);
    const exts = [...(spec.extensions ?? []), { kind: 'fragment' as const, offset: off, more: end < body.length, id }];
    out.push(assemble(spec, src, dst, upper, body.subarray(off, end), exts));
    if (end >= body.length) break;
  }
  return out;
}
