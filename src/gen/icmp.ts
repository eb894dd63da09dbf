/**
 * ICMP for IPv4 (RFC 792): echo request/reply, destination unreachable and time exceeded quoting the
 * offending datagram.
 *
 *   0 type (1)   1 code (1)   2 checksum (2)   4 rest of header (4: id+seq, or unused/MTU)   8 data
 */
import { internetChecksum } from './checksum.js';
import {
  ICMP_CHECKSUM, ICMP_CODE, ICMP_ECHO, ICMP_ECHOREPLY, ICMP_HEADER_LEN, ICMP_ID, ICMP_TIMXCEED, ICMP_TYPE,
  ICMP_UNREACH, ICMP_UNREACH_NEEDFRAG, ICMP_UNREACH_PORT,
} from '../wire/icmp.js';
import { IPPROTO_ICMP } from '../wire/ipv4.js';
import type { TransportSegment } from './transport.js';

/** Re-exported for callers choosing an unreachable code. */
export { ICMP_UNREACH_PORT };

/** Linux quotes as much of the offending datagram as fits in a 576-byte ICMP error (RFC 1812). */
export const ICMP_ERROR_MAX_QUOTE = 576 - 20 - 8;

export interface IcmpSpec {
  type: number;
  code?: number;
  /** The 4 bytes after the checksum, as a number (id << 16 | seq for echo). */
  rest?: number;
  data?: Uint8Array;
  checksum?: number;
}

/** Builds an ICMP message for an IP builder. */
export function icmpMessage(spec: IcmpSpec): TransportSegment {
  const data = spec.data ?? new Uint8Array(0);
  return {
    protocol: IPPROTO_ICMP,
    encode() {
      const b = Buffer.alloc(ICMP_HEADER_LEN + data.length);
      b[ICMP_TYPE] = spec.type;
      b[ICMP_CODE] = spec.code ?? 0;
      b.writeUInt32BE((spec.rest ?? 0) >>> 0, ICMP_ID);
      b.set(data, ICMP_HEADER_LEN);
      b.writeUInt16BE(spec.checksum ?? internetChecksum(b), ICMP_CHECKSUM);
      return b;
    },
  };
}

/** Builds an echo request (reply=false) or reply with id, seq and data. */
export function icmpEcho(reply: boolean, id: number, seq: number, data: Uint8Array = new Uint8Array(0)): TransportSegment {
  return icmpMessage({ type: reply ? ICMP_ECHOREPLY : ICMP_ECHO, rest: ((id & 0xffff) << 16) | (seq & 0xffff), data });
}

/**
 * Builds a destination unreachable (default code: port) quoting the original IP datagram, cut to
 * quoteBytes (default as Linux: up to 548 bytes).
 */
export function icmpUnreachable(original: Uint8Array, code = ICMP_UNREACH_PORT, quoteBytes = ICMP_ERROR_MAX_QUOTE, mtu = 0): TransportSegment {
  return icmpMessage({ type: ICMP_UNREACH, code, rest: code === ICMP_UNREACH_NEEDFRAG ? mtu & 0xffff : 0, data: original.subarray(0, quoteBytes) });
}

/** Builds a time exceeded in transit (code 0) quoting the original datagram. */
export function icmpTimeExceeded(original: Uint8Array, quoteBytes = ICMP_ERROR_MAX_QUOTE): TransportSegment {
  return icmpMessage({ type: ICMP_TIMXCEED, code: 0, data: original.subarray(0, quoteBytes) });
}
