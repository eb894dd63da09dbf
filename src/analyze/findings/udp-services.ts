/**
 * UDP services that never answer (requests to NTP, DNS, SNMP... with no reply) and bursts of NXDOMAIN
 * answers to one client (a domain-generation algorithm looking for its server, or a misconfiguration).
 */
import { ICMP_PORT_UNREACHABLE, type Connection } from './connections.js';
import type { Detector, FinishContext } from './detector.js';
import { KeptFlows } from './kept.js';
import { PairIndex, type HostIds } from './hosts.js';
import { allOf, firstFrames, isV6, listSome, maxInWindow, plural, sortedHosts } from './evidence.js';
import { IPPROTO_UDP as PROTO_UDP, type DecodedPacket } from '../../decode/packet.js';
import { hostTextAt } from './hosts.js';
import type { FindingsOptions } from './options.js';
import type { Finding } from './types.js';

/** UDP services above 1023 worth expecting an answer from. */
export const KNOWN_UDP_SERVICES: ReadonlyMap<number, string> = new Map([
  [53, 'DNS'],
  [67, 'DHCP'],
  [69, 'TFTP'],
  [88, 'Kerberos'],
  [123, 'NTP'],
  [137, 'NetBIOS name'],
  [161, 'SNMP'],
  [389, 'CLDAP'],
  [443, 'QUIC'],
  [500, 'IKE'],
  [514, 'syslog'],
  [1194, 'OpenVPN'],
  [1812, 'RADIUS'],
  [3478, 'STUN'],
  [4500, 'IPsec NAT-T'],
  [5060, 'SIP'],
  [51820, 'WireGuard'],
]);

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

class Unanswered {
  constructor(
    readonly client: number,
    readonly server: number,
    readonly pair: number,
    readonly port: number,
  ) {}

  requests = 0;
  flows = 0;
  start = Infinity;
  end = -Infinity;
  frames: number[] = [];
  icmpRefused = 0;
}

class NxClient {
  readonly times: number[] = [];
  readonly frames: number[] = [];
  readonly resolvers = new Set<string>();
  readonly names: string[] = [];
  start = Infinity;
  end = -Infinity;
}

/** A (client, server, port) row's state: never answered so far, or answered at least once. */
const UNANSWERED_ROW = 1;
const ANSWERED_ROW = 2;

export class UdpServiceDetector implements Detector {
  /** (client, server) host numbers -> pair row; (pair row, service port) -> service row. */
  private readonly pairs = new PairIndex();
  private readonly services = new PairIndex();
  /** Per service row: UNANSWERED_ROW or ANSWERED_ROW (0 before its first flow). */
  private state = new Uint8Array(1024);
  /** Per service row still unanswered: its client, pair row and port, and the requests. */
  private readonly unanswered = new Map<number, Unanswered>();
  private readonly nx = new Map<string, NxClient>();
  /** The sweep's flows (see KeptFlows): silent ones with their requests, answered ones; the cursor. */
  private readonly silent = new KeptFlows({ k2: true, value: true });
  private readonly heard = new KeptFlows({ k2: true });
  private cursor: Connection | undefined;

  constructor(
    private readonly options: FindingsOptions,
    private readonly hosts: HostIds,
  ) {}

  connection(c: Connection): void {
    if (c.proto !== PROTO_UDP || c.origPkts === 0) return;
    const port = c.respPort;
    if (!(port < 1024 || KNOWN_UDP_SERVICES.has(port)) || c.respIsGroup) return;
    if (c.kept) {
      // Most services answer: answered flows are only looked up (a service answered once is never
      // reported); silent ones are grouped, and only those with enough requests filed.
      if (this.cursor === undefined) {
        this.silent.reserve(c.flows.used);
        this.heard.reserve(c.flows.used);
      }
      this.cursor = c;
      if (c.respPkts > 0) this.heard.push(c.origId, c.respId, port, c.id);
      else this.silent.push(c.origId, c.respId, port, c.id, c.origPkts);
      return;
    }
    const pair = this.pairs.row(c.origId, c.respId);
    const r = this.services.row(pair, port);
    if (r >= this.state.length) {
      const a = new Uint8Array(this.state.length * 2);
      a.set(this.state);
      this.state = a;
    }
    const was = this.state[r]!;
    if (was === ANSWERED_ROW) return;
    if (c.respPkts > 0) {
      this.state[r] = ANSWERED_ROW;
      if (was === UNANSWERED_ROW) this.unanswered.delete(r);
      return;
    }
    let u = this.unanswered.get(r);
    if (u === undefined) {
      this.state[r] = UNANSWERED_ROW;
      this.unanswered.set(r, (u = new Unanswered(c.origId, c.respId, pair, port)));
    }
    this.addRequests(u, c);
  }

  private addRequests(u: Unanswered, c: Connection): void {
    u.requests += c.origPkts;
    u.flows++;
    if (c.icmp === ICMP_PORT_UNREACHABLE) u.icmpRefused++;
    if (c.start < u.start) u.start = c.start;
    if (c.last > u.end) u.end = c.last;
    u.frames.push(...c.frames());
    if (u.frames.length > 4 * this.options.sampleFrames) u.frames = firstFrames(u.frames, this.options.sampleFrames);
  }

  /**
   * Files the flows noted in the sweep of the services that never answered and got enough requests. A
   * (client, server) pair and a service are numbered after every one filed before the sweep, in the order
   * of their first flow (answered or not; flow ids grow in sweep order), as if filed one by one.
   */
  private fileKept(): void {
    const k = this.silent;
    const heard = this.heard;
    const c = this.cursor;
    if (c === undefined) return;
    const t = c.flows;
    const pairsBefore = this.pairs.size;
    const servicesBefore = this.services.size;
    const threshold = this.options.unansweredUdpRequests;
    // The services that could be reported, by (client, server) pair and port.
    const pairIndex = new PairIndex();
    const pairFirst: number[] = [];
    const candidates: { pair: number; client: number; server: number; port: number; first: number; from: number; to: number; before: number; answered: boolean }[] = [];
    const byPair: Map<number, number>[] = [];
    const order = k.grouped();
    const add = (client: number, server: number, port: number, first: number, from: number, to: number, before: number): void => {
      const pr = pairIndex.row(client, server);
      if (pairIndex.created) {
        pairFirst[pr] = first;
        byPair[pr] = new Map();
      }
      byPair[pr]!.set(port, candidates.length);
      candidates.push({ pair: pr, client, server, port, first, from, to, before, answered: false });
    };
    for (let g = 0; g < k.n; ) {
      const head = order[g]!;
      const client = k.k0[head]!;
      const server = k.k1[head]!;
      let end = g;
      while (end < k.n && k.k0[order[end]!] === client && k.k1[order[end]!] === server) end++;
      const pairBefore = pairsBefore > 0 ? this.pairs.find(client, server) : -1;
      let pairMin = Infinity;
      const firstCandidate = candidates.length;
      for (let s = g; s < end; ) {
        const port = k.k2[order[s]!]!;
        let e = s;
        let requests = 0;
        for (; e < end && k.k2[order[e]!] === port; e++) requests += k.value[order[e]!]!;
        const first = k.id[order[s]!]!;
        if (first < pairMin) pairMin = first;
        const rowBefore = pairBefore >= 0 ? this.services.find(pairBefore, port) : -1;
        const answeredBefore = rowBefore >= 0 && this.state[rowBefore] === ANSWERED_ROW;
        const u = rowBefore >= 0 ? this.unanswered.get(rowBefore) : undefined;
        if (!answeredBefore && requests + (u?.requests ?? 0) >= threshold) add(client, server, port, first, s, e, rowBefore);
        s = e;
      }
      // Every silent service of the pair counts towards when the pair was first seen.
      if (candidates.length > firstCandidate) {
        const pr = candidates[firstCandidate]!.pair;
        pairFirst[pr] = Math.min(pairFirst[pr]!, pairMin);
      }
      g = end;
    }
    // Services filed before the sweep and still silent: a flow of the sweep may have answered them.
    for (const [row, u] of this.unanswered) {
      if (row >= servicesBefore || u.requests < threshold) continue;
      if (pairIndex.find(u.client, u.server) >= 0 && byPair[pairIndex.find(u.client, u.server)]!.has(u.port)) continue;
      add(u.client, u.server, u.port, Infinity, 0, 0, row);
    }
    if (candidates.length === 0) return;
    // The answered flows: which candidates they answer, and how early their pairs and services appeared.
    for (let i = 0; i < heard.n; i++) {
      const pr = pairIndex.find(heard.k0[i]!, heard.k1[i]!);
      if (pr < 0) continue;
      const id = heard.id[i]!;
      if (id < pairFirst[pr]!) pairFirst[pr] = id;
      const ci = byPair[pr]!.get(heard.k2[i]!);
      if (ci === undefined) continue;
      const cand = candidates[ci]!;
      cand.answered = true;
      if (id < cand.first) cand.first = id;
    }
    for (const cand of candidates) {
      let u = cand.before >= 0 ? this.unanswered.get(cand.before) : undefined;
      if (cand.answered) {
        if (u !== undefined) this.unanswered.delete(cand.before);
        continue;
      }
      if (cand.to === cand.from) continue;
      if (u === undefined) {
        const pairBefore = pairsBefore > 0 ? this.pairs.find(cand.client, cand.server) : -1;
        const pairOrder = pairBefore >= 0 ? pairBefore : pairsBefore + pairFirst[cand.pair]!;
        this.unanswered.set(servicesBefore + cand.first, (u = new Unanswered(cand.client, cand.server, pairOrder, cand.port)));
      }
      for (let i = cand.from; i < cand.to; i++) this.addRequests(u, c.atKnown(t, k.id[order[i]!]!, cand.client, cand.server));
    }
  }

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

  finish(ctx: FinishContext): Finding[] {
    this.fileKept();
    const o = this.options;
    const out: Finding[] = [];
    // In the order of a map client -> server -> port: clients by number, then servers and ports as first seen.
    const rows = [...this.unanswered].filter(([, u]) => u.requests >= o.unansweredUdpRequests);
    rows.sort(([ra, a], [rb, b]) => a.client - b.client || a.pair - b.pair || ra - rb);
    for (const [, u] of rows) {
      const client = this.hosts.name(u.client);
      const server = this.hosts.name(u.server);
      const port = u.port;
      if (ctx.scanned(client, server)) continue;
      const service = KNOWN_UDP_SERVICES.get(port) ?? `port ${port}`;
      out.push({
        kind: 'unanswered-udp',
        severity: 'low',
        source: client,
        targets: [server],
        ports: [port],
        start: u.start,
        end: u.end,
        packets: u.requests,
        frames: firstFrames(u.frames, o.sampleFrames),
        explanation:
          `${client} sent ${plural(u.requests, `${service} request`)} to ${server} port ${port} and never got a reply` +
          (u.icmpRefused > 0 ? ` (${plural(u.icmpRefused, 'ICMP port unreachable')} came back instead)` : '') +
          `: the service is down, filtered, or the address is wrong; malware also keeps knocking on servers that were taken down.`,
        filter: allOf([`src host ${client}`, `dst host ${server}`, `udp dst port ${port}`]),
        details: { type: 'counts', counts: { requests: u.requests, flows: u.flows, icmpPortUnreachable: u.icmpRefused } },
      });
    }
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
