/**
 * UDP services that never answer (requests to NTP, DNS, SNMP... with no reply). Bursts of NXDOMAIN answers
 * are nxdomain.ts's.
 */
import { ICMP_PORT_UNREACHABLE, type Connection } from './connections.js';
import type { Detector, FinishContext } from './detector.js';
import { KeptFlows } from './kept.js';
import { PairIndex, type HostIds } from './hosts.js';
import { allOf, firstFrames, plural } from './evidence.js';
import { IPPROTO_UDP as PROTO_UDP } from '../../wire/ipv4.js';
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
        this.silent.reserve(c.keptCount);
        this.heard.reserve(c.keptCount);
      }
      this.cursor = c;
      if (c.respPkts > 0) this.heard.push(c.origId, c.respId, port, c.keptId);
      else this.silent.push(c.origId, c.respId, port, c.keptId, c.origPkts);
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
      for (let i = cand.from; i < cand.to; i++) this.addRequests(u, c.again(k.id[order[i]!]!, cand.client, cand.server));
    }
  }

  finish(_ctx: FinishContext): Finding[] {
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
    return out;
  }
}
