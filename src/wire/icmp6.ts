/**
 * ICMPv6 (RFC 4443), Neighbor Discovery (RFC 4861), MLD (RFC 2710, RFC 3810).
 *
 * +---------------+---------------+-------------------------------+
 * |     Type      |     Code      |          Checksum             |
 * |                    message body ...
 */
import type { NameTable } from './names.js';

export const ICMP6_TYPE = 0;
export const ICMP6_CODE = 1;
export const ICMP6_CHECKSUM = 2;
export const ICMP6_DATA = 4;
export const ICMP6_ID = 4;
export const ICMP6_SEQ = 6;
export const ICMP6_MTU = 4;
export const ICMP6_PPTR = 4;
export const ICMP6_QUOTED = 8;
export const ICMP6_HEADER_LEN = 8;

export const ICMP6_DST_UNREACH = 1;
export const ICMP6_PACKET_TOO_BIG = 2;
export const ICMP6_TIME_EXCEEDED = 3;
export const ICMP6_PARAM_PROB = 4;
export const ICMP6_ECHO_REQUEST = 128;
export const ICMP6_ECHO_REPLY = 129;
export const ICMP6_MEMBERSHIP_QUERY = 130;
export const ICMP6_MEMBERSHIP_REPORT = 131;
export const ICMP6_MEMBERSHIP_REDUCTION = 132;
export const ND_ROUTER_SOLICIT = 133;
export const ND_ROUTER_ADVERT = 134;
export const ND_NEIGHBOR_SOLICIT = 135;
export const ND_NEIGHBOR_ADVERT = 136;
export const ND_REDIRECT = 137;
export const ICMP6_ROUTER_RENUMBERING = 138;
export const ICMP6_NI_QUERY = 139;
export const ICMP6_NI_REPLY = 140;
export const IND_SOLICIT = 141;
export const IND_ADVERT = 142;
export const ICMP6_V2_MEMBERSHIP_REPORT = 143;
export const ICMP6_HADISCOV_REQUEST = 144;
export const ICMP6_HADISCOV_REPLY = 145;
export const ICMP6_MOBILEPREFIX_SOLICIT = 146;
export const ICMP6_MOBILEPREFIX_ADVERT = 147;

export const ICMP6_DST_UNREACH_NOPORT = 4;

/** Neighbor advertisement flags (the 32-bit word after the checksum). */
export const ND_NA_FLAG_ROUTER = 0x80000000;
export const ND_NA_FLAG_SOLICITED = 0x40000000;
export const ND_NA_FLAG_OVERRIDE = 0x20000000;

export const MLD_MINLEN = 24;
export const MLDV2_MINLEN = 28;

/** tcpdump's icmp6_type_values. */
export const ICMP6_TYPE_NAMES: NameTable = new Map([
  [1, 'destination unreachable'],
  [2, 'packet too big'],
  [3, 'time exceeded in-transit'],
  [4, 'parameter problem'],
  [128, 'echo request'],
  [129, 'echo reply'],
  [130, 'multicast listener query'],
  [131, 'multicast listener report'],
  [132, 'multicast listener done'],
  [133, 'router solicitation'],
  [134, 'router advertisement'],
  [135, 'neighbor solicitation'],
  [136, 'neighbor advertisement'],
  [137, 'redirect'],
  [138, 'router renumbering'],
  [139, 'node information query'],
  [140, 'node information reply'],
  [141, 'inverse neighbor solicitation'],
  [142, 'inverse neighbor advertisement'],
  [143, 'multicast listener report v2'],
  [144, 'ha discovery request'],
  [145, 'ha discovery reply'],
  [146, 'mobile router solicitation'],
  [147, 'mobile router advertisement'],
  [155, 'RPL'],
]);

/** tcpdump's icmp6_dst_unreach_code_values. */
export const ICMP6_UNREACH_CODE_NAMES: NameTable = new Map([
  [0, 'unreachable route'],
  [1, 'unreachable prohibited'],
  [2, 'beyond scope'],
  [3, 'unreachable address'],
  [4, 'unreachable port'],
  [5, 'source address failed ingress/egress policy'],
  [6, 'reject route to destination'],
]);

export const ND_OPT_SOURCE_LINKADDR = 1;
export const ND_OPT_TARGET_LINKADDR = 2;
export const ND_OPT_PREFIX_INFORMATION = 3;
export const ND_OPT_REDIRECTED_HEADER = 4;
export const ND_OPT_MTU = 5;
export const ND_OPT_ADVINTERVAL = 7;
export const ND_OPT_HOMEAGENT_INFO = 8;
export const ND_OPT_NONCE = 14;
export const ND_OPT_ROUTE_INFO = 24;
export const ND_OPT_RDNSS = 25;
export const ND_OPT_DNSSL = 31;
export const ND_OPT_PREF64 = 38;

/** tcpdump's icmp6_opt_values. */
export const ND_OPT_NAMES: NameTable = new Map([
  [1, 'source link-address'],
  [2, 'destination link-address'],
  [3, 'prefix info'],
  [4, 'redirected header'],
  [5, 'mtu'],
  [7, 'advertisement interval'],
  [8, 'homeagent information'],
  [24, 'route info'],
  [25, 'rdnss'],
  [31, 'dnssl'],
]);

/** tcpdump's icmp6_opt_ra_flag_values. */
export const RA_FLAG_BITS: ReadonlyArray<readonly [number, string]> = [
  [0x40, 'other stateful'],
  [0x80, 'managed'],
  [0x20, 'home agent'],
  [0x02, 'ipv6 only'],
];

/** tcpdump's icmp6_nd_na_flag_values (bits of the 32-bit flags word). */
export const NA_FLAG_BITS: ReadonlyArray<readonly [number, string]> = [
  [0x80000000, 'router'],
  [0x40000000, 'solicited'],
  [0x20000000, 'override'],
];

/** tcpdump's icmp6_opt_pi_flag_values. */
export const PI_FLAG_BITS: ReadonlyArray<readonly [number, string]> = [
  [0x80, 'onlink'],
  [0x40, 'auto'],
  [0x20, 'router'],
];

/** tcpdump's mldv2report2str. */
export const MLDV2_RECORD_NAMES: NameTable = new Map([
  [1, 'is_in'],
  [2, 'is_ex'],
  [3, 'to_in'],
  [4, 'to_ex'],
  [5, 'allow'],
  [6, 'block'],
]);

/** Router preference words indexed by the 2-bit field (tcpdump's rtpref_str). */
export const ROUTER_PREFERENCE = ['medium', 'high', 'rsv', 'low'] as const;
