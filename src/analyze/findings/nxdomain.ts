/**
 * Bursts of NXDOMAIN answers to one client (a domain-generation algorithm looking for its server, or a
 * misconfiguration), counted packet by packet.
 */
import type { Detector, FinishContext } from './detector.js';
import { allOf, firstFrames, isV6, listSome, maxInWindow, plural, sortedHosts } from './evidence.js';
import type { DecodedPacket } from '../../decode/packet.js';
import { IPPROTO_UDP as PROTO_UDP } from '../../wire/ipv4.js';
import { hostTextAt } from './hosts.js';
import type { FindingsOptions } from './options.js';
import type { Finding } from './types.js';

/** DNS header (RFC 1035, 4.1.1): id(2) flags(2) counts(8); QR is the flags' top bit, rcode its low nibble. */
export const DNS_FLAGS = 2;
export const DNS_FLAG_QR = 0x80;
export const DNS_RCODE_MASK = 0x0f;
export const DNS_HEADER_LEN = 12;
export const DNS_PORT = 53;

/** The rcode of a DNS response in a UDP datagram from port 53, or -1 (not one, or cut short). */
export function dnsResponseRcode(p: DecodedPacket): number {
  if (p.protocol !== PROTO_UDP || p.srcPort !== DNS_PORT || p.payloadOffset < 0) return -1;
  const at = p.payloadOffset;
  if (p.netEnd - at < DNS_HEADER_LEN || (p.data[at + DNS_FLAGS]! & DNS_FLAG_QR) === 0) return -1;
  return p.data[at + DNS_FLAGS + 1]! & DNS_RCODE_MASK;
}

/** DNS rcode 3: the name does not exist. */
export const RCODE_NXDOMAIN = 3;
/** Query names kept per client as examples. */
const NAMES_KEPT = 5;

class NxClient {
  readonly times: number[] = [];
  readonly frames: number[] = [];
  readonly resolvers = new Set<string>();
  readonly names: string[] = [];
  start = Infinity;
  end = -Infinity;
}

export class NxdomainDetector implements Detector {
  /** Per client (as text), in the order first answered. */
  private nx = new Map<string, NxClient>();

  constructor(private readonly options: FindingsOptions) {}

  packet(p: DecodedPacket): void {
    if (dnsResponseRcode(p) !== RCODE_NXDOMAIN) return;
    const ts = p.time();
    const client = hostTextAt(p.ipVersion, p.dst, 0);
    let n = this.nx.get(client);
    if (n === undefined) this.nx.set(client, (n = new NxClient()));
    n.times.push(ts);
    if (n.frames.length < this.options.sampleFrames) n.frames.push(p.frame);
    if (n.resolvers.size < 100) n.resolvers.add(hostTextAt(p.ipVersion, p.src, 0));
    if (n.names.length < NAMES_KEPT) {
      const name = questionName(p.data, p.payloadOffset, p.netEnd);
      if (name !== undefined && !n.names.includes(name)) n.names.push(name);
    }
    if (ts < n.start) n.start = ts;
    if (ts > n.end) n.end = ts;
  }

  /** What was counted, for the detector of another thread to go on from (`adopt`; structured-cloneable). */
  state(): Map<string, NxClient> {
    return this.nx;
  }

  /** Takes over what another thread's detector counted (its `state()`), before any packet here. */
  adopt(state: Map<string, NxClient>): void {
    this.nx = state;
  }

  finish(_ctx: FinishContext): Finding[] {
    const o = this.options;
    const out: Finding[] = [];
    for (const [client, n] of this.nx) {
      const peak = maxInWindow(n.times, o.nxdomainWindowSeconds);
      if (peak < o.nxdomainResponses) continue;
      const v6 = isV6(client);
      out.push({
        kind: 'dns-nxdomain',
        severity: peak >= 5 * o.nxdomainResponses ? 'high' : 'medium',
        source: client,
        targets: sortedHosts(n.resolvers),
        ports: [53],
        start: n.start,
        end: n.end,
        packets: n.times.length,
        frames: firstFrames(n.frames, o.sampleFrames),
        explanation:
          `${client} got ${plural(n.times.length, 'NXDOMAIN answer')} (${peak} within ${o.nxdomainWindowSeconds} s), e.g. for ${listSome(n.names, 3)}: ` +
          `many lookups of names that do not exist are what domain-generation malware does while it hunts for its server.`,
        // The DNS flags' low nibble (rcode) is byte 11 of the UDP datagram: 8 header bytes, then id and flags.
        filter: allOf([`udp src port 53`, `dst host ${client}`, v6 ? 'ip6[6] == 17 and ip6[51] & 0x0f == 3' : 'udp[11] & 0x0f == 3']),
        details: { type: 'counts', counts: { nxdomain: n.times.length, peakInWindow: peak } },
      });
    }
    return out;
  }
}

/** Reads the first question's name of a DNS message (uncompressed labels), or undefined. */
export function questionName(d: Uint8Array, at: number, end: number): string | undefined {
  let p = at + DNS_HEADER_LEN;
  const labels: string[] = [];
  while (p < end) {
    const len = d[p]!;
    if (len === 0) return labels.length === 0 ? '.' : labels.join('.');
    if (len > 63 || p + 1 + len > end) return undefined;
    let s = '';
    for (let i = 0; i < len; i++) {
      const ch = d[p + 1 + i]!;
      s += ch > 32 && ch < 127 ? String.fromCharCode(ch) : `\\${ch.toString(8).padStart(3, '0')}`;
    }
    labels.push(s);
    p += 1 + len;
  }
  return undefined;
}
