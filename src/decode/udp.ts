/**
 * UDP (RFC 768).
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            Length             |           Checksum            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 */
import { LAYER_TRANSPORT, STOP_TRUNCATED, type DecodedPacket } from './packet.js';
import { u16 } from './read.js';

// Field offsets live in src/wire/udp.ts; the decoder's names for them:
export { UDP_SPORT as UDP_SRC_PORT, UDP_DPORT as UDP_DST_PORT, UDP_LENGTH, UDP_CHECKSUM, UDP_HEADER_LEN } from '../wire/udp.js';
import { UDP_SPORT as UDP_SRC_PORT, UDP_DPORT as UDP_DST_PORT, UDP_HEADER_LEN } from '../wire/udp.js';

/**
 * Decodes the UDP header at `off`; the payload length comes from the IP lengths (`length` bytes from `off`),
 * as tcpdump's does, not from the UDP length field.
 */
export function decodeUdp(p: DecodedPacket, off: number, length: number): void {
  const d = p.data;
  const end = p.netEnd;
  p.stopLayer = LAYER_TRANSPORT;
  p.transportOffset = off;
  if (end - off < 4) {
    p.stopReason = STOP_TRUNCATED;
    return;
  }
  p.srcPort = u16(d, off + UDP_SRC_PORT);
  p.dstPort = u16(d, off + UDP_DST_PORT);
  if (end - off < UDP_HEADER_LEN) {
    p.stopReason = STOP_TRUNCATED;
    return;
  }
  p.payloadOffset = off + UDP_HEADER_LEN;
  p.payloadLength = length > UDP_HEADER_LEN ? length - UDP_HEADER_LEN : 0;
}
