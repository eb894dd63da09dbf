/**
 * Ethernet II (IEEE 802.3), LINKTYPE_ETHERNET.
 *
 *  0                   1                   2                   3
 * +-------+-------+-------+-------+-------+-------+
 * |              destination MAC (6)              |
 * +-------+-------+-------+-------+-------+-------+
 * |                source MAC (6)                 |
 * +-------+-------+-------+-------+-------+-------+
 * |   EtherType   |  payload...
 * +-------+-------+
 * An EtherType of 1500 or less is an 802.3 length (LLC follows), not a protocol.
 */
export const ETH_DST = 0;
export const ETH_SRC = 6;
export const ETH_TYPE = 12;
export const ETH_HEADER_LEN = 14;
/** The largest value that is an 802.3 length rather than an EtherType. */
export const ETH_MAX_LENGTH_FIELD = 1500;

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_RARP = 0x8035;
export const ETHERTYPE_IPV6 = 0x86dd;
