/**
 * ARP (RFC 826).
 *
 *  +---------------+---------------+-------+-------+---------------+
 *  | hardware type | protocol type | hlen  | plen  |   operation   |
 *  +---------------+---------------+-------+-------+---------------+
 *  | sender hardware address (hlen) | sender protocol address (plen)
 *  | target hardware address (hlen) | target protocol address (plen)
 */
import type { NameTable } from './names.js';

export const ARP_HRD = 0;
export const ARP_PRO = 2;
export const ARP_HLN = 4;
export const ARP_PLN = 5;
export const ARP_OP = 6;
export const ARP_SHA = 8;
export const ARP_FIXED_LEN = 8;

export const ARPOP_REQUEST = 1;
export const ARPOP_REPLY = 2;
export const ARPOP_REVREQUEST = 3;
export const ARPOP_REVREPLY = 4;
export const ARPOP_INVREQUEST = 8;
export const ARPOP_INVREPLY = 9;
export const ARPHRD_ATM2225 = 19;

/** tcpdump's arpop_values. */
export const ARPOP_NAMES: NameTable = new Map([
  [1, 'Request'],
  [2, 'Reply'],
  [3, 'Reverse Request'],
  [4, 'Reverse Reply'],
  [8, 'Inverse Request'],
  [9, 'Inverse Reply'],
  [10, 'NACK Reply'],
]);

/** tcpdump's arphrd_values. */
export const ARPHRD_NAMES: NameTable = new Map([
  [1, 'Ethernet'],
  [6, 'TokenRing'],
  [7, 'ArcNet'],
  [15, 'FrameRelay'],
  [19, 'ATM'],
  [23, 'Strip'],
  [24, 'IEEE 1394'],
]);

/** Offsets of the variable-length address fields for given hardware and protocol lengths. */
export function arpSpa(hln: number): number {
  return ARP_SHA + hln;
}
export function arpTha(hln: number, pln: number): number {
  return ARP_SHA + hln + pln;
}
export function arpTpa(hln: number, pln: number): number {
  return ARP_SHA + 2 * hln + pln;
}
