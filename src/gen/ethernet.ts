/**
 * Ethernet II frames (IEEE 802.3) with optional 802.1Q / 802.1ad tags.
 *
 *   0 destination MAC (6)   6 source MAC (6)   12 [TPID (2) TCI (2)]*   EtherType (2)   payload
 *   TCI: PCP (3 bits) | DEI (1 bit) | VLAN id (12 bits)
 */
import { ETH_DST, ETH_HEADER_LEN, ETH_SRC, ETH_TYPE, ETHERTYPE_8021Q } from '../wire/ethernet.js';
import { VLAN_DEI_BIT, VLAN_ID_MASK, VLAN_PCP_SHIFT, VLAN_TAG_LEN } from '../wire/vlan.js';
import { macBytes } from './addr.js';

export const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff';

export interface VlanTag {
  id: number;
  pcp?: number;
  dei?: boolean;
  /** Tag protocol identifier (default 0x8100; 0x88a8 for an 802.1ad service tag). */
  tpid?: number;
}

export interface EthernetSpec {
  src: string;
  dst: string;
  /** EtherType of the payload (after the tags). */
  etherType: number;
  /** Tags, outermost first. */
  vlans?: readonly VlanTag[];
  /** Pad the frame with zeros up to this length (60 mimics a received short frame; default no padding). */
  padTo?: number;
}

/** Builds an Ethernet frame around payload. */
export function ethernetFrame(spec: EthernetSpec, payload: Uint8Array): Buffer {
  const tags = spec.vlans ?? [];
  const headerLen = ETH_HEADER_LEN + tags.length * VLAN_TAG_LEN;
  const len = Math.max(headerLen + payload.length, spec.padTo ?? 0);
  const b = Buffer.alloc(len);
  macBytes(spec.dst).copy(b, ETH_DST);
  macBytes(spec.src).copy(b, ETH_SRC);
  let at = ETH_TYPE;
  for (const t of tags) {
    b.writeUInt16BE(t.tpid ?? ETHERTYPE_8021Q, at);
    b.writeUInt16BE((((t.pcp ?? 0) & 7) << VLAN_PCP_SHIFT) | (t.dei ? VLAN_DEI_BIT : 0) | (t.id & VLAN_ID_MASK), at + 2);
    at += VLAN_TAG_LEN;
  }
  b.writeUInt16BE(spec.etherType, at);
  b.set(payload, at + 2);
  return b;
}
