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
import { protoName } from '../analyze/host.js';
import { KeyTable } from '../analyze/key-table.js';
import { ClientServicesConsumer } from '../analyze/services.js';
import { ipToString } from '../decode/address.js';
import { IPPROTO_TCP, IPPROTO_UDP } from '../wire/ipv4.js';
import type { FlowTable } from '../flows/flow-table.js';
import { CONN_STATE_MEANINGS } from '../flows/states.js';
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

/**
 * Counts, for every sending host, its packets per source port and per destination port (TCP and UDP), as
 * `ports --host H` and `dports --host H` count them, for all hosts at once. Every packet with ports
 * belongs to a flow and carries that flow's ports, so the counts are summed per flow (when it is evicted,
 * and at the end) rather than per packet: the same numbers at a fraction of the cost. Also counts the
 * distinct IP addresses of all flows.
 */
export class HostPortsConsumer implements PacketConsumer {
  readonly needsFlows = true;
  readonly sourcePorts = new KeyTable(HOST_PORT_KEY_WIDTH, 4096);
  readonly destinationPorts = new KeyTable(HOST_PORT_KEY_WIDTH, 4096);
  /** Distinct addresses (version and four words). */
  readonly hosts = new KeyTable(5, 1024);
  private readonly key = new Uint32Array(HOST_PORT_KEY_WIDTH);

  onFlowEvicted(t: FlowTable, id: number): void {
    this.addFlow(t, id);
  }

  finish(ctx: AnalysisContext): void {
    const t = ctx.flows;
    t?.forEach((id) => this.addFlow(t, id));
  }

  private addFlow(t: FlowTable, id: number): void {
    const b = t.addrIndex(id, 0);
    const k = this.key;
    k[0] = t.version(id);
    for (let side = 0; side < 2; side++) {
      k.set(t.words.subarray(b + side * 4, b + side * 4 + 4), 1);
      this.hosts.intern(k);
    }
    const proto = t.proto(id);
    if (proto !== IPPROTO_TCP && proto !== IPPROTO_UDP) return;
    const ports = [t.origPort(id), t.respPort(id)];
    for (let side = 0; side < 2; side++) {
      const n = t.packets(id, side);
      if (n === 0) continue;
      k.set(t.words.subarray(b + side * 4, b + side * 4 + 4), 1);
      k[5] = ((proto << 16) | ports[side]!) >>> 0;
      this.sourcePorts.add(k, n);
      k[5] = ((proto << 16) | ports[1 - side]!) >>> 0;
      this.destinationPorts.add(k, n);
    }
  }
}

/** Keeps the records of the `top` flows with the most packets (both ways), and counts every flow. */
export class TopConversationsConsumer implements PacketConsumer {
  readonly needsFlows = true;
  total = 0;
  private kept: FlowRecord[] = [];
  /** A flow with fewer packets than this cannot enter the top any more. */
  private threshold = 0;
  /** The top has been filled once. */
  private full = false;

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
    const n = t.packets(id, 0) + t.packets(id, 1);
    // Once the top is full, a flow must beat its last entry: ties keep the flows met first (the earlier).
    if (n < this.threshold || (n === this.threshold && this.full)) return;
    this.kept.push(flowRecord(t, id));
    if (this.kept.length >= this.top * 2) this.prune();
  }

  private prune(): void {
    const total = (r: FlowRecord) => r.packets.orig + r.packets.resp;
    this.kept.sort((a, b) => total(b) - total(a) || a.start - b.start || a.firstFrame - b.firstFrame);
    if (this.kept.length > this.top) this.kept.length = this.top;
    if (this.kept.length === this.top) {
      this.threshold = total(this.kept[this.kept.length - 1]!);
      this.full = true;
    }
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

/**
 * Groups a per-host table's entries by host, for the wanted hosts only (given as their 5 key words):
 * compares words, so no address text is made for the many entries of other hosts.
 */
function entriesByHost(table: KeyTable, wanted: readonly Uint32Array[]): number[][] {
  const out: number[][] = wanted.map(() => []);
  const keys = table.keys;
  for (let i = 0; i < table.size; i++) {
    const b = i * HOST_PORT_KEY_WIDTH;
    for (let h = 0; h < wanted.length; h++) {
      const w = wanted[h]!;
      if (keys[b] === w[0] && keys[b + 4] === w[4] && keys[b + 3] === w[3] && keys[b + 2] === w[2] && keys[b + 1] === w[1]) {
        out[h]!.push(i);
        break;
      }
    }
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
  readonly handshakes = new HandshakesConsumer({ connections: false });
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
    for (const r of model.conversations) {
      const meaning = (CONN_STATE_MEANINGS as Record<string, string>)[r.state];
      if (meaning !== undefined) model.stateMeanings[r.state] = meaning;
    }
    model.capture.hosts = this.hostPorts.hosts.size;
    const evicted = ctx.flows?.stats.evicted ?? 0;
    if (evicted > 0) model.notes.push(`${evicted} flows were evicted to stay within the flow table's limit; they are still counted.`);
  }

  /** The busiest clients (hosts that originated TCP or UDP flows) with their ports, services and port totals. */
  private fillClients(model: ReportModel): void {
    const topClients = this.options.topClients ?? DEFAULT_TOP_CLIENTS;
    const perClient = this.options.topPerClient ?? DEFAULT_TOP_PER_CLIENT;
    // The services table (key: version, client 0-3, service 0-3, protocol << 16 | port) is read
    // directly: sums per client first, then rows only for the clients shown.
    const table = this.services.table;
    const W = table.width;
    const clientKey = new KeyTable(5, 1024);
    const key = new Uint32Array(5);
    for (let i = 0; i < table.size; i++) {
      key.set(table.keys.subarray(i * W, i * W + 5));
      clientKey.add(key, table.counts[i]!);
    }
    const order: number[] = [];
    for (let c = 0; c < clientKey.size; c++) order.push(c);
    order.sort((a, b) => clientKey.counts[b]! - clientKey.counts[a]! || a - b);
    const clientName = (c: number) => ipToString(clientKey.keys[c * 5]!, clientKey.keys.subarray(c * 5 + 1, c * 5 + 5));
    const chosen: [string, { packets: number; services: ServiceCount[] }][] = order
      .slice(0, topClients)
      .map((c) => [clientName(c), { packets: clientKey.counts[c]!, services: [] }]);
    const chosenIndex = new Map<number, ServiceCount[]>();
    order.slice(0, topClients).forEach((c, i) => chosenIndex.set(c, chosen[i]![1].services));
    for (let i = 0; i < table.size; i++) {
      key.set(table.keys.subarray(i * W, i * W + 5));
      const list = chosenIndex.get(clientKey.intern(key));
      if (list === undefined) continue;
      const b = i * W;
      const pp = table.keys[b + 9]!;
      list.push({ proto: protoName(pp >>> 16), ip: ipToString(table.keys[b]!, table.keys.subarray(b + 5, b + 9)), port: pp & 0xffff, packets: table.counts[i]! });
    }
    for (const [, c] of chosen) {
      c.services.sort((a, b) => b.packets - a.packets || (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : a.port - b.port));
    }
    const wanted = order.slice(0, topClients).map((c) => clientKey.keys.slice(c * 5, c * 5 + 5));
    const src = entriesByHost(this.hostPorts.sourcePorts, wanted);
    const dst = entriesByHost(this.hostPorts.destinationPorts, wanted);
    model.clientsTotal = clientKey.size;
    model.clients = chosen.map(([ip, c], i): ClientSummary => {
      const ports = hostPorts(this.hostPorts.sourcePorts, src[i]);
      const totals = hostPorts(this.hostPorts.destinationPorts, dst[i]);
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
