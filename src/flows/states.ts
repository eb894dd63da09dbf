/**
 * Zeek's connection vocabulary (base/protocols/conn/main.zeek, TCPSessionAdapter.cc): the per-endpoint
 * states, the history letters, and `conn_state()`. See /work/shared/docs/CONNECTION-STATES.md.
 */

/** TCP endpoint states, as Zeek's TCP_ENDPOINT_*. UDP and other protocols use INACTIVE and ACTIVE only. */
export const EP_INACTIVE = 0;
export const EP_SYN_SENT = 1;
export const EP_SYN_ACK_SENT = 2;
export const EP_PARTIAL = 3;
export const EP_ESTABLISHED = 4;
export const EP_CLOSED = 5;
export const EP_RESET = 6;
/** A UDP/ICMP/other endpoint that sent something. */
export const EP_ACTIVE = 7;

export const ENDPOINT_STATE_NAMES: readonly string[] = [
  'INACTIVE',
  'SYN_SENT',
  'SYN_ACK_SENT',
  'PARTIAL',
  'ESTABLISHED',
  'CLOSED',
  'RESET',
  'ACTIVE',
];

/** Says whether Zeek counts the state as "inactive" (INACTIVE or PARTIAL). */
export function isInactive(state: number): boolean {
  return state === EP_INACTIVE || state === EP_PARTIAL;
}

/**
 * The history letters, as upper-case codes; the responder's are lower case. Each has a bit in a per-
 * endpoint mask that remembers it was recorded once.
 */
export const HIST_SYN = 1 << 0; // S or H (shared: a SYN+ACK repeats only with a new sequence number)
export const HIST_FIN = 1 << 1; // F
export const HIST_RST = 1 << 2; // R
export const HIST_ACK = 1 << 3; // A
export const HIST_DATA = 1 << 4; // D
export const HIST_MULTI = 1 << 5; // Q
export const HIST_FIN_RST = 1 << 6; // I
/** Internal bit: the endpoint has sent payload, so `seqMax` is meaningful. */
export const HIST_SEQ_KNOWN = 1 << 7;

/** The state of a connection that an analyst reads: Zeek's conn_state codes. */
export type ConnState = 'S0' | 'S1' | 'SF' | 'REJ' | 'S2' | 'S3' | 'RSTO' | 'RSTR' | 'RSTOS0' | 'RSTRH' | 'SH' | 'SHR' | 'OTH';

const RSTOS0_HISTORY = /^\^?S[^HAFGIQ]*R.*/;

/**
 * Zeek's `conn_state()`: the connection's state code from its transport, both endpoint states, the
 * payload bytes each side sent, and its history. First match wins, exactly in Zeek's order.
 */
export function connState(proto: 'tcp' | 'udp' | 'other', os: number, rs: number, origBytes: number, respBytes: number, history: string): ConnState {
  if (proto === 'udp') {
    if (os === EP_ACTIVE) return rs === EP_ACTIVE ? 'SF' : 'S0';
    return rs === EP_ACTIVE ? 'SHR' : 'OTH';
  }
  if (proto !== 'tcp') return 'OTH';
  const oInactive = isInactive(os);
  const rInactive = isInactive(rs);
  if (rs === EP_RESET) {
    if (os === EP_SYN_SENT || os === EP_SYN_ACK_SENT || (os === EP_RESET && origBytes === 0 && respBytes === 0)) return 'REJ';
    return oInactive ? 'RSTRH' : 'RSTR';
  }
  if (os === EP_RESET) {
    if (rInactive) return RSTOS0_HISTORY.test(history) ? 'RSTOS0' : 'OTH';
    return 'RSTO';
  }
  if (rs === EP_CLOSED && os === EP_CLOSED) return 'SF';
  if (os === EP_CLOSED) return rInactive ? 'SH' : 'S2';
  if (rs === EP_CLOSED) return oInactive ? 'SHR' : 'S3';
  if (os === EP_SYN_SENT && rs === EP_INACTIVE) return 'S0';
  if (os === EP_ESTABLISHED && rs === EP_ESTABLISHED) return 'S1';
  return 'OTH';
}

/** What each conn_state means, in an analyst's words. */
export const CONN_STATE_MEANINGS: Readonly<Record<ConnState, string>> = {
  S0: 'attempt seen, no reply',
  S1: 'established, not terminated',
  SF: 'normal establishment and termination',
  REJ: 'attempt rejected',
  S2: 'established, originator closed, no reply from responder',
  S3: 'established, responder closed, no reply from originator',
  RSTO: 'established, originator aborted (RST)',
  RSTR: 'responder sent RST',
  RSTOS0: 'originator sent SYN then RST, no SYN-ACK seen',
  RSTRH: 'responder sent SYN-ACK then RST, no SYN seen from originator',
  SH: 'originator sent SYN then FIN, no SYN-ACK from responder',
  SHR: 'responder sent SYN-ACK then FIN, no SYN from originator',
  OTH: 'no SYN seen, just midstream traffic',
};
