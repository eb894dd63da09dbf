/**
 * IPv4 (RFC 791).
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version|  IHL  |Type of Service|          Total Length         |
 * |         Identification        |Flags|      Fragment Offset    |
 * |  Time to Live |    Protocol   |         Header Checksum       |
 * |                       Source Address                          |
 * |                    Destination Address                        |
 * |                    Options                    |    Padding    |
 */
import type { NameTable } from './names.js';

export const IPV4_VER_IHL = 0;
export const IPV4_TOS = 1;
export const IPV4_TOTAL_LEN = 2;
export const IPV4_ID = 4;
export const IPV4_FRAG = 6;
export const IPV4_TTL = 8;
export const IPV4_PROTO = 9;
export const IPV4_CHECKSUM = 10;
export const IPV4_SRC = 12;
export const IPV4_DST = 16;
export const IPV4_MIN_HEADER_LEN = 20;

export const IP_RF = 0x8000;
export const IP_DF = 0x4000;
export const IP_MF = 0x2000;
export const IP_OFFMASK = 0x1fff;

/** tcpdump's ip_frag_values, in its order. */
export const IP_FRAG_BITS: ReadonlyArray<readonly [number, string]> = [
  [IP_MF, '+'],
  [IP_DF, 'DF'],
  [IP_RF, 'rsvd'],
];

export const IPPROTO_HOPOPTS = 0;
export const IPPROTO_ICMP = 1;
export const IPPROTO_IGMP = 2;
export const IPPROTO_IPIP = 4;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_DCCP = 33;
export const IPPROTO_IPV6 = 41;
export const IPPROTO_ROUTING = 43;
export const IPPROTO_FRAGMENT = 44;
export const IPPROTO_GRE = 47;
export const IPPROTO_ESP = 50;
export const IPPROTO_AH = 51;
export const IPPROTO_ICMPV6 = 58;
export const IPPROTO_NONE = 59;
export const IPPROTO_DSTOPTS = 60;
export const IPPROTO_MOBILITY_OLD = 62;
export const IPPROTO_SCTP = 132;
export const IPPROTO_MOBILITY = 135;

/** tcpdump's ipproto_values (netdissect's names, not /etc/protocols). */
export const IPPROTO_NAMES: NameTable = new Map([
  [0, 'Options'],
  [1, 'ICMP'],
  [2, 'IGMP'],
  [4, 'IPIP'],
  [6, 'TCP'],
  [8, 'EGP'],
  [9, 'IGRP'],
  [17, 'UDP'],
  [33, 'DCCP'],
  [41, 'IPv6'],
  [43, 'Routing'],
  [44, 'Fragment'],
  [46, 'RSVP'],
  [47, 'GRE'],
  [50, 'ESP'],
  [51, 'AH'],
  [55, 'Mobile IP'],
  [58, 'ICMPv6'],
  [62, 'Mobile IP (old)'],
  [88, 'EIGRP'],
  [89, 'OSPF'],
  [103, 'PIM'],
  [108, 'Compressed IP'],
  [112, 'VRRP'],
  [113, 'PGM'],
  [132, 'SCTP'],
  [135, 'Mobility'],
  [143, 'Ethernet'],
]);

export const IPOPT_EOL = 0;
export const IPOPT_NOP = 1;
export const IPOPT_RR = 7;
export const IPOPT_TS = 68;
export const IPOPT_SECURITY = 130;
export const IPOPT_LSRR = 131;
export const IPOPT_SSRR = 137;
export const IPOPT_RA = 148;
export const IPOPT_TRACEROUTE = 82;

/** tcpdump's ip_option_values. */
export const IPOPT_NAMES: NameTable = new Map([
  [IPOPT_EOL, 'EOL'],
  [IPOPT_NOP, 'NOP'],
  [IPOPT_TS, 'timestamp'],
  [IPOPT_SECURITY, 'security'],
  [IPOPT_RR, 'RR'],
  [IPOPT_SSRR, 'SSRR'],
  [IPOPT_LSRR, 'LSRR'],
  [IPOPT_RA, 'RA'],
  [IPOPT_TRACEROUTE, 'traceroute'],
]);

export const IPOPT_TS_TSONLY = 0;
export const IPOPT_TS_TSANDADDR = 1;
export const IPOPT_TS_PRESPEC = 3;
