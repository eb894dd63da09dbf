/** What every detector implements, and what they learn from each other when the capture ends. */
import type { Connection } from './connections.js';
import type { DecodedPacket } from '../../decode/packet.js';
import type { FindingsOptions } from './options.js';
import type { Finding, FindingKind } from './types.js';

/** Shared at the end: the scans found first, so later detectors do not report the same traffic again. */
export class FinishContext {
  /** scanner -> kinds of scan reported for it. */
  readonly scanKinds = new Map<string, Set<FindingKind>>();
  /** `scanner|target` pairs of reported scans. */
  private readonly scannedPairs = new Set<string>();

  constructor(readonly options: FindingsOptions) {}

  /** Records a reported scan. */
  addScan(f: Finding): void {
    let kinds = this.scanKinds.get(f.source);
    if (kinds === undefined) this.scanKinds.set(f.source, (kinds = new Set()));
    kinds.add(f.kind);
    for (const t of f.targets) this.scannedPairs.add(`${f.source}|${t}`);
  }

  /** Says whether traffic from `source` to `target` is already explained by a reported scan. */
  scanned(source: string, target: string): boolean {
    return this.scannedPairs.has(`${source}|${target}`);
  }
}

export interface Detector {
  /** Called for every decoded packet (valid only during the call). */
  packet?(p: DecodedPacket): void;
  /** Called once per TCP or UDP flow of the shared flow table: when its row is evicted, or at the end. */
  connection?(c: Connection): void;
  /** Returns the findings, once, after the last packet. */
  finish(ctx: FinishContext): Finding[];
}
