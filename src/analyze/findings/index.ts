/**
 * `findings()`: names the malicious shapes in a capture (scans, floods, beacons, C2 channels, malformed
 * packets), each with the evidence to check it. The detectors ride the shared analysis pass (analysis.ts):
 * they read each packet from the one DecodedPacket and each connection from the shared flow table (plus
 * the few per-flow facts of connections.ts), judged when its row is evicted or when the capture ends.
 * Memory holds the flow table and per-host tallies, not packets. With several threads (`threads`), each
 * tracks a share of the flows with their facts, one worker runs the packet detectors on every packet
 * (share-tracker.ts), and after the pass this thread judges every table's flows, in the order one table
 * would hold them, with the scan and flood detectors while that worker judges the same flows with the pair
 * detectors (pair-detectors.ts).
 */
import type { AnalysisContext, AnalysisOptions, PacketConsumer } from '../analysis.js';
import { analyze } from '../analysis.js';
import type { DecodedPacket } from '../../decode/packet.js';
import { IPPROTO_TCP, IPPROTO_UDP } from '../../wire/ipv4.js';
import type { FlowTable } from '../../flows/flow-table.js';
import { Connection, FactsOfTables, FlowFacts, Sweep } from './connections.js';
import { FinishContext } from './detector.js';
import { HostIds } from './hosts.js';
import { FloodDetector } from './floods.js';
import { resolveOptions, type FindingsOptions } from './options.js';
import { ScanDetector } from './scans.js';
import { SEVERITY_RANK, type Finding } from './types.js';
import type { TrackedShare } from './share-tracker.js';
import { PairDetectors, withoutScanned, type PairFindings, type PairJudging } from './pair-detectors.js';
import { EVERY_PACKET_SHARE } from '../flow-shares.js';
import { PacketDetectors } from './packet-detectors.js';

export type { Finding, FindingKind, Severity, FindingDetails, ScanDetails, BeaconDetails, CountDetails } from './types.js';
export { FINDING_KINDS } from './types.js';
export { DEFAULT_FINDINGS_OPTIONS, type FindingsOptions } from './options.js';
export { scoreBeacon, DEFAULT_BEACON_SCORING, type BeaconScoring, type BeaconResult } from './beacons.js';

/**
 * With flows on two threads, this thread tracks this many flows for each one the worker of share 1 tracks:
 * that worker also reads every packet for the packet detectors (weird, odd flags, NXDOMAIN), decoding
 * another share's packet only when a detector may need it (packet-detectors.ts quietPacket). On the
 * 10 M-packet benchmark capture (bench/README.md), the two passes' ends (this thread's minus the worker's)
 * were +0.43, +0.69, +0.60 s apart at 1.8 and -0.34, -0.25, +0.22 s at 1.4, in alternating runs.
 */
const CALLER_WEIGHT = 1.5;

/**
 * Feeds every detector from the shared analysis pass: add it to `analyze()`'s consumers (as `summary` and
 * the HTML report do), then read `result`.
 */
export class FindingsConsumer implements PacketConsumer {
  readonly needsFlows = true;
  // Flows are read only when evicted and at the end, and the packet work may be done by the share workers
  // (share-tracker.ts): the flows may be tracked on several threads.
  readonly flowsOnly = true;
  readonly shareTracker: { module: string; options: FindingsOptions; callerWeight: number };
  readonly options: FindingsOptions;
  /** The findings, most severe first, then by time (filled by `finish`). */
  result: Finding[] = [];
  private readonly facts = new FactsOfTables();
  /** The table this thread tracks (its facts are `facts.main`). */
  private table: FlowTable | undefined;
  private readonly cursor: Connection;
  // The connection detectors, called directly (a loop over them is one megamorphic call).
  private readonly scans: ScanDetector;
  private readonly floods: FloodDetector;
  /** Judged here, or after a pass on several threads by a share worker (pair-detectors.ts). */
  private readonly pairs: PairDetectors;
  /** The detectors of packets one by one (run here, or by a share worker: ctx.shares). */
  private readonly perPacket: PacketDetectors;
  /** Far frames of the tables tracked on other threads (TrackedShare.farFrames). */
  private readonly farFrames = new Map<FlowTable, [number, number][]>();
  /** Flows judged during the pass (evicted): the pair detectors have then seen some flows here. */
  private judgedEarly = 0;
  private finished = false;
  /** The pair detectors judged on a share worker (after a pass on several threads with no eviction). */
  pairsElsewhere = false;

  constructor(options: Partial<FindingsOptions> = {}) {
    this.options = resolveOptions(options);
    const o = this.options;
    const hosts = new HostIds();
    this.cursor = new Connection(this.facts, hosts);
    this.shareTracker = { module: new URL('./share-tracker.js', import.meta.url).href, options: o, callerWeight: CALLER_WEIGHT };
    this.perPacket = new PacketDetectors(o);
    this.scans = new ScanDetector(o, hosts);
    this.floods = new FloodDetector(o, hosts);
    this.pairs = new PairDetectors(o, hosts);
  }

  /** Packets seen. */
  get packets(): number {
    return this.perPacket.packets;
  }

  onPacket(p: DecodedPacket, flowId: number, ctx: AnalysisContext): void {
    // With shares, this thread sees only its share's packets: a worker runs the packet detectors.
    if (ctx.shares === 1) this.perPacket.packet(p);
    const t = ctx.flows;
    if (t === undefined) return;
    if (t !== this.table) {
      this.table = t;
      this.facts.adopt(t, this.facts.main);
    }
    this.facts.main.packet(t, flowId, p);
  }

  /** A worker tracked `table`: its facts are in the rows, the rest in `tracked` (share-tracker.ts). */
  adoptShare(table: FlowTable, tracked: unknown): void {
    const share = tracked as TrackedShare;
    this.facts.adopt(table, FlowFacts.withFar(share.farFrames));
    this.farFrames.set(table, share.farFrames);
    if (share.packets !== undefined) this.perPacket.adopt(share.packets);
  }

  onFlowEvicted(t: FlowTable, id: number): void {
    this.judgedEarly++;
    this.judge(t, id, id, true);
  }

  async finish(ctx: AnalysisContext): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    // With shares, and no flow judged yet, a worker judges the flows for the pair detectors meanwhile.
    const remote = ctx.shares > 1 && this.judgedEarly === 0 ? (ctx.askShare(EVERY_PACKET_SHARE, this.pairJudging(ctx)) as Promise<PairFindings> | undefined) : undefined;
    this.pairsElsewhere = remote !== undefined;
    remote?.catch(() => undefined);
    // The rows stay until the detectors finish: they may read some flows again (Connection.kept).
    if (ctx.tables.length > 0) {
      const sweep = new Sweep(ctx.tables);
      this.cursor.startSweep(sweep);
      const pairs = remote === undefined;
      sweep.forEach((t, id, keptId) => this.judge(t, id, keptId, pairs));
    }
    const fc = new FinishContext(this.options);
    // Scans first: the odd flags and pair findings leave out traffic a reported scan explains.
    const scans = this.scans.finish(fc);
    const pp = this.perPacket;
    const oddFlags = pp.oddFlags.finish(fc);
    const floods = this.floods.finish(fc);
    const pairs = withoutScanned(await this.pairFindings(remote, ctx), fc);
    let all: Finding[] = [...scans, ...oddFlags, ...floods, ...pairs.beacons, ...pairs.ports, ...pairs.udpServices, ...pp.nxdomain.finish(fc), ...pp.weird.finish(fc)];
    const vlanTags = this.perPacket.vlanTags;
    if (vlanTags > 0) for (const f of all) f.filter = withVlans(f.filter, vlanTags);
    const kinds = this.options.kinds;
    if (kinds !== undefined) all = all.filter((f) => kinds.includes(f.kind));
    all.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.start - b.start || (a.kind < b.kind ? -1 : 1));
    this.result = all;
  }

  /** Hands a TCP or UDP flow, now over, to the connection detectors (the pair detectors too, if `pairs`). */
  private judge(t: FlowTable, id: number, keptId: number, pairs: boolean): void {
    const pr = t.proto(id);
    if (pr !== IPPROTO_TCP && pr !== IPPROTO_UDP) return;
    const c = this.cursor.at(t, id, keptId);
    this.scans.connection(c);
    this.floods.connection(c);
    if (pairs) this.pairs.connection(c);
  }

  /** The pair detectors' findings: the worker's (`remote`), or judged here if there is none or it failed. */
  private async pairFindings(remote: Promise<PairFindings> | undefined, ctx: AnalysisContext): Promise<PairFindings> {
    if (remote !== undefined) {
      try {
        return await remote;
      } catch {
        // The worker is lost: sweep the same flows again, in the same order, for the pair detectors here.
        this.pairsElsewhere = false;
        this.pairs.sweep(ctx.tables, this.cursor);
      }
    }
    return this.pairs.finish();
  }

  /** What a share worker needs to judge the flows of `tables` with the pair detectors. */
  private pairJudging(ctx: AnalysisContext): PairJudging {
    const tables = ctx.tables;
    return {
      tables: tables.map((t) => t.exportState()),
      farFrames: tables.map((t) => (t === ctx.flows ? this.facts.main.farEntries() : (this.farFrames.get(t) ?? []))),
    };
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
  /** Threads that may track the flows (AnalysisOptions.threads; default 1). */
  threads?: number;
  /** Smallest capture file tracked on several threads (AnalysisOptions.minSharedBytes). */
  minSharedBytes?: number;
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
  const { expression, ipv6Transport, maxFlows, threads, minSharedBytes, ...rest } = options;
  const consumer = new FindingsConsumer(rest);
  const pass: AnalysisOptions = {};
  if (expression !== undefined && expression.trim() !== '') pass.expression = expression;
  if (ipv6Transport === true) pass.ipv6Transport = true;
  if (maxFlows !== undefined) pass.flows = { maxFlows };
  if (threads !== undefined) pass.threads = threads;
  if (minSharedBytes !== undefined) pass.minSharedBytes = minSharedBytes;
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
