/**
 * Linux "cooked" capture headers, what `tcpdump -i any` records.
 *
 * LINUX_SLL (v1, 16 bytes):                      LINUX_SLL2 (v2, 20 bytes):
 *   0 packet type (2)   2 ARPHRD type (2)          0 protocol (2)   2 reserved (2)   4 interface index (4)
 *   4 address length (2)   6 address (8)           8 ARPHRD type (2)   10 packet type (1)   11 address length (1)
 *   14 protocol (2)                                12 address (8)
 */
import { ETH_ADDR_LEN } from '../wire/ethernet.js';
import { ARPHRD_ETHER, SLL_ADDR, SLL_HALEN, SLL_HATYPE, SLL_HEADER_LEN, SLL_HOST, SLL_PKTTYPE, SLL_PROTOCOL } from '../wire/sll.js';
import { SLL2_ADDR, SLL2_HALEN, SLL2_HATYPE, SLL2_HEADER_LEN, SLL2_IFINDEX, SLL2_PKTTYPE, SLL2_PROTOCOL } from '../wire/sll2.js';
import { macBytes } from './addr.js';

export interface SllSpec {
  /** Payload protocol: an EtherType (0x0800, 0x86dd...). */
  protocol: number;
  /** SLL_HOST, SLL_OUTGOING... (default SLL_HOST). */
  packetType?: number;
  /** Link-layer address of the sender (default none: address length 0). */
  address?: string;
  /** ARPHRD_* (default ARPHRD_ETHER). */
  hatype?: number;
  /** Interface index (SLL2 only; default 1). */
  ifindex?: number;
}

/** Builds a LINUX_SLL (v1) header around payload. */
export function sllFrame(spec: SllSpec, payload: Uint8Array): Buffer {
  const b = Buffer.alloc(SLL_HEADER_LEN + payload.length);
  b.writeUInt16BE(spec.packetType ?? SLL_HOST, SLL_PKTTYPE);
  b.writeUInt16BE(spec.hatype ?? ARPHRD_ETHER, SLL_HATYPE);
  if (spec.address !== undefined) {
    b.writeUInt16BE(ETH_ADDR_LEN, SLL_HALEN);
    macBytes(spec.address).copy(b, SLL_ADDR);
  }
  b.writeUInt16BE(spec.protocol, SLL_PROTOCOL);
  b.set(payload, SLL_HEADER_LEN);
  return b;
}

/** Builds a LINUX_SLL2 header around payload. */
export function sll2Frame(spec: SllSpec, payload: Uint8Array): Buffer {
  const b = Buffer.alloc(SLL2_HEADER_LEN + payload.length);
  b.writeUInt16BE(spec.protocol, SLL2_PROTOCOL);
  b.writeUInt32BE((spec.ifindex ?? 1) >>> 0, SLL2_IFINDEX);
  b.writeUInt16BE(spec.hatype ?? ARPHRD_ETHER, SLL2_HATYPE);
  b[SLL2_PKTTYPE] = spec.packetType ?? SLL_HOST;
  if (spec.address !== undefined) {
    b[SLL2_HALEN] = ETH_ADDR_LEN;
    macBytes(spec.address).copy(b, SLL2_ADDR);
  }
  b.set(payload, SLL2_HEADER_LEN);
  return b;
}
