/**
 * The analyses' answers for the report: handshake outcomes, each client's ports, services and destination
 * port totals, and the conversations. The analyses' consumers (handshakes, client services) run in the
 * report's single pass beside two small consumers of the report's own that keep things bounded for any
 * capture size: per-source-host port counts for every host at once (the `ports`/`dports --host`
 * definitions, for all hosts in one pass), and the busiest conversations only (a flow record is built
 * only for a flow that may enter the top N). `fill` cuts everything to the report's top N.
 */
import type { AnalysisContext, PacketConsumer } from '../analyze/analysis.js';
import { flowRecord, type FlowRecord } from '../analyze/flow-record.js';
import { HandshakesConsumer } from '../analyze/handshakes.js';
import { hasTransportPorts, protoName } from '../analyze/host.js';
import { KeyTable } from '../analyze/key-table.js';
import { ClientServicesConsumer } from '../analyze/services.js';
import { ipToString } from '../decode/address.js';
import { IPPROTO_TCP, IPPROTO_UDP, type DecodedPacket } from '../decode/packet.js';
import type { FlowTable } from '../flows/flow-table.js';
import type { ReportOptions } from './build.js';
import {
  DEFAULT_TOP_CLIENTS,
  DEFAULT_TOP_CONVERSATIONS,
  DEFAULT_TOP_PER_CLIENT,
  DEFAULT_TOP_SERVERS,
  type ClientSummary,
  type ConversationRow,
  type PortCount,
  type ReportModel,
  type ServiceCount,
} from './model.js';

/** Key words of the per-host port tables: version, address (4 words), protocol << 16 | port. */
const HOST_PORT_KEY_WIDTH = 6;

/** Counts, for every sending host, its packets per source port and per destination port (TCP and UDP). */
export class HostPortsConsumer implements PacketConsumer {
  readonly sourcePorts = new KeyTable(HOST_PORT_KEY_WIDTH, 4096);
  readonly destinationPorts = new KeyTable(HOST_PORT_KEY_WIDTH, 4096);
  private readonly key = new Uint32Array(HOST_PORT_KEY_WIDTH);

  onPacket(p: DecodedPacket): void {
    if (!hasTransportPorts(p, false)) return;
    const k = this.key;
    k[0] = p.ipVersion;
    k[1] = p.src[0]!;
    k[2] = p.src[1]!;
    k[3] = p.src[2]!;
    k[4] = p.src[3]!;
    k[5] = ((p.protocol << 16) | p.srcPort) >>> 0;
    this.sourcePorts.add(k);
    k[5] = ((p.protocol << 16) | p.dstPort) >>> 0;
    this.destinationPorts.add(k);
  }
}

/** Keeps the records of the `top` flows with the most packets (both ways), and counts every flow. */
export class TopConversationsConsumer implements PacketConsumer {
  readonly needsFlows = true;
  total = 0;
  private kept: FlowRecord[] = [];
  /** A flow with fewer packets than this cannot enter the top any more. */
  private threshold = 0;

  constructor(private readonly top: number) {}

  onFlowEvicted(t: FlowTable, id: number): void {
    this.consider(t, id);
  }

  finish(ctx: AnalysisContext): void {
    const t = ctx.flows;
    t?.forEach((id) => this.consider(t, id));
    this.prune();
  }

  /** The busiest flows, most packets first (then by start time). */
  records(): FlowRecord[] {
    return this.kept;
  }

  private consider(t: FlowTable, id: number): void {
    this.total++;
    const n = t.packets[id * 2]! + t.packets[id * 2 + 1]!;
    if (n < this.threshold) return;
    this.kept.push(flowRecord(t, id));
    if (this.kept.length >= this.top * 2) this.prune();
  }

  private prune(): void {
    const total = (r: FlowRecord) => r.packets.orig + r.packets.resp;
    this.kept.sort((a, b) => total(b) - total(a) || a.start - b.start || a.firstFrame - b.firstFrame);
    if (this.kept.length > this.top) this.kept.length = this.top;
    if (this.kept.length === this.top) this.threshold = total(this.kept[this.kept.length - 1]!);
  }
}

/** The rows of one host in a per-host port table, most packets first. */
function hostPorts(table: KeyTable, entries: number[] | undefined): PortCount[] {
  if (entries === undefined) return [];
  return entries
    .map((i) => {
      const pp = table.keys[i * HOST_PORT_KEY_WIDTH + 5]!;
      return { proto: protoName(pp >>> 16), port: pp & 0xffff, packets: table.counts[i]! };
    })
    .sort((a, b) => b.packets - a.packets || (a.proto < b.proto ? -1 : a.proto > b.proto ? 1 : a.port - b.port));
}

/** Groups a per-host table's entries by host address text, for the wanted hosts only. */
function entriesByHost(table: KeyTable, wanted: ReadonlySet<string>): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (let i = 0; i < table.size; i++) {
    const b = i * HOST_PORT_KEY_WIDTH;
    const ip = ipToString(table.keys[b]!, table.keys.subarray(b + 1, b + 5));
    if (!wanted.has(ip)) continue;
    let list = out.get(ip);
    if (list === undefined) out.set(ip, (list = []));
    list.push(i);
  }
  return out;
}

function toConversationRow(r: FlowRecord): ConversationRow {
  const ports = r.protocol === IPPROTO_TCP || r.protocol === IPPROTO_UDP;
  return {
    proto: r.proto,
    origIp: r.orig.ip,
    origPort: ports ? r.orig.port : null,
    respIp: r.resp.ip,
    respPort: ports ? r.resp.port : null,
    start: r.start,
    duration: r.duration,
    packetsOrig: r.packets.orig,
    packetsResp: r.packets.resp,
    bytesOrig: r.bytes.orig,
    bytesResp: r.bytes.resp,
    state: r.state,
    history: r.history,
    answered: r.protocol === IPPROTO_TCP ? '' : r.rejected ? 'rejected' : r.answered ? 'yes' : 'no',
  };
}

/** The analyses' consumers the report runs, and how their results go into the model. */
export class BaselineConsumers {
  readonly handshakes = new HandshakesConsumer();
  readonly services = new ClientServicesConsumer();
  readonly hostPorts = new HostPortsConsumer();
  readonly conversations: TopConversationsConsumer;
  readonly consumers: PacketConsumer[];

  constructor(private readonly options: ReportOptions) {
    this.conversations = new TopConversationsConsumer(options.topConversations ?? DEFAULT_TOP_CONVERSATIONS);
    this.consumers = [this.handshakes, this.services, this.hostPorts, this.conversations];
  }

  /** Puts the analyses' results into the model. */
  fill(model: ReportModel, ctx: AnalysisContext): void {
    const topServers = this.options.topServers ?? DEFAULT_TOP_SERVERS;
    const h = this.handshakes.result;
    model.handshakes = {
      attempts: h.attempts,
      established: h.established,
      synAckOnly: h.synAckOnly,
      rejected: h.rejected,
      unanswered: h.unanswered,
      synAcks: h.synAcks,
      servers: h.servers.slice(0, topServers).map((s) => ({
        server: s.server,
        port: s.port,
        established: s.established,
        synAckOnly: s.synAckOnly,
        rejected: s.rejected,
        unanswered: s.unanswered,
      })),
    };
    this.fillClients(model);
    model.conversations = this.conversations.records().map(toConversationRow);
    model.conversationsTotal = this.conversations.total;
    const evicted = ctx.flows?.stats.evicted ?? 0;
    if (evicted > 0) model.notes.push(`${evicted} flows were evicted to stay within the flow table's limit; they are still counted.`);
  }

  /** The busiest clients (hosts that originated TCP or UDP flows) with their ports, services and port totals. */
  private fillClients(model: ReportModel): void {
    const topClients = this.options.topClients ?? DEFAULT_TOP_CLIENTS;
    const perClient = this.options.topPerClient ?? DEFAULT_TOP_PER_CLIENT;
    const byClient = new Map<string, { packets: number; services: ServiceCount[] }>();
    for (const row of this.services.rows(true)) {
      const client = row.client ?? '';
      let c = byClient.get(client);
      if (c === undefined) byClient.set(client, (c = { packets: 0, services: [] }));
      c.packets += row.packets;
      c.services.push({ proto: row.proto, ip: row.ip, port: row.port, packets: row.packets });
    }
    const ranked = [...byClient.entries()].sort((a, b) => b[1].packets - a[1].packets || (a[0] < b[0] ? -1 : 1));
    const chosen = ranked.slice(0, topClients);
    const wanted = new Set(chosen.map(([ip]) => ip));
    const src = entriesByHost(this.hostPorts.sourcePorts, wanted);
    const dst = entriesByHost(this.hostPorts.destinationPorts, wanted);
    model.clientsTotal = byClient.size;
    model.clients = chosen.map(([ip, c]): ClientSummary => {
      const ports = hostPorts(this.hostPorts.sourcePorts, src.get(ip));
      const totals = hostPorts(this.hostPorts.destinationPorts, dst.get(ip));
      return {
        ip,
        packets: ports.reduce((s, p) => s + p.packets, 0),
        ports: ports.slice(0, perClient),
        portsDistinct: ports.length,
        services: c.services.slice(0, perClient),
        servicesDistinct: c.services.length,
        portTotals: totals.slice(0, perClient),
      };
    });
  }
}
