/**
 * IEEE 802.1Q / 802.1ad VLAN tags: a 4-byte tag between the MAC addresses and the EtherType. The TPID
 * (0x8100, 0x88a8 or the pre-standard 0x9100) sits where the EtherType was; the tag is the TCI and the
 * real EtherType. Tags stack (QinQ and more).
 *
 * +-------+-------+-------+-------+
 * |PCP|D|  VID    |   EtherType   |
 * +-------+-------+-------+-------+
 */
import { VLAN_ID_MASK, VLAN_TAG_LEN, VLAN_TCI, VLAN_TYPE } from '../wire/vlan.js';
import { ETHERTYPE_8021Q, ETHERTYPE_8021Q9100, ETHERTYPE_8021QINQ } from '../wire/ethernet.js';

/** Says whether an EtherType announces a VLAN tag (the same set libpcap's `vlan` accepts). */
export function isVlanTpid(etherType: number): boolean {
  return etherType === ETHERTYPE_8021Q || etherType === ETHERTYPE_8021QINQ || etherType === ETHERTYPE_8021Q9100;
}
