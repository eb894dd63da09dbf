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

export const UDP_SRC_PORT = 0;
export const UDP_DST_PORT = 2;
export const UDP_LENGTH = 4;
export const UDP_CHECKSUM = 6;
export const UDP_HEADER_LEN = 8;

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
