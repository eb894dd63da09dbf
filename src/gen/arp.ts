/**
 * ARP for IPv4 over Ethernet (RFC 826), 28 bytes:
 *
 *   0 hardware type (2)   2 protocol type (2)   4 hardware length (1)   5 protocol length (1)   6 operation (2)
 *   8 sender MAC (6)   14 sender IP (4)   18 target MAC (6)   24 target IP (4)
 */
import { ipv4Bytes, macBytes } from './addr.js';
import { ETHERTYPE_IPV4 } from './ethernet.js';

export const ARP_HTYPE = 0;
export const ARP_PTYPE = 2;
export const ARP_HLEN = 4;
export const ARP_PLEN = 5;
export const ARP_OPER = 6;
export const ARP_SHA = 8;
export const ARP_SPA = 14;
export const ARP_THA = 18;
export const ARP_TPA = 24;
export const ARP_LEN = 28;

export const ARPOP_REQUEST = 1;
export const ARPOP_REPLY = 2;

export interface ArpSpec {
  op: number;
  senderMac: string;
  senderIp: string;
  /** Default 00:00:00:00:00:00 (unknown, as in a request). */
  targetMac?: string;
  targetIp: string;
}

/** Builds an ARP packet (the Ethernet payload). */
export function arpPacket(spec: ArpSpec): Buffer {
  const b = Buffer.alloc(ARP_LEN);
  b.writeUInt16BE(1, ARP_HTYPE);
  b.writeUInt16BE(ETHERTYPE_IPV4, ARP_PTYPE);
  b[ARP_HLEN] = 6;
  b[ARP_PLEN] = 4;
  b.writeUInt16BE(spec.op, ARP_OPER);
  macBytes(spec.senderMac).copy(b, ARP_SHA);
  ipv4Bytes(spec.senderIp).copy(b, ARP_SPA);
  macBytes(spec.targetMac ?? '00:00:00:00:00:00').copy(b, ARP_THA);
  ipv4Bytes(spec.targetIp).copy(b, ARP_TPA);
  return b;
}
