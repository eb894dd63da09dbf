/**
 * ICMP for IPv4 (RFC 792).
 *
 * +---------------+---------------+-------------------------------+
 * |     Type      |     Code      |          Checksum             |
 * |   identifier / unused / gateway / pointer (4 octets)          |
 * |   quoted IP header + 8 octets, or echo data ...
 */
import type { NameTable } from './names.js';

export const ICMP_TYPE = 0;
export const ICMP_CODE = 1;
export const ICMP_CHECKSUM = 2;
export const ICMP_ID = 4;
export const ICMP_SEQ = 6;
export const ICMP_GATEWAY = 4;
export const ICMP_PPTR = 4;
export const ICMP_MTU = 6;
export const ICMP_QUOTED_IP = 8;
/** Type, code, checksum and the 4-octet rest of the header. */
export const ICMP_HEADER_LEN = 8;
export const ICMP_MASK = 8;
export const ICMP_OTIME = 8;
export const ICMP_RTIME = 12;
export const ICMP_TTIME = 16;

export const ICMP_ECHOREPLY = 0;
export const ICMP_UNREACH = 3;
export const ICMP_SOURCEQUENCH = 4;
export const ICMP_REDIRECT = 5;
export const ICMP_ECHO = 8;
export const ICMP_ROUTERADVERT = 9;
export const ICMP_ROUTERSOLICIT = 10;
export const ICMP_TIMXCEED = 11;
export const ICMP_PARAMPROB = 12;
export const ICMP_TSTAMP = 13;
export const ICMP_TSTAMPREPLY = 14;
export const ICMP_IREQ = 15;
export const ICMP_IREQREPLY = 16;
export const ICMP_MASKREQ = 17;
export const ICMP_MASKREPLY = 18;

export const ICMP_UNREACH_NET = 0;
export const ICMP_UNREACH_HOST = 1;
export const ICMP_UNREACH_PROTOCOL = 2;
export const ICMP_UNREACH_PORT = 3;
export const ICMP_UNREACH_NEEDFRAG = 4;

/** Says whether a type quotes the offending datagram (tcpdump's ICMP_ERRTYPE). */
export function icmpIsError(type: number): boolean {
  return type === ICMP_UNREACH || type === ICMP_SOURCEQUENCH || type === ICMP_REDIRECT || type === ICMP_TIMXCEED || type === ICMP_PARAMPROB;
}

/** tcpdump's icmp2str: types printed by name alone. */
export const ICMP_TYPE_NAMES: NameTable = new Map([
  [ICMP_ECHOREPLY, 'echo reply'],
  [ICMP_SOURCEQUENCH, 'source quench'],
  [ICMP_ECHO, 'echo request'],
  [ICMP_ROUTERSOLICIT, 'router solicitation'],
  [ICMP_TSTAMP, 'time stamp request'],
  [ICMP_TSTAMPREPLY, 'time stamp reply'],
  [ICMP_IREQ, 'information request'],
  [ICMP_IREQREPLY, 'information reply'],
  [ICMP_MASKREQ, 'address mask request'],
]);

/** tcpdump's unreach2str: `%s` is the quoted destination. */
export const ICMP_UNREACH_FORMATS: NameTable = new Map([
  [0, 'net %s unreachable'],
  [1, 'host %s unreachable'],
  [5, '%s unreachable - source route failed'],
  [6, 'net %s unreachable - unknown'],
  [7, 'host %s unreachable - unknown'],
  [8, '%s unreachable - source host isolated'],
  [9, 'net %s unreachable - admin prohibited'],
  [10, 'host %s unreachable - admin prohibited'],
  [11, 'net %s unreachable - tos prohibited'],
  [12, 'host %s unreachable - tos prohibited'],
  [13, 'host %s unreachable - admin prohibited filter'],
  [14, 'host %s unreachable - host precedence violation'],
  [15, 'host %s unreachable - precedence cutoff'],
]);

/** tcpdump's type2str for redirects: the quoted destination, then the gateway. */
export const ICMP_REDIRECT_FORMATS: NameTable = new Map([
  [0, 'redirect %s to net %s'],
  [1, 'redirect %s to host %s'],
  [2, 'redirect-tos %s to net %s'],
  [3, 'redirect-tos %s to host %s'],
]);
