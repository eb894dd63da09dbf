/**
 * BSD loopback encapsulation (LINKTYPE_NULL, 0, host byte order; LINKTYPE_LOOP, 108, network order):
 * a 4-octet address family, then the network-layer packet.
 */
import type { NameTable } from './names.js';

export const NULL_FAMILY = 0;
export const NULL_HEADER_LEN = 4;

export const BSD_AF_INET = 2;
export const BSD_AF_ISO = 7;
export const BSD_AF_APPLETALK = 16;
export const BSD_AF_IPX = 23;
export const BSD_AF_INET6_BSD = 24;
export const BSD_AF_INET6_FREEBSD = 28;
export const BSD_AF_INET6_DARWIN = 30;

/** tcpdump's bsd_af_values. */
export const BSD_AF_NAMES: NameTable = new Map([
  [BSD_AF_INET, 'IPv4'],
  [6, 'NS'],
  [BSD_AF_ISO, 'ISO'],
  [BSD_AF_APPLETALK, 'Appletalk'],
  [BSD_AF_IPX, 'IPX'],
  [BSD_AF_INET6_BSD, 'IPv6'],
  [BSD_AF_INET6_FREEBSD, 'IPv6'],
  [BSD_AF_INET6_DARWIN, 'IPv6'],
]);

/** AF_INET6 differs between systems: Linux 10, NetBSD/OpenBSD 24, FreeBSD 28, Darwin 30. */
export const BSD_AF_INET6_LINUX = 10;
