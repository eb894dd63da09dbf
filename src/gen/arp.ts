/**
 * ARP for IPv4 over Ethernet (RFC 826), 28 bytes:
 *
 *   0 hardware type (2)   2 protocol type (2)   4 hardware length (1)   5 protocol length (1)   6 operation (2)
 *   8 sender MAC (6)   14 sender IP (4)   18 target MAC (6)   24 target IP (4)
 */
import { ipv4Bytes, macBytes } from './addr.js';
import { ARP_HLN, ARP_HRD, ARP_OP, ARP_PLN, ARP_PRO, ARP_SHA, arpSpa, arpTha, arpTpa } from '../wire/arp.js';
import { ETH_ADDR_LEN, ETHERTYPE_IPV4 } from '../wire/ethernet.js';
import { ARPHRD_ETHER } from '../wire/sll.js';

/** IPv4 address length. */
const IPV4_ADDR_LEN = 4;
const ARP_SPA = arpSpa(ETH_ADDR_LEN);
const ARP_THA = arpTha(ETH_ADDR_LEN, IPV4_ADDR_LEN);
const ARP_TPA = arpTpa(ETH_ADDR_LEN, IPV4_ADDR_LEN);
/** ARP for IPv4 over Ethernet: 28 bytes. */
const ARP_LEN = ARP_TPA + IPV4_ADDR_LEN;

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
  b.writeUInt16BE(ARPHRD_ETHER, ARP_HRD);
  b.writeUInt16BE(ETHERTYPE_IPV4, ARP_PRO);
  b[ARP_HLN] = ETH_ADDR_LEN;
  b[ARP_PLN] = IPV4_ADDR_LEN;
  b.writeUInt16BE(spec.op, ARP_OP);
  macBytes(spec.senderMac).copy(b, ARP_SHA);
  ipv4Bytes(spec.senderIp).copy(b, ARP_SPA);
  macBytes(spec.targetMac ?? '00:00:00:00:00:00').copy(b, ARP_THA);
  ipv4Bytes(spec.targetIp).copy(b, ARP_TPA);
  return b;
}
