/**
 * The detectors that judge packets one by one, not flows (odd TCP flags, NXDOMAIN bursts, malformed
 * packets), with the packet and VLAN counts: one thread runs them on every packet, this one or, when the
 * flows are tracked on several threads, the worker that reads every packet (share-tracker.ts), whose
 * counts this thread then adopts.
 */
import type { PacketRecord } from '../../capture/packet.js';
import { decodeRecord } from '../../decode/decoder.js';
import type { DecodedPacket } from '../../decode/packet.js';
import type { lastRecord } from '../../flows/record-share.js';
import { IPPROTO_TCP } from '../../wire/ipv4.js';
import { TCP_FLAGS, TCP_MIN_HEADER_LEN, TCP_OFFSET } from '../../wire/tcp.js';
import { UDP_HEADER_LEN, UDP_LENGTH } from '../../wire/udp.js';
import { DNS_PORT, NxdomainDetector } from './nxdomain.js';
import { oddCombination, OddFlagsDetector } from './odd-flags.js';
import type { FindingsOptions } from './options.js';
import { ipv4ChecksumOk, WeirdDetector } from './weird.js';

/** The headers recordShare read of a record (flows/record-share.ts `lastRecord`). */
export type RecordHeaders = typeof lastRecord;

/**
 * Says whether none of the packet detectors can have anything to say of a record whose headers recordShare
 * read (`h`: Ethernet, VLAN tags, IPv4 without fragmentation or IPv6 without extension headers, a whole
 * fixed TCP or UDP header): its IP lengths fit the wire length, its IPv4 header checksum is right, its TCP
 * header length or UDP length is sound (weirdOf), its TCP flags are an ordinary combination (odd flags),
 * and it is no UDP datagram from port 53 (NXDOMAIN). Such a packet is only counted: a thread that reads
 * every packet for these detectors decodes only the others (a test holds the counts equal on every corpus
 * capture and on damaged packets).
 */
export function quietPacket(rec: PacketRecord, h: RecordHeaders): boolean {
  const d = rec.data;
  const ip = h.netOffset;
  const t = h.transportOffset;
  if (h.ipLength > rec.wirelen - (ip - rec.offset)) return false;
  if (!h.v6 && !ipv4ChecksumOk(d, ip, t - ip)) return false;
  const wireL4Len = h.ipLength - (t - ip);
  if (h.proto === IPPROTO_TCP) {
    const hlen = (d[t + TCP_OFFSET]! >> 4) * 4;
    return hlen >= TCP_MIN_HEADER_LEN && hlen <= wireL4Len && oddCombination(d[t + TCP_FLAGS]!) < 0;
  }
  if (h.srcPort === DNS_PORT) return false;
  const udpLen = (d[t + UDP_LENGTH]! << 8) | d[t + UDP_LENGTH + 1]!;
  return udpLen === 0 || (udpLen >= UDP_HEADER_LEN && udpLen <= wireL4Len);
}

/** What the packet detectors counted, as another thread hands it over (structured-cloneable). */
export interface PacketCounts {
  packets: number;
  vlanTags: number;
  oddFlags: ReturnType<OddFlagsDetector['state']>;
  nxdomain: ReturnType<NxdomainDetector['state']>;
  weird: ReturnType<WeirdDetector['state']>;
}

export class PacketDetectors {
  readonly oddFlags: OddFlagsDetector;
  readonly nxdomain: NxdomainDetector;
  readonly weird: WeirdDetector;
  /** Packets seen. */
  packets = 0;
  /** The most VLAN tags any packet carried. */
  vlanTags = 0;

  constructor(options: FindingsOptions) {
    this.oddFlags = new OddFlagsDetector(options);
    this.nxdomain = new NxdomainDetector(options);
    this.weird = new WeirdDetector(options);
  }

  packet(p: DecodedPacket): void {
    this.packets++;
    if (p.vlanCount > this.vlanTags) this.vlanTags = p.vlanCount;
    this.oddFlags.packet(p);
    this.nxdomain.packet(p);
    this.weird.packet(p);
  }

  /**
   * A packet of a flow another thread tracks, read by recordShare only as far as its headers (`h`): decoded
   * into `p` and judged only when a detector may have something to say of it (`quietPacket`), else counted.
   */
  otherShare(rec: PacketRecord, h: RecordHeaders, p: DecodedPacket): void {
    if (!quietPacket(rec, h)) {
      decodeRecord(p, rec);
      this.packet(p);
      return;
    }
    this.packets++;
    if (h.vlanTags > this.vlanTags) this.vlanTags = h.vlanTags;
  }

  counts(): PacketCounts {
    return { packets: this.packets, vlanTags: this.vlanTags, oddFlags: this.oddFlags.state(), nxdomain: this.nxdomain.state(), weird: this.weird.state() };
  }

  /** Takes over what another thread counted (its `counts()`), in place of any packet seen here. */
  adopt(c: PacketCounts): void {
    this.packets = c.packets;
    this.vlanTags = c.vlanTags;
    this.oddFlags.adopt(c.oddFlags);
    this.nxdomain.adopt(c.nxdomain);
    this.weird.adopt(c.weird);
  }
}
