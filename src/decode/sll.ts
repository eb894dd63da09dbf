/**
 * Linux cooked captures. SLL (v1, LINKTYPE_LINUX_SLL), 16 bytes:
 *
 * +-------+-------+-------+-------+-------+-------+-------+-------+
 * |  packet type  |  ARPHRD type  | addr length   | address (8) ...
 * +-------+-------+-------+-------+-------+-------+-------+-------+
 * ...             |   protocol    |
 *
 * SLL2 (LINKTYPE_LINUX_SLL2), 20 bytes:
 *
 * +-------+-------+-------+-------+-------+-------+-------+-------+
 * |   protocol    |   reserved    |        interface index        |
 * +-------+-------+-------+-------+-------+-------+-------+-------+
 * |  ARPHRD type  |ptype  |alen   |          address (8) ...
 *
 * The protocol is an EtherType, except values below 1536 that name Linux's pseudo protocols (802.2 LLC, ...).
 */
export const SLL_PACKET_TYPE = 0;
export const SLL_ARPHRD_TYPE = 2;
export const SLL_ADDR_LEN = 4;
export const SLL_ADDR = 6;
export const SLL_PROTOCOL = 14;
export const SLL_HEADER_LEN = 16;

export const SLL2_PROTOCOL = 0;
export const SLL2_RESERVED = 2;
export const SLL2_IFINDEX = 4;
export const SLL2_ARPHRD_TYPE = 8;
export const SLL2_PACKET_TYPE = 10;
export const SLL2_ADDR_LEN = 11;
export const SLL2_ADDR = 12;
export const SLL2_HEADER_LEN = 20;
