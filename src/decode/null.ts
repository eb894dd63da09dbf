/**
 * BSD loopback (LINKTYPE_NULL, LINKTYPE_LOOP): a 4-byte address family, then the IP packet. NULL stores the
 * family in the capturing host's byte order (so either order is met in files), LOOP in network order.
 *
 * +-------+-------+-------+-------+
 * |        address family         |
 * +-------+-------+-------+-------+
 */
export const NULL_FAMILY = 0;
export const NULL_HEADER_LEN = 4;

export const BSD_AF_INET = 2;
/** AF_INET6 differs between systems: Linux 10, NetBSD/OpenBSD 24, FreeBSD 28, Darwin 30. */
export const BSD_AF_INET6_LINUX = 10;
export const BSD_AF_INET6_BSD = 24;
export const BSD_AF_INET6_FREEBSD = 28;
export const BSD_AF_INET6_DARWIN = 30;

/** Returns the IP version an address family announces, or 0. */
export function ipVersionForFamily(family: number): number {
  if (family === BSD_AF_INET) return 4;
  if (family === BSD_AF_INET6_BSD || family === BSD_AF_INET6_FREEBSD || family === BSD_AF_INET6_DARWIN || family === BSD_AF_INET6_LINUX) return 6;
  return 0;
}
