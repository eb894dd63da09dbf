/**
 * IPv6 (RFC 8200) and its extension headers.
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Version| Traffic Class |           Flow Label                  |
 * |         Payload Length        |  Next Header  |   Hop Limit   |
 * |                Source Address (16 octets)                     |
 * |             Destination Address (16 octets)                   |
 *
 * Extension headers (hop-by-hop, destination options, routing) start with next-header and a length in
 * 8-octet units not counting the first 8; the fragment header is 8 octets:
 * | Next Header |  Reserved  |   Fragment Offset   |Res|M|  Identification (32) |
 */
export const IPV6_VTC_FLOW = 0;
export const IPV6_PAYLOAD_LEN = 4;
export const IPV6_NEXT_HEADER = 6;
export const IPV6_HOP_LIMIT = 7;
export const IPV6_SRC = 8;
export const IPV6_DST = 24;
export const IPV6_HEADER_LEN = 40;

export const EXT_NEXT_HEADER = 0;
export const EXT_LEN = 1;

export const FRAG6_OFFLG = 2;
export const FRAG6_IDENT = 4;
export const FRAG6_LEN = 8;
export const FRAG6_OFF_MASK = 0xfff8;

export const RT6_TYPE = 2;
export const RT6_SEGLEFT = 3;
export const RT6_RESERVED = 4;
export const RT6_ADDRS = 8;

export const IP6OPT_PAD1 = 0x00;
export const IP6OPT_PADN = 0x01;
export const IP6OPT_ROUTER_ALERT = 0x05;
export const IP6OPT_JUMBO = 0xc2;
export const IP6OPT_HOME_ADDRESS = 0xc9;
export const IP6OPT_JUMBO_LEN = 6;
export const IP6OPT_RTALERT_LEN = 4;
export const IP6OPT_HOMEADDR_MINLEN = 18;
export const IP6OPT_MINLEN = 2;

/** The fragment header's more-fragments flag (in FRAG6_OFFLG's 16 bits). */
export const IPV6_FRAG_MORE = 0x0001;

/** Routing header types: 0 (deprecated source route), 2 (Mobile IPv6), 4 (segment routing). */
export const IPV6_ROUTING_TYPE_0 = 0;
export const IPV6_ROUTING_TYPE_2 = 2;
export const IPV6_ROUTING_TYPE_SRH = 4;
