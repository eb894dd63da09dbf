/**
 * TCP (RFC 9293, section 3.1).
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                        Sequence Number                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Acknowledgment Number                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Checksum            |         Urgent Pointer        |
 */
import { LAYER_TRANSPORT, STOP_BAD_TRANSPORT, STOP_TRUNCATED, type DecodedPacket } from './packet.js';
import { u16, u32 } from './read.js';

export const TCP_SRC_PORT = 0;
export const TCP_DST_PORT = 2;
export const TCP_SEQ = 4;
export const TCP_ACK = 8;
export const TCP_DATA_OFFSET = 12;
export const TCP_FLAGS = 13;
export const TCP_WINDOW = 14;
export const TCP_CHECKSUM = 16;
export const TCP_URGENT = 18;
export const TCP_MIN_HEADER_LEN = 20;

export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK_FLAG = 0x10;
export const TCP_URG = 0x20;
export const TCP_ECE = 0x40;
export const TCP_CWR = 0x80;

/**
 * Decodes the TCP header at `off` (the datagram holds `length` bytes from there by the IP lengths). Ports
 * are filled as soon as their 4 bytes are captured, as tcpdump prints them; the rest needs the whole fixed
 * header.
 */
export function decodeTcp(p: DecodedPacket, off: number, length: number): void {
  const d = p.data;
  const end = p.netEnd;
  p.stopLayer = LAYER_TRANSPORT;
  p.transportOffset = off;
  if (end - off < 4) {
    p.stopReason = STOP_TRUNCATED;
    return;
  }
  p.srcPort = u16(d, off + TCP_SRC_PORT);
  p.dstPort = u16(d, off + TCP_DST_PORT);
  if (end - off < TCP_MIN_HEADER_LEN) {
    p.stopReason = STOP_TRUNCATED;
    return;
  }
  p.seq = u32(d, off + TCP_SEQ);
  p.ack = u32(d, off + TCP_ACK);
  p.tcpFlags = d[off + TCP_FLAGS]!;
  p.window = u16(d, off + TCP_WINDOW);
  const hlen = (d[off + TCP_DATA_OFFSET]! >> 4) * 4;
  p.tcpHeaderLength = hlen;
  if (hlen < TCP_MIN_HEADER_LEN) {
    p.stopReason = STOP_BAD_TRANSPORT;
    return;
  }
  p.payloadOffset = off + hlen;
  p.payloadLength = length > hlen ? length - hlen : 0;
}
