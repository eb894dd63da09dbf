/**
 * BSD loopback (LINKTYPE_NULL, LINKTYPE_LOOP): a 4-byte address family, then the IP packet. NULL stores the
 * family in the capturing host's byte order (so either order is met in files), LOOP in network order.
 *
 * +-------+-------+-------+-------+
 * |        address family         |
 * +-------+-------+-------+-------+
 */
import { BSD_AF_INET, BSD_AF_INET6_BSD, BSD_AF_INET6_DARWIN, BSD_AF_INET6_FREEBSD, BSD_AF_INET6_LINUX } from '../wire/null.js';

/** Returns the IP version an address family announces, or 0. */
export function ipVersionForFamily(family: number): number {
  if (family === BSD_AF_INET) return 4;
  if (family === BSD_AF_INET6_BSD || family === BSD_AF_INET6_FREEBSD || family === BSD_AF_INET6_DARWIN || family === BSD_AF_INET6_LINUX) return 6;
  return 0;
}
