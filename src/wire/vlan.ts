/**
 * IEEE 802.1Q VLAN tag (and 802.1ad QinQ): follows the TPID that replaced the EtherType.
 *
 *  +-----+---+-----------------------+-------------------------------+
 *  | PCP |DEI|        VLAN ID        |     encapsulated EtherType    |
 *  +-----+---+-----------------------+-------------------------------+
 */
export const VLAN_TCI = 0;
export const VLAN_TYPE = 2;
export const VLAN_TAG_LEN = 4;
export const VLAN_PCP_SHIFT = 13;
export const VLAN_DEI_BIT = 0x1000;
export const VLAN_ID_MASK = 0x0fff;

/** Formats a tag as tcpdump's ieee8021q_tci_string: `vlan 10, p 5, DEI`. */
export function vlanTciString(tci: number): string {
  return `vlan ${tci & VLAN_ID_MASK}, p ${tci >>> VLAN_PCP_SHIFT}${tci & VLAN_DEI_BIT ? ', DEI' : ''}`;
}
