/**
 * Malformed packets by name (Zeek's "weirds"): truncated or impossible header lengths, bad IPv4 header
 * checksums. Counted per name, with the senders, sample frames and, where BPF can express it, a filter
 * that selects exactly the malformed packets (otherwise one that selects their hosts).
 */
import type { Detector, FinishContext } from './detector.js';
import { anyOf, firstFrames, listSome, plural, sortedHosts } from './evidence.js';
import { DLT_RAW_12, DLT_RAW_14, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_RAW } from '../../capture/link-types.js';
import { IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP, IPV4_DST, IPV4_MIN_HEADER_LEN, IPV4_SRC, IPV4_TOTAL_LEN, IPV4_VER_IHL } from '../../wire/ipv4.js';
import { IPV6_HEADER_LEN, IPV6_PAYLOAD_LEN } from '../../wire/ipv6.js';
import { LAYER_NETWORK, LAYER_VLAN, STOP_BAD_HEADER, STOP_BAD_TRANSPORT, STOP_NOT_IP, STOP_TRUNCATED, type DecodedPacket } from '../../decode/packet.js';
import { u16, u32 } from '../../decode/read.js';
import { TCP_MIN_HEADER_LEN } from '../../decode/tcp.js';
import { UDP_HEADER_LEN, UDP_LENGTH } from '../../decode/udp.js';
import { ip4TextCached, ip6TextCached } from './hosts.js';
import type { FindingsOptions } from './options.js';
import type { Finding } from './types.js';

/** Names of malformations, in Zeek's "weird" vocabulary. */
export type WeirdName =
  | 'truncated_link_header'
  | 'truncated_IP'
  | 'truncated_IPv6'
  | 'bad_IP_version'
  | 'bad_IP_header_len'
  | 'bad_IP_total_len'
  | 'bad_IP_checksum'
  | 'truncated_TCP_header'
  | 'bad_TCP_header_len'
  | 'bad_UDP_length'
  | 'truncated_ICMP';

/** The smallest ICMP header the findings read (type, code, checksum). */
const ICMP_MIN_LEN = 4;

/** One's-complement sum check of an IPv4 header: true when the checksum is right. */
export function ipv4ChecksumOk(d: Uint8Array, at: number, len: number): boolean {
  let sum = 0;
  if (len === IPV4_MIN_HEADER_LEN) {
    // The usual header without options, unrolled: this runs for every IPv4 packet.
    sum =
      ((d[at]! << 8) | d[at + 1]!) + ((d[at + 2]! << 8) | d[at + 3]!) + ((d[at + 4]! << 8) | d[at + 5]!) +
      ((d[at + 6]! << 8) | d[at + 7]!) + ((d[at + 8]! << 8) | d[at + 9]!) + ((d[at + 10]! << 8) | d[at + 11]!) +
      ((d[at + 12]! << 8) | d[at + 13]!) + ((d[at + 14]! << 8) | d[at + 15]!) + ((d[at + 16]! << 8) | d[at + 17]!) +
      ((d[at + 18]! << 8) | d[at + 19]!);
  } else for (let i = 0; i < len; i += 2) sum += (d[at + i]! << 8) | d[at + i + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum === 0xffff;
}

function isRawIpLink(linkType: number): boolean {
  return linkType === LINKTYPE_RAW || linkType === DLT_RAW_12 || linkType === DLT_RAW_14 || linkType === LINKTYPE_IPV4 || linkType === LINKTYPE_IPV6;
}

/**
 * Names the malformation of a decoded packet, or undefined. It reads where and why the shared decoding pass
 * stopped and the lengths it found, and checks what the pass does not (the IPv4 header checksum, the UDP
 * length field, claimed lengths against the wire length). A length cut by the snap length is not a fault:
 * only what the packet lacked on the wire counts. The first malformation met, outermost first, names it.
 */
export function weirdOf(p: DecodedPacket): WeirdName | undefined {
  const reason = p.stopReason;
  if (reason === STOP_TRUNCATED && p.stopLayer <= LAYER_VLAN) return 'truncated_link_header';
  if (reason === STOP_NOT_IP) return isRawIpLink(p.linkType) && p.caplen > 0 ? 'bad_IP_version' : undefined;
  if (p.ipVersion === 0) return undefined;
  const d = p.data;
  const ip = p.netOffset;
  const captured = p.capEnd - ip;
  const wireLeft = p.wirelen - (ip - p.offset);
  let weird: WeirdName | undefined;
  if (p.ipVersion === 4) {
    if (captured < IPV4_MIN_HEADER_LEN) return wireLeft < IPV4_MIN_HEADER_LEN ? 'truncated_IP' : undefined;
    if (d[ip + IPV4_VER_IHL]! >> 4 !== 4) return 'bad_IP_version';
    const ihl = (d[ip + IPV4_VER_IHL]! & 0x0f) * 4;
    if (ihl < IPV4_MIN_HEADER_LEN) return 'bad_IP_header_len';
    const total = u16(d, ip + IPV4_TOTAL_LEN);
    if (total !== 0 && total < ihl) return 'bad_IP_total_len';
    if (p.ipLength > wireLeft) weird = 'truncated_IP';
    if (captured < ihl) return weird;
    if (weird === undefined && !ipv4ChecksumOk(d, ip, ihl)) weird = 'bad_IP_checksum';
  } else {
    if (captured < IPV6_HEADER_LEN) return wireLeft < IPV6_HEADER_LEN ? 'truncated_IPv6' : undefined;
    // A payload length of 0 is a jumbogram or segmentation offload: the wire length gives the length.
    if (u16(d, ip + IPV6_PAYLOAD_LEN) !== 0 && p.ipLength > wireLeft) weird = 'truncated_IPv6';
  }
  if (weird !== undefined || reason === STOP_BAD_HEADER || p.stopLayer === LAYER_NETWORK || p.transportOffset < 0) return weird;
  const l4 = p.transportOffset;
  const wireL4Len = p.ipLength - (l4 - ip);
  const capturedL4 = p.netEnd - l4;
  // A first fragment's transport lengths describe the whole datagram, not this packet.
  const firstFragment = p.moreFragments;
  switch (p.protocol) {
    case IPPROTO_TCP:
      if (capturedL4 < TCP_MIN_HEADER_LEN) return wireL4Len < TCP_MIN_HEADER_LEN ? 'truncated_TCP_header' : undefined;
      if (reason === STOP_BAD_TRANSPORT || (p.tcpHeaderLength > wireL4Len && !firstFragment)) return 'bad_TCP_header_len';
      return undefined;
    case IPPROTO_UDP: {
      if (capturedL4 < UDP_HEADER_LEN) return wireL4Len < UDP_HEADER_LEN ? 'bad_UDP_length' : undefined;
      // A UDP length of 0 is legal for IPv6 jumbograms only; it then runs to the end of the datagram.
      const udpLen = u16(d, l4 + UDP_LENGTH);
      return udpLen !== 0 && (udpLen < UDP_HEADER_LEN || (udpLen > wireL4Len && !firstFragment)) ? 'bad_UDP_length' : undefined;
    }
    case IPPROTO_ICMP:
    case IPPROTO_ICMPV6:
      return capturedL4 < ICMP_MIN_LEN && wireL4Len < ICMP_MIN_LEN ? 'truncated_ICMP' : undefined;
    default:
      return undefined;
  }
}

const MEANING: Readonly<Record<WeirdName, string>> = {
  truncated_link_header: 'the frame is shorter than its link-layer header',
  truncated_IP: 'the IPv4 datagram claims more bytes than the frame carried on the wire',
  truncated_IPv6: 'the IPv6 packet claims more bytes than the frame carried on the wire',
  bad_IP_version: 'the IP version field does not match the link layer\'s protocol type',
  bad_IP_header_len: 'the IPv4 header length field is below the 20-byte minimum',
  bad_IP_total_len: 'the IPv4 total length is smaller than its own header',
  bad_IP_checksum: 'the IPv4 header checksum is wrong',
  truncated_TCP_header: 'the TCP header is cut short inside the datagram',
  bad_TCP_header_len: 'the TCP data offset is below 20 bytes or beyond the end of the segment',
  bad_UDP_length: 'the UDP length field disagrees with the datagram',
  truncated_ICMP: 'the ICMP header is cut short',
};

/** Exact BPF tests where the malformation can be written as one (IPv4 only). */
const EXACT_TEST: Partial<Record<WeirdName, string>> = {
  bad_IP_header_len: 'ip[0] & 0x0f < 5',
  bad_IP_total_len: 'ip[2:2] != 0 and ip[2:2] < (ip[0] & 0x0f) * 4',
  bad_TCP_header_len: 'tcp and (tcp[12] & 0xf0 < 0x50 or (tcp[12] >> 4) * 4 > ip[2:2] - (ip[0] & 0x0f) * 4)',
  bad_UDP_length: 'udp and (udp[4:2] < 8 or udp[4:2] > ip[2:2] - (ip[0] & 0x0f) * 4)',
};

class WeirdTally {
  count = 0;
  start = Infinity;
  end = -Infinity;
  readonly frames: number[] = [];
  readonly sources = new Map<string, number>();
  readonly targets = new Set<string>();
  /** Where the IP header sat (to compare its length with `len`), and whether any packet was IPv6 or not IP. */
  ipOffset = -1;
  v6 = false;
  noAddress = false;
}

export class WeirdDetector implements Detector {
  /** Per malformation, in the order first seen. */
  private tallies = new Map<WeirdName, WeirdTally>();

  constructor(private readonly options: FindingsOptions) {}

  /** What was counted, for the detector of another thread to go on from (`adopt`; structured-cloneable). */
  state(): Map<WeirdName, WeirdTally> {
    return this.tallies;
  }

  /** Takes over what another thread's detector counted (its `state()`), before any packet here. */
  adopt(state: Map<WeirdName, WeirdTally>): void {
    this.tallies = state;
  }

  packet(p: DecodedPacket): void {
    const name = weirdOf(p);
    if (name === undefined) return;
    let t = this.tallies.get(name);
    if (t === undefined) this.tallies.set(name, (t = new WeirdTally()));
    const ts = p.time();
    t.count++;
    if (ts < t.start) t.start = ts;
    if (ts > t.end) t.end = ts;
    if (t.frames.length < this.options.sampleFrames) t.frames.push(p.frame);
    if (t.ipOffset < 0) t.ipOffset = p.netOffset - p.offset;
    const d = p.data;
    const ip = p.netOffset;
    let src: string;
    let dst: string;
    if (p.ipVersion === 4 && p.capEnd - ip >= IPV4_MIN_HEADER_LEN && d[ip]! >> 4 === 4) {
      // The pass leaves the addresses unread behind a bad header length: read them here.
      src = ip4TextCached(u32(d, ip + IPV4_SRC));
      dst = ip4TextCached(u32(d, ip + IPV4_DST));
    } else if (p.ipVersion === 6 && p.capEnd - ip >= IPV6_HEADER_LEN) {
      t.v6 = true;
      src = ip6TextCached(p.src[0]!, p.src[1]!, p.src[2]!, p.src[3]!);
      dst = ip6TextCached(p.dst[0]!, p.dst[1]!, p.dst[2]!, p.dst[3]!);
    } else {
      t.noAddress = true;
      return;
    }
    if (t.sources.size < 1000 || t.sources.has(src)) t.sources.set(src, (t.sources.get(src) ?? 0) + 1);
    if (t.targets.size < 1000) t.targets.add(dst);
  }

  finish(_ctx: FinishContext): Finding[] {
    const out: Finding[] = [];
    for (const [name, t] of this.tallies) {
      if (t.count < this.options.weirdPackets) continue;
      const sources = sortedHosts(t.sources.keys());
      let top = '';
      let topCount = -1;
      for (const [s, n] of t.sources) if (n > topCount) (top = s), (topCount = n);
      out.push({
        kind: 'weird',
        severity: 'low',
        source: top,
        targets: sortedHosts(t.targets),
        ports: [],
        start: t.start,
        end: t.end,
        packets: t.count,
        frames: firstFrames(t.frames, this.options.sampleFrames),
        explanation:
          `${plural(t.count, 'packet')} ${t.count === 1 ? 'is' : 'are'} ${name}: ${MEANING[name]}` +
          (sources.length > 0 ? `; sent by ${listSome(sources, 4)}` : '') +
          `. Malformed packets come from broken or hostile software (fuzzers, evasion, crafted exploits) or a damaged capture.`,
        filter: weirdFilter(name, t, sources),
        details: { type: 'counts', counts: { [name]: t.count } },
      });
    }
    return out;
  }
}

function weirdFilter(name: WeirdName, t: WeirdTally, sources: readonly string[]): string {
  const exact = EXACT_TEST[name];
  if (exact !== undefined && !t.v6 && !t.noAddress) return `ip and ${exact}`;
  if (name === 'truncated_IP' && !t.v6 && !t.noAddress && t.ipOffset >= 0) {
    // Claimed length beyond the frame's wire length: `len` counts the link header too.
    return `ip and ip[2:2] + ${t.ipOffset} > len`;
  }
  if (name === 'truncated_IPv6' && !t.noAddress && t.ipOffset >= 0) return `ip6 and ip6[4:2] + ${40 + t.ipOffset} > len`;
  if (sources.length > 0 && sources.length <= 8 && !t.noAddress) return anyOf(sources.map((s) => `src host ${s}`));
  return t.v6 ? 'ip6' : t.noAddress ? 'not ip and not ip6' : 'ip';
}
