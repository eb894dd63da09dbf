/**
 * `services`: the remote endpoints (address, protocol, port) a host sent TCP and UDP packets to, with the
 * packets sent to each. With `--host H` it counts every packet H sent, as
 *   tcpdump -nn -r F 'src host H and (tcp or udp)' | cut -f 5 -d " " | sort | uniq -c
 * does (tcpdump's field ends in ':'; pcapsift's rows carry the address and port apart). Without a host it
 * lists, for every host that acts as a client (originates a TCP or UDP flow), the responders of its flows
 * and the packets it sent them.
 */
import { ipTextAt } from '../decode/address.js';
import type { DecodedPacket } from '../decode/packet.js';
import { IPPROTO_TCP, IPPROTO_UDP } from '../wire/ipv4.js';
import type { FlowTable } from '../flows/flow-table.js';
import { analyze, type AnalysisContext, type AnalysisOptions, type CaptureFacts, type PacketConsumer } from './analysis.js';
import { hasTransportPorts, HostMatcher, protoName, sortCounted, type EndpointOptions, type KeyWriter } from './host.js';
import { putIpv4, putText, putU32 } from '../report/format.js';
import { KeyTable } from './key-table.js';

export interface ServiceRow {
  /** The client (only without --host). */
  client?: string;
  proto: 'tcp' | 'udp';
  ip: string;
  port: number;
  packets: number;
}

/** Formats a service as tcpdump prints a destination: `ip.port` (for IPv6 as well). */
export function serviceKey(r: ServiceRow): string {
  return `${r.client === undefined ? '' : r.client + ' '}${r.proto} ${r.ip}.${r.port}`;
}

/** Counts, per packet one host sends, its destination (version, address, protocol and port). */
export class HostServicesConsumer implements PacketConsumer {
  private readonly host: HostMatcher;
  private readonly tcpdumpView: boolean;
  /** Key words: version, address 0-3, protocol << 16 | port. */
  readonly table = new KeyTable(6);
  private readonly key = new Uint32Array(6);

  constructor(host: string, options: EndpointOptions = {}) {
    this.host = new HostMatcher(host);
    this.tcpdumpView = options.tcpdumpView === true;
  }

  onPacket(p: DecodedPacket): void {
    if (!hasTransportPorts(p, this.tcpdumpView) || !this.host.isSource(p)) return;
    const k = this.key;
    k[0] = p.ipVersion;
    k[1] = p.dst[0]!;
    k[2] = p.dst[1]!;
    k[3] = p.dst[2]!;
    k[4] = p.dst[3]!;
    k[5] = ((p.protocol << 16) | p.dstPort) >>> 0;
    this.table.add(k);
  }

  /** Each entry's `serviceKey` text (as bytes) and its count, in entry order (no row objects, no strings). */
  lines(): ServiceLines {
    const t = this.table;
    const k = t.keys;
    const writeKey = (i: number, b: Uint8Array, p: number): number => {
      const at = i * 6;
      const pp = k[at + 5]!;
      p = putText(b, p, protoName(pp >>> 16));
      b[p++] = SPACE;
      p = putAddress(b, p, k[at]!, k, at + 1);
      b[p++] = DOT;
      return putU32(b, p, pp & 0xffff);
    };
    return { size: t.size, writeKey, counts: t.counts.subarray(0, t.size), row: (i) => this.row(i) };
  }

  /** Entry i as a row. */
  row(i: number): ServiceRow {
    const t = this.table;
    const b = i * 6;
    const pp = t.keys[b + 5]!;
    return { proto: protoName(pp >>> 16), ip: ipTextAt(t.keys[b]!, t.keys, b + 1), port: pp & 0xffff, packets: t.counts[i]! };
  }

  rows(desc = false): ServiceRow[] {
    const out: ServiceRow[] = [];
    for (let i = 0; i < this.table.size; i++) out.push(this.row(i));
    return sortCounted(out, (r) => r.packets, serviceKey, desc);
  }
}

/** Counts, per TCP/UDP flow, the packets its originator (the client) sent to the responder (the service). */
export class ClientServicesConsumer implements PacketConsumer {
  readonly needsFlows = true;
  readonly flowsOnly = true;
  /** Key words: version, client 0-3, service 0-3, protocol << 16 | port. */
  readonly table = new KeyTable(10);
  private readonly key = new Uint32Array(10);
  private readonly clients: HostMatcher | undefined;

  constructor(options: EndpointOptions = {}) {
    this.clients = options.host === undefined ? undefined : new HostMatcher(options.host);
  }

  private addFlow(t: FlowTable, id: number): void {
    const proto = t.proto(id);
    if (proto !== IPPROTO_TCP && proto !== IPPROTO_UDP) return;
    const n = t.packets(id, 0);
    if (n === 0) return;
    const b = t.addrIndex(id, 0);
    if (this.clients !== undefined && !this.clients.isAt(t.version(id), t.words, b)) return;
    const k = this.key;
    k[0] = t.version(id);
    for (let i = 0; i < 8; i++) k[1 + i] = t.words[b + i]!;
    k[9] = ((proto << 16) | t.respPort(id)) >>> 0;
    this.table.add(k, n);
  }

  onFlowEvicted(t: FlowTable, id: number): void {
    this.addFlow(t, id);
  }

  onFlowEnded(t: FlowTable, id: number): void {
    this.addFlow(t, id);
  }

  finish(ctx: AnalysisContext): void {
    for (const t of ctx.tables) t.forEach((id) => this.addFlow(t, id));
  }

  /** Each entry's `serviceKey` text (as bytes) and its count, in entry order (no row objects, no strings). */
  lines(): ServiceLines {
    const t = this.table;
    const k = t.keys;
    const writeKey = (i: number, b: Uint8Array, p: number): number => {
      const at = i * 10;
      const v = k[at]!;
      const pp = k[at + 9]!;
      p = putAddress(b, p, v, k, at + 1);
      b[p++] = SPACE;
      p = putText(b, p, protoName(pp >>> 16));
      b[p++] = SPACE;
      p = putAddress(b, p, v, k, at + 5);
      b[p++] = DOT;
      return putU32(b, p, pp & 0xffff);
    };
    return { size: t.size, writeKey, counts: t.counts.subarray(0, t.size), row: (i) => this.row(i) };
  }

  /** Entry i as a row. */
  row(i: number): ServiceRow {
    const t = this.table;
    const b = i * 10;
    const v = t.keys[b]!;
    const pp = t.keys[b + 9]!;
    return { client: ipTextAt(v, t.keys, b + 1), proto: protoName(pp >>> 16), ip: ipTextAt(v, t.keys, b + 5), port: pp & 0xffff, packets: t.counts[i]! };
  }

  rows(desc = false): ServiceRow[] {
    const out: ServiceRow[] = [];
    for (let i = 0; i < this.table.size; i++) out.push(this.row(i));
    return sortCounted(out, (r) => r.packets, serviceKey, desc);
  }
}

/** Services as printed keys and counts, unordered: what the `uniq -c` table needs, without row objects. */
export interface ServiceLines {
  /** Entries. */
  size: number;
  /** Writes entry i's `serviceKey` text as bytes (see KeyWriter). */
  writeKey: KeyWriter;
  counts: Float64Array;
  /** Entry i as a row (for JSON and CSV, one at a time). */
  row: (i: number) => ServiceRow;
}

/** Writes an address held in words a[o..o+3] (IPv4 in the last word) as text. */
function putAddress(b: Uint8Array, p: number, version: number, a: Uint32Array, o: number): number {
  return version === 4 ? putIpv4(b, p, a[o + 3]!) : putText(b, p, ipTextAt(version, a, o));
}

const SPACE = 0x20;
const DOT = 0x2e;

export interface ServicesResult {
  capture: CaptureFacts;
  host: string | null;
  services: ServiceRow[];
}

/** Lists the services a host (or every client) sent packets to. */
export async function services(file: string, options: EndpointOptions & AnalysisOptions = {}): Promise<ServicesResult> {
  if (options.host !== undefined) {
    const c = new HostServicesConsumer(options.host, options);
    const ctx = await analyze(file, [c], options);
    return { capture: ctx.capture, host: options.host, services: c.rows() };
  }
  const c = new ClientServicesConsumer(options);
  const ctx = await analyze(file, [c], options);
  return { capture: ctx.capture, host: null, services: c.rows() };
}

/** Like `services`, but the rows as printed keys and counts (in no particular order), for large tables. */
export async function serviceLines(file: string, options: EndpointOptions & AnalysisOptions = {}): Promise<ServiceLines & { capture: CaptureFacts }> {
  const c = options.host !== undefined ? new HostServicesConsumer(options.host, options) : new ClientServicesConsumer(options);
  const ctx = await analyze(file, [c], options);
  return { capture: ctx.capture, ...c.lines() };
}
