/**
 * TCP (RFC 9293).
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          Source Port          |       Destination Port        |
 * |                        Sequence Number                        |
 * |                    Acknowledgment Number                      |
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * |           Checksum            |         Urgent Pointer        |
 * |                    Options                    |    Padding    |
 */
import type { NameTable } from './names.js';

export const TCP_SPORT = 0;
export const TCP_DPORT = 2;
export const TCP_SEQ = 4;
export const TCP_ACK = 8;
export const TCP_OFFSET = 12;
export const TCP_FLAGS = 13;
export const TCP_WINDOW = 14;
export const TCP_CHECKSUM = 16;
export const TCP_URGENT = 18;
export const TCP_MIN_HEADER_LEN = 20;

export const TH_FIN = 0x01;
export const TH_SYN = 0x02;
export const TH_RST = 0x04;
export const TH_PUSH = 0x08;
export const TH_ACK = 0x10;
export const TH_URG = 0x20;
export const TH_ECE = 0x40;
export const TH_CWR = 0x80;

export const TCPOPT_EOL = 0;
export const TCPOPT_NOP = 1;
export const TCPOPT_MAXSEG = 2;
export const TCPOPT_WSCALE = 3;
export const TCPOPT_SACKOK = 4;
export const TCPOPT_SACK = 5;
export const TCPOPT_ECHO = 6;
export const TCPOPT_ECHOREPLY = 7;
export const TCPOPT_TIMESTAMP = 8;
export const TCPOPT_CC = 11;
export const TCPOPT_CCNEW = 12;
export const TCPOPT_CCECHO = 13;
export const TCPOPT_SIGNATURE = 19;
export const TCPOPT_SCPS = 20;
export const TCPOPT_UTO = 28;
export const TCPOPT_TCPAO = 29;
export const TCPOPT_MPTCP = 30;
export const TCPOPT_FASTOPEN = 34;
export const TCPOPT_EXPERIMENT2 = 254;
export const TCP_SIGLEN = 16;

/** tcpdump's tcp_option_values. */
export const TCPOPT_NAMES: NameTable = new Map([
  [TCPOPT_EOL, 'eol'],
  [TCPOPT_NOP, 'nop'],
  [TCPOPT_MAXSEG, 'mss'],
  [TCPOPT_WSCALE, 'wscale'],
  [TCPOPT_SACKOK, 'sackOK'],
  [TCPOPT_SACK, 'sack'],
  [TCPOPT_ECHO, 'echo'],
  [TCPOPT_ECHOREPLY, 'echoreply'],
  [TCPOPT_TIMESTAMP, 'TS'],
  [TCPOPT_CC, 'cc'],
  [TCPOPT_CCNEW, 'ccnew'],
  [TCPOPT_CCECHO, ''],
  [TCPOPT_SIGNATURE, 'md5'],
  [TCPOPT_SCPS, 'scps'],
  [TCPOPT_UTO, 'uto'],
  [TCPOPT_TCPAO, 'tcp-ao'],
  [TCPOPT_MPTCP, 'mptcp'],
  [TCPOPT_FASTOPEN, 'tfo'],
  [TCPOPT_EXPERIMENT2, 'exp'],
]);

/** Flag letters in tcpdump's order (tcp_flag_values). */
export const TCP_FLAG_LETTERS: ReadonlyArray<readonly [number, string]> = [
  [TH_FIN, 'F'],
  [TH_SYN, 'S'],
  [TH_RST, 'R'],
  [TH_PUSH, 'P'],
  [TH_ACK, '.'],
  [TH_URG, 'U'],
  [TH_ECE, 'E'],
  [TH_CWR, 'W'],
];

const FLAG_STRINGS: string[] = [];
for (let f = 0; f < 256; f++) {
  let s = '';
  for (const [bit, letter] of TCP_FLAG_LETTERS) if (f & bit) s += letter;
  FLAG_STRINGS.push(s === '' ? 'none' : s);
}

/** Returns the flag letters of a flags octet, `none` when empty (precomputed for all 256 values). */
export function tcpFlagsString(flags: number): string {
  return FLAG_STRINGS[flags & 0xff]!;
}

export const HTTP_PORT = 80;
export const HTTP_PORT_ALT = 8080;
export const SSH_PORT = 22;
export const TELNET_PORT = 23;
export const SMTP_PORT = 25;
export const FTP_PORT = 21;
export const DOMAIN_PORT = 53;
export const RTSP_PORT = 554;
export const RTSP_PORT_ALT = 8554;
export const WHOIS_PORT = 43;
export const BGP_PORT = 179;
