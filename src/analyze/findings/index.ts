/**
 * `findings()`: names the malicious shapes in a capture (scans, floods, beacons, C2 channels, malformed
 * packets), each with the evidence to check it. The detectors ride the shared analysis pass (analysis.ts):
 * they read each packet from the one DecodedPacket and each connection from the shared flow table (plus
 * the few per-flow facts of connections.ts), judged when its row is evicted or when the capture ends.
 * Memory holds the flow table and per-host tallies, not packets.
 */
import type { AnalysisContext, AnalysisOptions, PacketConsumer } from '../analysis.js';
import { analyze } from '../analysis.js';
import { IPPROTO_TCP, IPPROTO_UDP, type DecodedPacket } from '../../decode/packet.js';
import type { FlowTable } from '../../flows/flow-table.js';
import { BeaconDetector } from './beacon-pairs.js';
import { Connection, FlowFacts } from './connections.js';
import { FinishContext, type Detector } from './detector.js';
import { HostIds } from './hosts.js';
import { FloodDetector } from './floods.js';
import { OddFlagsDetector } from './odd-flags.js';
import { resolveOptions, type FindingsOptions } from './options.js';
import { PortDetector } from './ports.js';
import { ScanDetector } from './scans.js';
import { SEVERITY_RANK, type Finding } from './types.js';
import { UdpServiceDetector } from './udp-services.js';
import { WeirdDetector } from './weird.js';

export type { Finding, FindingKind, Severity, FindingDetails, ScanDetails, BeaconDetails, CountDetails } from './types.js';
export { FINDING_KINDS } from './types.js';
export { DEFAULT_FINDINGS_OPTIONS, type FindingsOptions } from './options.js';
export { scoreBeacon, DEFAULT_BEACON_SCORING, type BeaconScoring, type BeaconResult } from './beacons.js';

/**
 * Feeds every detector from the shared analysis pass: add it to `analyze()`'s consumers (as `summary` and
 * the HTML report do), then read `result`.
 */
export class FindingsConsumer implements PacketConsumer {
  readonly needsFlows = true;
  readonly options: FindingsOptions;
  /** The findings, most severe first, then by time (filled by `finish`). */
  result: Finding[] = [];
  /** Packets seen. */
  packets = 0;
  private readonly facts = new FlowFacts();
  private readonly cursor: Connection;
  private readonly detectors: Detector[];
  // The connection detectors, called directly for the same reason (a loop over them is one megamorphic call).
  private readonly scans: ScanDetector;
  private readonly floods: FloodDetector;
  private readonly beacons: BeaconDetector;
  private readonly ports: PortDetector;
  // The per-packet detectors, called directly: one call site each stays monomorphic on the hot path.
  private readonly oddFlags: OddFlagsDetector;
  private readonly udpServices: UdpServiceDetector;
  private readonly weird: WeirdDetector;
  private finished = false;
  /** The most VLAN tags any packet carried: evidence filters must then say `vlan`. */
  private vlanTags = 0;

  constructor(options: Partial<FindingsOptions> = {}) {
    this.options = resolveOptions(options);
    const o = this.options;
    const hosts = new HostIds();
    this.cursor = new Connection(this.facts, hosts);
    this.oddFlags = new OddFlagsDetector(o);
    this.udpServices = new UdpServiceDetector(o, hosts);
    this.weird = new WeirdDetector(o);
    // Scans judge first: later detectors leave out traffic a reported scan explains.
    this.scans = new ScanDetector(o, hosts);
    this.floods = new FloodDetector(o, hosts);
    this.beacons = new BeaconDetector(o, hosts);
    this.ports = new PortDetector(o, hosts);
    this.detectors = [this.scans, this.oddFlags, this.floods, this.beacons, this.ports, this.udpServices, this.weird];
  }

  onPacket(p: DecodedPacket, flowId: number, ctx: AnalysisContext): void {
    this.packets++;
    if (p.vlanCount > this.vlanTags) this.vlanTags = p.vlanCount;
    this.oddFlags.packet(p);
    this.udpServices.packet(p);
    this.weird.packet(p);
    const t = ctx.flows;
    if (t === undefined) return;
    if (flowId >= 0 && (p.protocol === IPPROTO_TCP || p.protocol === IPPROTO_UDP)) {
      this.facts.add(t, flowId, t.lastDir, t.lastCreated, p);
    } else if (p.hasQuoted && p.quotedSrcPort >= 0) {
      // The pass already marked the quoted flow; find it again to say how the error answered it.
      this.facts.icmpError(t, t.linkIcmpError(p), p);
    }
  }

  onFlowEvicted(t: FlowTable, id: number): void {
    this.judge(t, id);
  }

  finish(ctx: AnalysisContext): void {
    if (this.finished) return;
    this.finished = true;
    const t = ctx.flows;
    // The rows stay until the detectors finish: they may read some flows again (Connection.kept).
    this.cursor.kept = true;
    if (t !== undefined) t.forEach((id) => this.judge(t, id));
    const fc = new FinishContext(this.options);
    let all: Finding[] = [];
    for (const d of this.detectors) all.push(...d.finish(fc));
    if (this.vlanTags > 0) for (const f of all) f.filter = withVlans(f.filter, this.vlanTags);
    const kinds = this.options.kinds;
    if (kinds !== undefined) all = all.filter((f) => kinds.includes(f.kind));
    all.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.start - b.start || (a.kind < b.kind ? -1 : 1));
    this.result = all;
  }

  /** Hands a TCP or UDP flow, now over, to the connection detectors. */
  private judge(t: FlowTable, id: number): void {
    const pr = t.proto(id);
    if (pr !== IPPROTO_TCP && pr !== IPPROTO_UDP) return;
    const c = this.cursor.at(t, id);
    // In the order of `detectors`: scans first.
    this.scans.connection(c);
    this.floods.connection(c);
    this.beacons.connection(c);
    this.ports.connection(c);
    this.udpServices.connection(c);
  }
}

/**
 * Extends a filter to packets under up to `depth` VLAN tags. libpcap's `vlan` shifts the offsets of
 * everything after it in the expression, so each deeper level nests inside the previous one:
 * `F or (vlan and (F or (vlan and F)))`.
 */
export function withVlans(filter: string, depth: number): string {
  let expr = filter;
  for (let i = 0; i < depth; i++) expr = `(${filter}) or (vlan and (${expr}))`;
  return expr;
}

export interface FindingsRunOptions extends Partial<FindingsOptions> {
  /** Only packets this libpcap expression selects. */
  expression?: string;
  /** tcp[], udp[] and port in the expression also match IPv6 through extension headers. */
  ipv6Transport?: boolean;
  /** Flows kept in memory at most (the least recently active are judged and evicted beyond it). */
  maxFlows?: number;
}

export interface FindingsRun {
  findings: Finding[];
  /** Packets analysed (after the expression). */
  packets: number;
  /** A capture file fault met after some packets (its message): the findings cover what came before it. */
  error?: string;
}

/**
 * Reads a capture in one pass and returns its findings, and the file fault that stopped the reading if
 * any. Throws CaptureError only when the file cannot be read at all.
 */
export async function runFindings(file: string, options: FindingsRunOptions = {}): Promise<FindingsRun> {
  const { expression, ipv6Transport, maxFlows, ...rest } = options;
  const consumer = new FindingsConsumer(rest);
  const pass: AnalysisOptions = {};
  if (expression !== undefined && expression.trim() !== '') pass.expression = expression;
  if (ipv6Transport === true) pass.ipv6Transport = true;
  if (maxFlows !== undefined) pass.flows = { maxFlows };
  const ctx = await analyze(file, [consumer], pass);
  const run: FindingsRun = { findings: consumer.result, packets: consumer.packets };
  if (ctx.capture.error !== undefined) run.error = ctx.capture.error;
  return run;
}

/** Reads a capture and returns its findings (those of the packets before a file fault, if any). */
export async function findings(file: string, options: FindingsRunOptions = {}): Promise<Finding[]> {
  return (await runFindings(file, options)).findings;
}

export { CaptureError } from '../../capture/errors.js';
