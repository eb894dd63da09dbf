/**
 * UDP datagrams (RFC 768) with a correct checksum over the IPv4 or IPv6 pseudo-header.
 *
 *   0 source port (2)   2 destination port (2)   4 length (2)   6 checksum (2)   8 data
 */
import { internetChecksum, pseudoHeaderSum } from './checksum.js';
import { IPPROTO_UDP } from '../wire/ipv4.js';
import { UDP_CHECKSUM, UDP_DPORT, UDP_HEADER_LEN, UDP_LENGTH, UDP_SPORT } from '../wire/udp.js';
import type { TransportSegment } from './transport.js';

export interface UdpSpec {
  sport: number;
  dport: number;
  payload?: Uint8Array;
  /** Overrides the checksum (0 means "none" over IPv4). */
  checksum?: number;
  /** Overrides the length field. */
  length?: number;
}

/** Builds a UDP datagram for an IP builder. */
export function udpDatagram(spec: UdpSpec): TransportSegment {
  return {
    protocol: IPPROTO_UDP,
    encode(src, dst) {
      const payload = spec.payload ?? new Uint8Array(0);
      const b = Buffer.alloc(UDP_HEADER_LEN + payload.length);
      b.writeUInt16BE(spec.sport, UDP_SPORT);
      b.writeUInt16BE(spec.dport, UDP_DPORT);
      b.writeUInt16BE(spec.length ?? b.length & 0xffff, UDP_LENGTH);
      b.set(payload, UDP_HEADER_LEN);
      let sum = internetChecksum(b, 0, b.length, pseudoHeaderSum(src, dst, IPPROTO_UDP, b.length));
      // A computed zero is sent as all ones: zero means "no checksum" (RFC 768).
      if (sum === 0) sum = 0xffff;
      b.writeUInt16BE(spec.checksum ?? sum, UDP_CHECKSUM);
      return b;
    },
  };
}
