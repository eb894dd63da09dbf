/**
 * Malformed packets by name (Zeek's "weirds"): truncated or impossible header lengths, bad IPv4 header
 * checksums. Counted per name, with the senders, sample frames and, where BPF can express it, a filter
 * that selects exactly the malformed packets (otherwise one that selects their hosts).
 */
import type { Detector, FinishContext } from './detector.js';
import { anyOf, firstFrames, listSome, plural, sortedHosts } from './evidence.js';
import { ip4TextCached, ip6TextCached, type Observation, type WeirdName } from './observe.js';
import type { FindingsOptions } from './options.js';
import type { Finding } from './types.js';

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
  private readonly tallies = new Map<WeirdName, WeirdTally>();

  constructor(private readonly options: FindingsOptions) {}

  packet(o: Observation): void {
    if (o.weird === undefined) return;
    let t = this.tallies.get(o.weird);
    if (t === undefined) this.tallies.set(o.weird, (t = new WeirdTally()));
    t.count++;
    if (o.ts < t.start) t.start = o.ts;
    if (o.ts > t.end) t.end = o.ts;
    if (t.frames.length < this.options.sampleFrames) t.frames.push(o.frame);
    if (t.ipOffset < 0) t.ipOffset = o.ipOffset;
    if (o.src4 !== 0 || o.dst4 !== 0) {
      const src = ip4TextCached(o.src4);
      if (t.sources.size < 1000 || t.sources.has(src)) t.sources.set(src, (t.sources.get(src) ?? 0) + 1);
      if (t.targets.size < 1000) t.targets.add(ip4TextCached(o.dst4));
    } else if (o.src6At > 0) {
      t.v6 = true;
      const src = ip6TextCached(o.data, o.src6At);
      if (t.sources.size < 1000 || t.sources.has(src)) t.sources.set(src, (t.sources.get(src) ?? 0) + 1);
      if (t.targets.size < 1000) t.targets.add(ip6TextCached(o.data, o.dst6At));
    } else t.noAddress = true;
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
