/**
 * The capture's facts for the report: packets, bytes, first and last time and the protocol mix, counted
 * from decoded packets in one pass (the distinct hosts come from the flows).
 */
import { linkTypeLabel } from '../capture/link-types.js';
import type { DecodedPacket } from '../decode/packet.js';
import { IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_IGMP, IPPROTO_SCTP, IPPROTO_TCP, IPPROTO_UDP } from '../wire/ipv4.js';
import type { CaptureFacts } from './model.js';

/** EtherTypes named in the protocol mix when the packet is not IP. */
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_REVARP = 0x8035;
export const ETHERTYPE_LLDP = 0x88cc;

/** Protocol slots of the mix, in display order for ties. */
const P_TCP = 0;
const P_UDP = 1;
const P_ICMP = 2;
const P_ICMP6 = 3;
const P_IGMP = 4;
const P_SCTP = 5;
const P_OTHER_IP = 6;
const P_ARP = 7;
const P_LLDP = 8;
const P_OTHER = 9;
const PROTOCOL_LABELS = ['tcp', 'udp', 'icmp', 'icmp6', 'igmp', 'sctp', 'other IP', 'arp', 'lldp', 'not IP'];

export class FactsCollector {
  private packets = 0;
  private bytes = 0;
  private firstSec = 0;
  private firstNsec = 0;
  private lastSec = 0;
  private lastNsec = 0;
  private readonly mix = new Float64Array(PROTOCOL_LABELS.length);

  private readonly linkTypes: number[] = [];
  private format = '';

  /** Notes the file's format ('pcap', 'pcapng'). */
  setFormat(format: string): void {
    this.format = format;
  }

  /** Counts one decoded packet. */
  add(p: DecodedPacket): void {
    if (this.packets === 0 || p.tsSec < this.firstSec || (p.tsSec === this.firstSec && p.tsNsec < this.firstNsec)) {
      this.firstSec = p.tsSec;
      this.firstNsec = p.tsNsec;
    }
    if (this.packets === 0 || p.tsSec > this.lastSec || (p.tsSec === this.lastSec && p.tsNsec > this.lastNsec)) {
      this.lastSec = p.tsSec;
      this.lastNsec = p.tsNsec;
    }
    this.packets++;
    this.bytes += p.wirelen;
    if (this.linkTypes.length === 0 || (this.linkTypes[this.linkTypes.length - 1] !== p.linkType && !this.linkTypes.includes(p.linkType))) {
      this.linkTypes.push(p.linkType);
    }
    this.mix[protocolSlot(p)]!++;
  }

  /** Returns the facts. */
  finish(file: string): CaptureFacts {
    const first = this.packets === 0 ? null : this.firstSec + this.firstNsec / 1e9;
    const last = this.packets === 0 ? null : this.lastSec + this.lastNsec / 1e9;
    const protocols: { name: string; packets: number }[] = [];
    this.mix.forEach((n, i) => {
      if (n > 0) protocols.push({ name: PROTOCOL_LABELS[i]!, packets: n });
    });
    protocols.sort((a, b) => b.packets - a.packets);
    return {
      file,
      format: this.format,
      linkTypes: this.linkTypes.map((t) => linkTypeLabel(t)),
      packets: this.packets,
      bytes: this.bytes,
      first,
      last,
      duration: first === null || last === null ? 0 : (this.lastSec - this.firstSec) + (this.lastNsec - this.firstNsec) / 1e9,
      protocols,
      // Counted from the flows (src/report/baseline.ts), which hold every IP packet's addresses.
      hosts: 0,
      fault: null,
    };
  }
}

function protocolSlot(p: DecodedPacket): number {
  if (p.ipVersion === 0) {
    if (p.etherType === ETHERTYPE_ARP || p.etherType === ETHERTYPE_REVARP) return P_ARP;
    if (p.etherType === ETHERTYPE_LLDP) return P_LLDP;
    return P_OTHER;
  }
  switch (p.protocol) {
    case IPPROTO_TCP:
      return P_TCP;
    case IPPROTO_UDP:
      return P_UDP;
    case IPPROTO_ICMP:
      return P_ICMP;
    case IPPROTO_ICMPV6:
      return P_ICMP6;
    case IPPROTO_IGMP:
      return P_IGMP;
    case IPPROTO_SCTP:
      return P_SCTP;
    default:
      return P_OTHER_IP;
  }
}
