/**
 * Zeek's TCP endpoint state machine and history letters, applied to one packet of a flow
 * (TCPSessionAdapter::UpdateStateMachine and update_history, as CONNECTION-STATES.md describes them), plus
 * the handshake progress pcapsift's `handshakes` reports.
 *
 * Deliberate simplifications, documented: `c` (bad checksum) and `g` (content gap) are never recorded
 * (checksums are not verified, streams are not reassembled); `t` counts a payload segment that ends at or
 * before the highest sequence number the endpoint already sent (a retransmission, or a late out-of-order
 * segment). Payload sizes are summed from the IP lengths rather than taken from sequence numbers.
 */
import type { DecodedPacket } from '../decode/packet.js';
import { TCP_ACK_FLAG, TCP_FIN, TCP_RST, TCP_SYN } from '../decode/tcp.js';
import { DIR_ORIG, EPW_HIST, EPW_LAST_FIN, EPW_LAST_RST, EPW_LAST_SYN, EPW_RETRANSMITS, EPW_SEQ_MAX, EPW_STATE, EPW_ZERO_WINDOWS, type FlowTable } from './flow-table.js';
import {
  EP_CLOSED,
  EP_ESTABLISHED,
  EP_INACTIVE,
  EP_PARTIAL,
  EP_RESET,
  EP_SYN_ACK_SENT,
  EP_SYN_SENT,
  HIST_ACK,
  HIST_DATA,
  HIST_FIN,
  HIST_FIN_RST,
  HIST_MULTI,
  HIST_RST,
  HIST_SEQ_KNOWN,
  HIST_SYN,
} from './states.js';

/** Handshake progress bits kept per flow. */
export const HS_SYN = 1;
export const HS_SYNACK = 2;
export const HS_ACK = 4;
export const HS_REJECTED = 8;
/** Bits a consumer may read. */
export const TCP_HANDSHAKE_BITS = { HS_SYN, HS_SYNACK, HS_ACK, HS_REJECTED } as const;

const CH_S = 0x53;
const CH_H = 0x48;
const CH_F = 0x46;
const CH_R = 0x52;
const CH_A = 0x41;
const CH_D = 0x44;
const CH_Q = 0x51;
const CH_I = 0x49;
const CH_W = 0x57;
const CH_T = 0x54;

/** Says whether n is 1, 10, 100, ...: Zeek's logarithmic letters repeat at those counts. */
function isPowerOfTen(n: number): boolean {
  while (n >= 10 && n % 10 === 0) n /= 10;
  return n === 1;
}

/**
 * Applies one TCP segment (sent by `dir`) to the flow's states, history and handshake progress. It reads
 * the segment's fields from the packet itself: a sequence number passed as an argument is a double above
 * 2^30, boxed on every call (16 bytes a packet).
 */
export function trackTcp(t: FlowTable, id: number, dir: number, p: DecodedPacket): void {
  const flags = p.tcpFlags;
  const seq = p.seq;
  const window = p.window;
  const payloadLength = p.payloadLength;
  const ep = t.words;
  const e = t.epIndex(id, dir);
  const peer = t.epIndex(id, 1 - dir);
  const isOrig = dir === DIR_ORIG;
  const syn = (flags & TCP_SYN) !== 0;
  const fin = (flags & TCP_FIN) !== 0;
  const rst = (flags & TCP_RST) !== 0;
  const ack = (flags & TCP_ACK_FLAG) !== 0;

  // ---- history letters (update_history)
  const bits = (syn ? 1 : 0) + (fin ? 1 : 0) + (rst ? 1 : 0);
  if (bits > 1) {
    if (fin && rst) t.checkHistory(id, dir, HIST_FIN_RST, CH_I);
    else t.checkHistory(id, dir, HIST_MULTI, CH_Q);
  } else if (bits === 1) {
    if (syn) {
      const code = ack ? CH_H : CH_S;
      if (t.checkHistory(id, dir, HIST_SYN, code) && seq !== ep[e + EPW_LAST_SYN]) t.addHistory(id, dir, code);
      ep[e + EPW_LAST_SYN] = seq;
    } else if (fin) {
      // A FIN's sequence number comes after the payload it carries.
      const finSeq = (seq + payloadLength) >>> 0;
      if (t.checkHistory(id, dir, HIST_FIN, CH_F) && finSeq !== ep[e + EPW_LAST_FIN]) t.addHistory(id, dir, CH_F);
      ep[e + EPW_LAST_FIN] = finSeq;
    } else {
      if (t.checkHistory(id, dir, HIST_RST, CH_R) && seq !== ep[e + EPW_LAST_RST]) t.addHistory(id, dir, CH_R);
      ep[e + EPW_LAST_RST] = seq;
    }
  } else if (payloadLength > 0) {
    t.checkHistory(id, dir, HIST_DATA, CH_D);
  } else if (ack) {
    t.checkHistory(id, dir, HIST_ACK, CH_A);
  }

  // Zero windows are uninteresting on SYNs and RSTs and once the endpoint has reset.
  if (window === 0 && !syn && !rst && ep[e + EPW_STATE] !== EP_RESET) {
    const n = ++ep[e + EPW_ZERO_WINDOWS]!;
    if (isPowerOfTen(n)) t.addHistory(id, dir, CH_W);
  }
  if (payloadLength > 0) {
    const endSeq = (seq + payloadLength) >>> 0;
    if ((ep[e + EPW_HIST]! & HIST_SEQ_KNOWN) !== 0 && ((endSeq - ep[e + EPW_SEQ_MAX]!) | 0) <= 0) {
      const n = ++ep[e + EPW_RETRANSMITS]!;
      if (isPowerOfTen(n)) t.addHistory(id, dir, CH_T);
    } else {
      ep[e + EPW_SEQ_MAX] = endSeq;
      ep[e + EPW_HIST]! |= HIST_SEQ_KNOWN;
    }
  }

  // ---- handshake progress (what `handshakes` reports)
  const core = flags & (TCP_SYN | TCP_ACK_FLAG | TCP_RST | TCP_FIN);
  const hs = t.handshake(id);
  if (isOrig) {
    if (core === TCP_SYN) t.setHandshake(id, hs | HS_SYN);
    else if ((hs & HS_SYNACK) !== 0 && ack && !syn && !rst) t.setHandshake(id, hs | HS_ACK);
  } else if ((hs & HS_SYN) !== 0) {
    if (core === (TCP_SYN | TCP_ACK_FLAG)) t.setHandshake(id, hs | HS_SYNACK);
    else if (rst && (hs & HS_SYNACK) === 0) t.setHandshake(id, hs | HS_REJECTED);
  }

  // ---- endpoint states (UpdateStateMachine)
  const st = ep;
  const se = e + EPW_STATE;
  const sp = peer + EPW_STATE;
  switch (st[se]) {
    case EP_INACTIVE:
      if (syn) {
        if (isOrig) {
          st[se] = ack ? EP_SYN_ACK_SENT : EP_SYN_SENT;
        } else {
          if (!ack && st[sp] === EP_SYN_ACK_SENT) {
            // A SYN answering an originator's SYN+ACK: Zeek establishes the originator.
            st[sp] = EP_ESTABLISHED;
          }
          if (st[sp] === EP_SYN_SENT) st[sp] = EP_ESTABLISHED;
          st[se] = EP_ESTABLISHED;
        }
      }
      if (fin) st[se] = EP_CLOSED;
      if (rst) st[se] = EP_RESET;
      if (st[se] === EP_INACTIVE) st[se] = EP_PARTIAL;
      break;
    case EP_SYN_SENT:
    case EP_SYN_ACK_SENT:
      if (fin) st[se] = EP_CLOSED;
      if (rst) st[se] = EP_RESET;
      break;
    case EP_PARTIAL:
    case EP_ESTABLISHED:
      if (syn && st[se] === EP_PARTIAL && st[sp] === EP_INACTIVE && !ack) st[se] = EP_SYN_SENT;
      if (fin && !rst) st[se] = EP_CLOSED;
      if (rst) st[se] = EP_RESET;
      break;
    case EP_CLOSED:
      // A RST after both sides sent FIN changes nothing.
      if (rst && st[sp] !== EP_CLOSED) st[se] = EP_RESET;
      break;
    default:
      break;
  }
}
