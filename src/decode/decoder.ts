/**
 * The single decoding pass: link header, VLAN tags, IPv4/IPv6 (through extension headers), TCP/UDP/ICMP,
 * into the caller's reusable DecodedPacket. Never throws and allocates nothing: where and why decoding
 * stopped is recorded in the packet (stopLayer, stopReason).
 */
import type { PacketRecord } from '../capture/packet.js';
import {
  DLT_RAW_12,
  DLT_RAW_14,
  LINKTYPE_ETHERNET,
  LINKTYPE_IPV4,
  LINKTYPE_IPV6,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_LINUX_SLL2,
  LINKTYPE_LOOP,
  LINKTYPE_NULL,
  LINKTYPE_RAW,
} from '../capture/link-types.js';
import { ETH_HEADER_LEN, ETH_MAX_LENGTH_FIELD, ETH_TYPE, ETHERTYPE_IPV4, ETHERTYPE_IPV6 } from '../wire/ethernet.js';
import { decodeIcmp } from './icmp.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6 } from './ipv6.js';
import { ipVersionForFamily } from './null.js';
import { NULL_HEADER_LEN } from '../wire/null.js';
import { LAYER_LINK, LAYER_VLAN, STOP_NOT_IP, STOP_OTHER_PROTOCOL, STOP_TRUNCATED, STOP_UNSUPPORTED_LINK, type DecodedPacket } from './packet.js';
import { IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP } from '../wire/ipv4.js';
import { u16, u32, u32le } from './read.js';
import { SLL_HEADER_LEN, SLL_PROTOCOL } from '../wire/sll.js';
import { SLL2_HEADER_LEN, SLL2_PROTOCOL } from '../wire/sll2.js';
import { decodeTcp } from './tcp.js';
import { decodeUdp } from './udp.js';
import { isVlanTpid } from './vlan.js';
import { VLAN_TAG_LEN, VLAN_TCI, VLAN_TYPE, VLAN_ID_MASK } from '../wire/vlan.js';

/** Decodes a record from the capture reader into `p` (see `decodePacket`). */
export function decodeRecord(p: DecodedPacket, rec: PacketRecord): DecodedPacket {
  p.tsSec = rec.tsSec;
  p.tsNsec = rec.tsNsec;
  p.frame = rec.frame;
  return decodePacket(p, rec.data, rec.offset, rec.caplen, rec.wirelen, rec.linkType);
}

/**
 * Decodes the packet at data[offset, offset+caplen) of the given link type into `p`, clearing whatever the
 * previous packet left. Returns `p`.
 */
export function decodePacket(p: DecodedPacket, data: Buffer, offset: number, caplen: number, wirelen: number, linkType: number): DecodedPacket {
  p.reset();
  p.data = data;
  p.offset = offset;
  p.caplen = caplen;
  p.capEnd = offset + caplen;
  p.wirelen = wirelen;
  p.linkType = linkType;
  p.stopLayer = LAYER_LINK;
  const end = p.capEnd;
  let off = offset;
  let version = 0;
  switch (linkType) {
    case LINKTYPE_ETHERNET:
      if (end - off < ETH_HEADER_LEN) return stop(p, STOP_TRUNCATED);
      off = etherTypeAndTags(p, off + ETH_TYPE);
      if (off < 0) return p;
      if (p.etherType <= ETH_MAX_LENGTH_FIELD) return stop(p, STOP_NOT_IP);
      version = versionForEtherType(p.etherType);
      break;
    case LINKTYPE_LINUX_SLL:
      if (end - off < SLL_HEADER_LEN) return stop(p, STOP_TRUNCATED);
      off = etherTypeAndTags(p, off + SLL_PROTOCOL);
      if (off < 0) return p;
      version = versionForEtherType(p.etherType);
      break;
    case LINKTYPE_LINUX_SLL2:
      if (end - off < SLL2_HEADER_LEN) return stop(p, STOP_TRUNCATED);
      // Any VLAN tags follow the cooked header, each carrying the next protocol.
      off = walkVlanTags(p, u16(data, off + SLL2_PROTOCOL), off + SLL2_HEADER_LEN);
      if (off < 0) return p;
      version = versionForEtherType(p.etherType);
      break;
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP: {
      if (end - off < NULL_HEADER_LEN) return stop(p, STOP_TRUNCATED);
      let family = linkType === LINKTYPE_LOOP ? u32(data, off) : u32le(data, off);
      // NULL is in the capturing host's byte order: a family with high bits set was written big-endian.
      if ((family & 0xffff0000) !== 0) family = u32(data, off);
      off += NULL_HEADER_LEN;
      version = ipVersionForFamily(family);
      break;
    }
    case LINKTYPE_RAW:
    case DLT_RAW_12:
    case DLT_RAW_14:
      if (end - off < 1) return stop(p, STOP_TRUNCATED);
      version = data[off]! >> 4;
      break;
    case LINKTYPE_IPV4:
      version = 4;
      break;
    case LINKTYPE_IPV6:
      version = 6;
      break;
    default:
      return stop(p, STOP_UNSUPPORTED_LINK);
  }
  let t: number;
  if (version === 4) t = decodeIpv4(p, off);
  else if (version === 6) t = decodeIpv6(p, off);
  else return stop(p, STOP_NOT_IP);
  if (t < 0) return p;
  const length = p.ipLength - (t - p.netOffset);
  switch (p.protocol) {
    case IPPROTO_TCP:
      decodeTcp(p, t, length);
      break;
    case IPPROTO_UDP:
      decodeUdp(p, t, length);
      break;
    case IPPROTO_ICMP:
      if (version === 4) decodeIcmp(p, t, false);
      else p.stopReason = STOP_OTHER_PROTOCOL;
      break;
    case IPPROTO_ICMPV6:
      decodeIcmp(p, t, true);
      break;
    default:
      p.transportOffset = t;
      p.payloadOffset = t;
      p.payloadLength = Math.max(0, length);
      p.stopReason = STOP_OTHER_PROTOCOL;
  }
  return p;
}

/** The network layer an EtherType announces: 4, 6, or 0 for anything else. */
function versionForEtherType(etherType: number): number {
  if (etherType === ETHERTYPE_IPV4) return 4;
  if (etherType === ETHERTYPE_IPV6) return 6;
  return 0;
}

/**
 * Reads the EtherType at `typeOff` and walks any VLAN tags after it. Returns the offset of the network
 * header, or -1 (with the stop recorded) when a tag is cut short.
 */
function etherTypeAndTags(p: DecodedPacket, typeOff: number): number {
  return walkVlanTags(p, u16(p.data, typeOff), typeOff + 2);
}

/** Walks the VLAN tags announced by `type`, the first starting at `off`; returns the network offset or -1. */
function walkVlanTags(p: DecodedPacket, type: number, off: number): number {
  const d = p.data;
  while (isVlanTpid(type)) {
    if (p.capEnd - off < VLAN_TAG_LEN) {
      p.etherType = type;
      p.stopLayer = LAYER_VLAN;
      p.stopReason = STOP_TRUNCATED;
      return -1;
    }
    const vid = u16(d, off + VLAN_TCI) & VLAN_ID_MASK;
    if (p.vlanCount === 0) p.vlanOuter = vid;
    else if (p.vlanCount === 1) p.vlanInner = vid;
    p.vlanCount++;
    type = u16(d, off + VLAN_TYPE);
    off += VLAN_TAG_LEN;
  }
  p.etherType = type;
  return off;
}

function stop(p: DecodedPacket, reason: number): DecodedPacket {
  p.stopReason = reason;
  return p;
}
