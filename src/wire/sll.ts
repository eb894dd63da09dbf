/**
 * Linux "cooked" capture header, version 1 (LINKTYPE_LINUX_SLL, 113).
 *
 *  +---------------+---------------+---------------+
 *  | packet type   | ARPHRD type   | address length|
 *  +---------------+---------------+---------------+
 *  |           link-layer address (8 octets)       |
 *  +---------------+-------------------------------+
 *  | protocol      |
 *  +---------------+
 */
import type { NameTable } from './names.js';

export const SLL_PKTTYPE = 0;
export const SLL_HATYPE = 2;
export const SLL_HALEN = 4;
export const SLL_ADDR = 6;
export const SLL_PROTOCOL = 14;
export const SLL_HEADER_LEN = 16;

/** Protocol values below 1536 that name a framing rather than an EtherType. */
export const SLL_P_802_3 = 0x0001;
export const SLL_P_802_2 = 0x0004;

/** Packet types: the direction tcpdump prints as In, B, M, P, Out. */
export const SLL_HOST = 0;
export const SLL_BROADCAST = 1;
export const SLL_MULTICAST = 2;
export const SLL_OTHERHOST = 3;
export const SLL_OUTGOING = 4;

/** ARPHRD type of an Ethernet interface. */
export const ARPHRD_ETHER = 1;

/** tcpdump's sll_pkttype_values. */
export const SLL_PKTTYPE_NAMES: NameTable = new Map([
  [0, 'In'],
  [1, 'B'],
  [2, 'M'],
  [3, 'P'],
  [4, 'Out'],
]);
