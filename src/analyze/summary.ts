/**
 * `summary`: the baseline an analyst draws first, from one pass over the capture: what the capture is,
 * the protocol mix, the top talkers, the handshakes, each client's ports, services and destination-port
 * totals, which UDP services answered, and the findings. Every analysis runs as a consumer of the same
 * pass (analysis.ts), so the file is read once.
 */
import { linkTypeName } from '../capture/link-types.js';
import { ipToString, parseIp } from '../decode/address.js';
import type { DecodedPacket } from '../decode/packet.js';
import { IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP } from '../wire/ipv4.js';
import type { FlowTable } from '../flows/flow-table.js';
import { FLOW_ICMP_REJECTED } from '../flows/flow-table.js';
import { analyze, type AnalysisContext, type AnalysisOptions, type PacketConsumer } from './analysis.js';
import { FindingsConsumer, type Finding } from './findings/index.js';
import { protocolName } from './flow-record.js';
import { HandshakesConsumer, type HandshakeServer } from './handshakes.js';
import { hasTransportPorts, protoName } from './host.js';
import { KeyTable } from './key-table.js';
import type { PortRow } from './ports.js';
import { ClientServicesConsumer, type ServiceRow } from './services.js';

export interface SummaryOptions extends AnalysisOptions {
  /** Rows per list (talkers, clients, ports per client...). Default 10. */
  top?: number;
  /** Run the findings detectors too (default true). */
  findings?: boolean;
}

export interface ClientSummary {
  ip: string;
  /** TCP and UDP packets the client sent. */
  packets: number;
  /** Its source ports, most packets first (top N), and how many there were. */
  ports: PortRow[];
  portsDistinct: number;
  /** The services it opened flows to, most packets first (top N), and how many. */
  services: ServiceRow[];
  servicesDistinct: number;
  /** Its packets per destination port (top N). */
  portTotals: PortRow[];
}

export interface UdpServiceSummary {
  ip: string;
  port: number;
  /** UDP flows to it. */
  flows: number;
  answered: number;
  /** Flows an ICMP error (port unreachable...) rejected. */
  rejected: number;
  unanswered: number;
}

export interface SummaryResult {
  capture: {
    file: string;
    format: string;
    linkTypes: string[];
    packets: number;
    /** Packets the expression selected (all without one). */
    selected: number;
    bytes: number;
    first: number | null;
    last: number | null;
    duration: number;
    error?: string;
  };
  protocols: { name: string; packets: number; bytes: number }[];
  talkers: { ip: string; packets: number; bytes: number }[];
  flows: { total: number; tcp: number; udp: number; icmp: number; other: number; evicted: number };
  handshakes: {
    synAcks: number;
    attempts: number;
    established: number;
    synAckOnly: number;
    rejected: number;
    unanswered: number;
    servers: HandshakeServer[];
  };
  clients: ClientSummary[];
  /** Every host that acted as a client (the list above keeps the top N). */
  clientsTotal: number;
  udpServices: UdpServiceSummary[];
  /** The findings, or null when they were not asked for. */
  findings: Finding[] | null;
}

const HOST_KEY = 6;

/** Counts packets and bytes per protocol, per sending host, and each host's source and destination ports. */
class BaselineCounts implements PacketConsumer {
  /** Index: IP protocol number (0-255); 256 ARP; 257 other non-IP. */
  readonly protoPackets = new Float64Array(258);
  readonly protoBytes = new Float64Array(258);
  readonly talkers = new KeyTable(5, 1024);
  readonly sourcePorts = new KeyTable(HOST_KEY, 1024);
  readonly destinationPorts = new KeyTable(HOST_KEY, 1024);
  private readonly addrKey = new Uint32Array(5);
  private readonly portKey = new Uint32Array(HOST_KEY);

  onPacket(p: DecodedPacket): void {
    const slot = p.ipVersion !== 0 && p.protocol >= 0 ? p.protocol : p.etherType === 0x0806 ? 256 : 257;
    this.protoPackets[slot]++;
    this.protoBytes[slot] += p.wirelen;
    if (p.ipVersion === 0) return;
    const a = this.addrKey;
    a[0] = p.ipVersion;
    a[1] = p.src[0]!;
    a[2] = p.src[1]!;
    a[3] = p.src[2]!;
    a[4] = p.src[3]!;
    this.talkers.add(a, 1, p.wirelen);
    if (!hasTransportPorts(p, false)) return;
    const k = this.portKey;
    // Word by word: TypedArray#set is a builtin call, slow for five words per packet.
    k[0] = a[0]!;
    k[1] = a[1]!;
    k[2] = a[2]!;
    k[3] = a[3]!;
    k[4] = a[4]!;
    k[5] = ((p.protocol << 16) | p.srcPort) >>> 0;
    this.sourcePorts.add(k);
    k[5] = ((p.protocol << 16) | p.dstPort) >>> 0;
    this.destinationPorts.add(k);
  }
}

/** Counts UDP flows per responder endpoint: answered, rejected by ICMP, or unanswered. */
class UdpServices implements PacketConsumer {
  readonly needsFlows = true;
  readonly table = new KeyTable(6, 256);
  /** Per entry: answered, rejected. */
  answered: number[] = [];
  rejected: number[] = [];
  private readonly key = new Uint32Array(6);

  private addFlow(t: FlowTable, id: number): void {
    if (t.proto(id) !== IPPROTO_UDP) return;
    const k = this.key;
    k[0] = t.version(id);
    for (let i = 0; i < 4; i++) k[1 + i] = t.words[t.addrIndex(id, 1) + i]!;
    k[5] = t.respPort(id);
    const idx = this.table.add(k);
    while (this.answered.length <= idx) {
      this.answered.push(0);
      this.rejected.push(0);
    }
    if ((t.flags(id) & FLOW_ICMP_REJECTED) !== 0) this.rejected[idx]!++;
    else if (t.packets(id, 1) > 0) this.answered[idx]!++;
  }

  onFlowEvicted(t: FlowTable, id: number): void {
    this.addFlow(t, id);
  }

  finish(ctx: AnalysisContext): void {
    const t = ctx.flows;
    t?.forEach((id) => this.addFlow(t, id));
  }

  rows(): UdpServiceSummary[] {
    const t = this.table;
    const out: UdpServiceSummary[] = [];
    for (let i = 0; i < t.size; i++) {
      const flows = t.counts[i]!;
      out.push({
        ip: ipToString(t.keys[i * 6]!, t.keys.subarray(i * 6 + 1, i * 6 + 5)),
        port: t.keys[i * 6 + 5]!,
        flows,
        answered: this.answered[i]!,
        rejected: this.rejected[i]!,
        unanswered: flows - this.answered[i]! - this.rejected[i]!,
      });
    }
    return out.sort((a, b) => b.flows - a.flows || a.port - b.port || (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
  }
}

/** Counts flows by protocol class. */
class FlowCounts implements PacketConsumer {
  readonly needsFlows = true;
  counts = { total: 0, tcp: 0, udp: 0, icmp: 0, other: 0, evicted: 0 };

  private addFlow(t: FlowTable, id: number): void {
    const pr = t.proto(id);
    this.counts.total++;
    if (pr === IPPROTO_TCP) this.counts.tcp++;
    else if (pr === IPPROTO_UDP) this.counts.udp++;
    else if (pr === IPPROTO_ICMP || pr === IPPROTO_ICMPV6) this.counts.icmp++;
    else this.counts.other++;
  }

  onFlowEvicted(t: FlowTable, id: number): void {
    this.addFlow(t, id);
  }

  finish(ctx: AnalysisContext): void {
    const t = ctx.flows;
    t?.forEach((id) => this.addFlow(t, id));
    this.counts.evicted = t?.stats.evicted ?? 0;
  }
}

/** The port rows of one host in a per-host port table, most packets first (found by its words, no text). */
function hostRows(table: KeyTable, ip: string): PortRow[] {
  const w = new Uint32Array(4);
  const version = parseIp(ip, w);
  const rows: PortRow[] = [];
  const k = table.keys;
  for (let i = 0; i < table.size; i++) {
    const b = i * HOST_KEY;
    if (k[b] !== version || k[b + 1] !== w[0] || k[b + 2] !== w[1] || k[b + 3] !== w[2] || k[b + 4] !== w[3]) continue;
    const pp = k[b + 5]!;
    rows.push({ proto: protoName(pp >>> 16), port: pp & 0xffff, packets: table.counts[i]! });
  }
  return rows.sort((a, b) => b.packets - a.packets || (a.proto < b.proto ? -1 : a.proto > b.proto ? 1 : a.port - b.port));
}

/** Draws the baseline of a capture in one pass. */
export async function summary(file: string, options: SummaryOptions = {}): Promise<SummaryResult> {
  const top = options.top ?? 10;
  const counts = new BaselineCounts();
  const handshakes = new HandshakesConsumer({ connections: false });
  const services = new ClientServicesConsumer();
  const udp = new UdpServices();
  const flowCounts = new FlowCounts();
  const consumers: PacketConsumer[] = [counts, handshakes, services, udp, flowCounts];
  const findings = options.findings === false ? undefined : new FindingsConsumer();
  if (findings !== undefined) consumers.push(findings);
  const ctx = await analyze(file, consumers, options);
  const c = ctx.capture;

  const protocols: SummaryResult['protocols'] = [];
  for (let i = 0; i < 258; i++) {
    const n = counts.protoPackets[i]!;
    if (n === 0) continue;
    protocols.push({ name: i === 256 ? 'arp' : i === 257 ? 'non-ip' : protocolName(i), packets: n, bytes: counts.protoBytes[i]! });
  }
  protocols.sort((a, b) => b.packets - a.packets || (a.name < b.name ? -1 : 1));

  const talkers: SummaryResult['talkers'] = [];
  const tt = counts.talkers;
  for (let i = 0; i < tt.size; i++) talkers.push({ ip: ipToString(tt.keys[i * 5]!, tt.keys.subarray(i * 5 + 1, i * 5 + 5)), packets: tt.counts[i]!, bytes: tt.sums[i]! });
  talkers.sort((a, b) => b.packets - a.packets || b.bytes - a.bytes || (a.ip < b.ip ? -1 : 1));

  const byClient = new Map<string, ServiceRow[]>();
  for (const row of services.rows(true)) {
    const list = byClient.get(row.client!);
    if (list === undefined) byClient.set(row.client!, [row]);
    else list.push(row);
  }
  // The busiest clients by the packets they sent to their services; port rows only for those shown.
  const ranked = [...byClient.entries()]
    .map(([ip, rows]) => ({ ip, rows, sent: rows.reduce((n, r) => n + r.packets, 0) }))
    .sort((a, b) => b.sent - a.sent || (a.ip < b.ip ? -1 : 1))
    .slice(0, top);
  const clients: ClientSummary[] = ranked.map(({ ip, rows }) => {
    const ports = hostRows(counts.sourcePorts, ip);
    return {
      ip,
      packets: ports.reduce((n, r) => n + r.packets, 0),
      ports: ports.slice(0, top),
      portsDistinct: ports.length,
      services: rows.slice(0, top).map((r) => ({ proto: r.proto, ip: r.ip, port: r.port, packets: r.packets })),
      servicesDistinct: rows.length,
      portTotals: hostRows(counts.destinationPorts, ip).slice(0, top),
    };
  });

  const h = handshakes.result;
  const result: SummaryResult = {
    capture: {
      file,
      format: c.format,
      linkTypes: c.linkTypes.map((l) => linkTypeName(l) ?? String(l)),
      packets: c.packets,
      selected: c.selected,
      bytes: c.bytes,
      first: c.first,
      last: c.last,
      duration: c.first === null || c.last === null ? 0 : Math.max(0, c.last - c.first),
    },
    protocols,
    talkers: talkers.slice(0, top),
    flows: flowCounts.counts,
    handshakes: {
      synAcks: h.synAcks,
      attempts: h.attempts,
      established: h.established,
      synAckOnly: h.synAckOnly,
      rejected: h.rejected,
      unanswered: h.unanswered,
      servers: h.servers.slice(0, top),
    },
    clients,
    clientsTotal: byClient.size,
    udpServices: udp.rows().slice(0, top * 2),
    findings: findings === undefined ? null : findings.result,
  };
  if (c.error !== undefined) result.capture.error = c.error;
  return result;
}
