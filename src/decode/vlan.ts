/**
 * IEEE 802.1Q / 802.1ad VLAN tags: a 4-byte tag between the MAC addresses and the EtherType. The TPID
 * (0x8100, 0x88a8 or the pre-standard 0x9100) sits where the EtherType was; the tag is the TCI and the
 * real EtherType. Tags stack (QinQ and more).
 *
 * +-------+-------+-------+-------+
 * |PCP|D|  VID    |   EtherType   |
 * +-------+-------+-------+-------+
 */
export const VLAN_TCI = 0;
export const VLAN_TYPE = 2;
export const VLAN_TAG_LEN = 4;
export const VLAN_VID_MASK = 0x0fff;

export const TPID_8021Q = 0x8100;
export const TPID_8021AD = 0x88a8;
export const TPID_QINQ_OLD = 0x9100;

/** Says whether an EtherType announces a VLAN tag (the same set libpcap's `vlan` accepts). */
export function isVlanTpid(etherType: number): boolean {
  return etherType === TPID_8021Q || etherType === TPID_8021AD || etherType === TPID_QINQ_OLD;
}
