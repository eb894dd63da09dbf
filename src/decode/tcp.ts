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

// Field offsets and flag bits live in src/wire/tcp.ts; the decoder's names for them:
export {
  TCP_SPORT as TCP_SRC_PORT,
  TCP_DPORT as TCP_DST_PORT,
  TCP_SEQ,
  TCP_ACK,
  TCP_OFFSET as TCP_DATA_OFFSET,
  TCP_FLAGS,
  TCP_WINDOW,
  TCP_CHECKSUM,
  TCP_URGENT,
  TCP_MIN_HEADER_LEN,
  TH_FIN as TCP_FIN,
  TH_SYN as TCP_SYN,
  TH_RST as TCP_RST,
  TH_PUSH as TCP_PSH,
  TH_ACK as TCP_ACK_FLAG,
  TH_URG as TCP_URG,
  TH_ECE as TCP_ECE,
  TH_CWR as TCP_CWR,
} from '../wire/tcp.js';
import { TCP_SPORT as TCP_SRC_PORT, TCP_DPORT as TCP_DST_PORT, TCP_SEQ, TCP_ACK, TCP_OFFSET as TCP_DATA_OFFSET, TCP_FLAGS, TCP_WINDOW, TCP_MIN_HEADER_LEN } from '../wire/tcp.js';

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
