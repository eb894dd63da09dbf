/**
 * The connection detectors that judge pairs of hosts (beacons, busy ports, unanswered UDP services). They
 * read nothing another detector learns until their findings are made, and a reported scan only removes
 * findings of the pairs it explains (`withoutScanned`), so with several threads they judge every flow on a
 * share worker (share-tracker.ts `followUp`) while this thread's scan and flood detectors judge the same
 * flows, in the same order, with host numbers of their own (numbered alike: every judged flow numbers its
 * two hosts in sweep order, whoever judges it).
 */
import { IPPROTO_TCP, IPPROTO_UDP } from '../../wire/ipv4.js';
import { FlowTable, type FlowTableState } from '../../flows/flow-table.js';
import { BeaconDetector } from './beacon-pairs.js';
import { Connection, FactsOfTables, FlowFacts, Sweep } from './connections.js';
import { FinishContext } from './detector.js';
import { HostIds } from './hosts.js';
import type { FindingsOptions } from './options.js';
import { PortDetector } from './ports.js';
import type { Finding } from './types.js';
import { UdpServiceDetector } from './udp-services.js';

/** The pair detectors' findings, each detector's in its order. */
export interface PairFindings {
  beacons: Finding[];
  ports: Finding[];
  udpServices: Finding[];
}

export class PairDetectors {
  private readonly beacons: BeaconDetector;
  private readonly ports: PortDetector;
  private readonly udpServices: UdpServiceDetector;

  constructor(
    private readonly options: FindingsOptions,
    hosts: HostIds,
  ) {
    this.beacons = new BeaconDetector(options, hosts);
    this.ports = new PortDetector(options, hosts);
    this.udpServices = new UdpServiceDetector(options, hosts);
  }

  /** A TCP or UDP flow, now over (the cursor as the scans see it). */
  connection(c: Connection): void {
    this.beacons.connection(c);
    this.ports.connection(c);
    this.udpServices.connection(c);
  }

  /** Judges every TCP and UDP flow of `tables` in sweep order, read through `cursor` (whose hosts these detectors number). */
  sweep(tables: readonly FlowTable[], cursor: Connection): void {
    const sweep = new Sweep(tables);
    cursor.startSweep(sweep);
    sweep.forEach((t, id, keptId) => {
      const pr = t.proto(id);
      if (pr === IPPROTO_TCP || pr === IPPROTO_UDP) this.connection(cursor.at(t, id, keptId));
    });
  }

  /** The findings, scans not yet taken into account (see `withoutScanned`). */
  finish(): PairFindings {
    const fc = new FinishContext(this.options);
    return { beacons: this.beacons.finish(fc), ports: this.ports.finish(fc), udpServices: this.udpServices.finish(fc) };
  }
}

/** Drops the beacon and unanswered-UDP findings of pairs a reported scan explains (fc: the scans' finish). */
export function withoutScanned(found: PairFindings, fc: FinishContext): PairFindings {
  const unexplained = (f: Finding): boolean => !fc.scanned(f.source, f.targets[0]!);
  return { beacons: found.beacons.filter(unexplained), ports: found.ports, udpServices: found.udpServices.filter(unexplained) };
}

/** What a share worker needs to judge every flow with the pair detectors: every table, in sweep order. */
export interface PairJudging {
  tables: FlowTableState[];
  /** Each table's FlowFacts.farEntries. */
  farFrames: [number, number][][];
}

/** Judges every flow of the tables with the pair detectors, as the calling thread's sweep would. */
export function judgePairs(options: FindingsOptions, request: PairJudging): PairFindings {
  const tables = request.tables.map((s) => FlowTable.fromState(s));
  const facts = new FactsOfTables();
  tables.forEach((t, i) => facts.adopt(t, FlowFacts.withFar(request.farFrames[i]!)));
  const hosts = new HostIds();
  const pairs = new PairDetectors(options, hosts);
  pairs.sweep(tables, new Connection(facts, hosts));
  return pairs.finish();
}
