/**
 * `findings()`: names the malicious shapes in a capture (scans, floods, beacons, C2 channels, malformed
 * packets), each with the evidence to check it. One pass over the packets, then each detector judges
 * what it kept; memory holds live connections and per-host tallies, not packets.
 */
import { CaptureError } from '../../capture/errors.js';
import { newPacketRecord, type PacketRecord } from '../../capture/packet.js';
import type { DecodedPacket } from '../../decode/packet.js';
import { readCapture } from '../../capture/reader.js';
import { compileFilter, type FilterPredicate } from '../../filter/index.js';
import { BeaconDetector } from './beacon-pairs.js';
import { ConnectionTable } from './connections.js';
import { FinishContext, type Detector } from './detector.js';
import { HostIds } from './hosts.js';
import { FloodDetector } from './floods.js';
import { Observation, observePacket, PROTO_ICMP, PROTO_ICMPV6, ICMP_UNREACHABLE, ICMP_PORT_UNREACHABLE, ICMP6_UNREACHABLE, ICMP6_PORT_UNREACHABLE } from './observe.js';
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

/** Feeds packets to every detector; use it directly to share a pass with other analyses (`summary`). */
export class FindingsCollector {
  readonly options: FindingsOptions;
  private readonly obs = new Observation();
  private readonly table: ConnectionTable;
  private readonly scans: ScanDetector;
  private readonly detectors: Detector[];
  private readonly packetDetectors: Detector[];
  private readonly connectionDetectors: Detector[];
  private finished: Finding[] | undefined;
  /** Packets seen. */
  packets = 0;
  /** The most VLAN tags any IP packet carried: evidence filters must then say `vlan`. */
  private vlanTags = 0;

  constructor(options: Partial<FindingsOptions> = {}) {
    this.options = resolveOptions(options);
    const o = this.options;
    const hosts = new HostIds();
    this.scans = new ScanDetector(o, hosts);
    // Scans judge first: later detectors leave out traffic a reported scan explains.
    this.detectors = [
      this.scans,
      new OddFlagsDetector(o),
      new FloodDetector(o),
      new BeaconDetector(o, hosts),
      new PortDetector(o, hosts),
      new UdpServiceDetector(o, hosts),
      new WeirdDetector(o),
    ];
    this.packetDetectors = this.detectors.filter((d) => d.packet !== undefined);
    this.connectionDetectors = this.detectors.filter((d) => d.connection !== undefined);
    this.table = new ConnectionTable((c) => {
      for (const d of this.connectionDetectors) d.connection!(c);
    }, hosts);
  }

  /** Takes one packet (the record is only read during the call). */
  add(rec: PacketRecord): void {
    this.packets++;
    const o = this.obs;
    observePacket(o, rec);
    if (o.vlanTags > this.vlanTags) this.vlanTags = o.vlanTags;
    for (const d of this.packetDetectors) d.packet!(o);
    if (o.ipVersion === 0) return;
    if (o.proto === PROTO_ICMP || o.proto === PROTO_ICMPV6) {
      if (o.quotedProto >= 0) {
        const portUnreachable =
          o.proto === PROTO_ICMP
            ? o.icmpType === ICMP_UNREACHABLE && o.icmpCode === ICMP_PORT_UNREACHABLE
            : o.icmpType === ICMP6_UNREACHABLE && o.icmpCode === ICMP6_PORT_UNREACHABLE;
        this.table.icmpError(o, portUnreachable);
      }
      return;
    }
    this.table.update(o, o.ipLength);
  }

  /** Ends every connection and returns the findings, most severe first, then by time. */
  finish(): Finding[] {
    if (this.finished !== undefined) return this.finished;
    this.table.flush();
    const ctx = new FinishContext(this.options);
    let all: Finding[] = [];
    for (const d of this.detectors) all.push(...d.finish(ctx));
    if (this.vlanTags > 0) for (const f of all) f.filter = withVlans(f.filter, this.vlanTags);
    const kinds = this.options.kinds;
    if (kinds !== undefined) all = all.filter((f) => kinds.includes(f.kind));
    all.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.start - b.start || (a.kind < b.kind ? -1 : 1));
    this.finished = all;
    return all;
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
}

export interface FindingsRun {
  findings: Finding[];
  /** Packets analysed (after the expression). */
  packets: number;
  /** A capture file fault met after some packets: the findings cover what came before it. */
  error?: CaptureError;
}

/**
 * Reads a capture and returns its findings, and the file fault that stopped the reading if any. Throws
 * CaptureError only when not one packet could be read.
 */
export async function runFindings(file: string, options: FindingsRunOptions = {}): Promise<FindingsRun> {
  const { expression, ...rest } = options;
  const collector = new FindingsCollector(rest);
  const filters = new Map<number, FilterPredicate>();
  const wanted = expression !== undefined && expression.trim() !== '' ? expression : undefined;
  let read = 0;
  let error: CaptureError | undefined;
  try {
    await readCapture(file, {
      onPacket: (rec) => {
        read++;
        if (wanted !== undefined) {
          let f = filters.get(rec.linkType);
          if (f === undefined) filters.set(rec.linkType, (f = compileFilter(wanted, rec.linkType)));
          if (!f(rec.data, rec.offset, rec.caplen, rec.wirelen)) return;
        }
        collector.add(rec);
      },
    });
  } catch (err) {
    if (!(err instanceof CaptureError) || read === 0) throw err;
    error = err;
  }
  const run: FindingsRun = { findings: collector.finish(), packets: collector.packets };
  if (error !== undefined) run.error = error;
  return run;
}

/** Reads a capture and returns its findings (those of the packets before a file fault, if any). */
export async function findings(file: string, options: FindingsRunOptions = {}): Promise<Finding[]> {
  return (await runFindings(file, options)).findings;
}

/** Feeds the findings from the shared analysis pass (`summary`): the decoded packet's record, re-read lightly. */
export class FindingsConsumer {
  readonly collector: FindingsCollector;
  result: Finding[] = [];
  private readonly rec = newPacketRecord();

  constructor(options: Partial<FindingsOptions> = {}) {
    this.collector = new FindingsCollector(options);
  }

  onPacket(p: DecodedPacket): void {
    const r = this.rec;
    r.data = p.data;
    r.offset = p.offset;
    r.caplen = p.caplen;
    r.wirelen = p.wirelen;
    r.tsSec = p.tsSec;
    r.tsNsec = p.tsNsec;
    r.frame = p.frame;
    r.linkType = p.linkType;
    this.collector.add(r);
  }

  finish(): void {
    this.result = this.collector.finish();
  }
}

export { CaptureError };
