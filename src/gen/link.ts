/**
 * Puts an IP packet (or ARP) into the link-layer framing of a capture's link type.
 */
import { LINKTYPE_ETHERNET, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_NULL, LINKTYPE_RAW } from '../capture/link-types.js';
import { ETHERTYPE_IPV4, ETHERTYPE_IPV6 } from '../wire/ethernet.js';
import { BSD_AF_INET, BSD_AF_INET6_DARWIN } from '../wire/null.js';
import { SLL_HOST } from '../wire/sll.js';
import { ethernetFrame, type VlanTag } from './ethernet.js';
import { nullFrame } from './null-link.js';
import { sll2Frame, sllFrame } from './sll.js';

/** How one frame is framed: MACs and tags for Ethernet, direction for the cooked headers. */
export interface LinkOptions {
  srcMac?: string;
  dstMac?: string;
  /** 802.1Q tags, outermost first (Ethernet only). */
  vlans?: readonly VlanTag[];
  /** Pad Ethernet frames to this length (60 mimics received short frames). */
  padTo?: number;
  /** SLL packet type (SLL_HOST, SLL_OUTGOING...). */
  sllPacketType?: number;
  /** SLL2 interface index. */
  ifindex?: number;
  /** The address family for LINKTYPE_NULL IPv6 (default 30, macOS). */
  nullFamily6?: number;
}

/** Returns the EtherType for an IP packet, by its version nibble. */
export function etherTypeOf(ipPacket: Uint8Array): number {
  return (ipPacket[0]! >> 4) === 6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4;
}

/** Frames a link-layer payload (IP packet, or ARP with etherType given) for linkType. */
export function frameFor(linkType: number, payload: Uint8Array, o: LinkOptions & { srcMac: string; dstMac: string }, etherType = etherTypeOf(payload)): Buffer {
  switch (linkType) {
    case LINKTYPE_ETHERNET:
      return ethernetFrame({ src: o.srcMac, dst: o.dstMac, etherType, ...(o.vlans ? { vlans: o.vlans } : {}), ...(o.padTo ? { padTo: o.padTo } : {}) }, payload);
    case LINKTYPE_LINUX_SLL:
      return sllFrame({ protocol: etherType, packetType: o.sllPacketType ?? SLL_HOST, address: o.srcMac }, payload);
    case LINKTYPE_LINUX_SLL2:
      return sll2Frame({ protocol: etherType, packetType: o.sllPacketType ?? SLL_HOST, address: o.srcMac, ifindex: o.ifindex ?? 2 }, payload);
    case LINKTYPE_NULL:
      return nullFrame(etherType === ETHERTYPE_IPV6 ? (o.nullFamily6 ?? BSD_AF_INET6_DARWIN) : BSD_AF_INET, payload);
    case LINKTYPE_RAW:
    case LINKTYPE_IPV4:
    case LINKTYPE_IPV6:
      if (etherType !== ETHERTYPE_IPV4 && etherType !== ETHERTYPE_IPV6) throw new Error(`link type ${linkType} carries only IP`);
      return Buffer.from(payload);
    default:
      throw new Error(`cannot build frames for link type ${linkType}`);
  }
}
