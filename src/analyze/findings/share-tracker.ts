/**
 * The findings' packet work in a share worker, when the flows are tracked on several threads
 * (flow-shares.ts ShareTracker): the facts of the share's flows (FlowFacts, kept in their rows, which travel
 * with the worker's table; frame distances beyond 32 bits travel with the result), and in the worker that
 * reads every packet the packet detectors (PacketDetectors; the other shares' packets decoded only when a
 * detector may need them: `quietPacket`), whose counts the calling thread adopts. After
 * the pass, that worker also judges every flow with the pair detectors (`followUp`: pair-detectors.ts).
 */
import type { PacketRecord } from '../../capture/packet.js';
import type { DecodedPacket } from '../../decode/packet.js';
import { lastRecord } from '../../flows/record-share.js';
import type { FlowTable } from '../../flows/flow-table.js';
import type { ShareTracker } from '../flow-shares.js';
import { FlowFacts } from './connections.js';
import type { FindingsOptions } from './options.js';
import { PacketDetectors, type PacketCounts } from './packet-detectors.js';
import { judgePairs, type PairJudging } from './pair-detectors.js';

/** What a share's tracker hands to FindingsConsumer.adoptShare. */
export interface TrackedShare {
  /** FlowFacts.farEntries of the share's table. */
  farFrames: [number, number][];
  /** The packet detectors' counts (the worker that reads every packet). */
  packets?: PacketCounts;
}

export function createShareTracker(options: FindingsOptions, everyPacket: boolean): ShareTracker {
  const facts = new FlowFacts();
  const detectors = everyPacket ? new PacketDetectors(options) : undefined;
  const tracker: ShareTracker = {
    packet(table: FlowTable, flowId: number, p: DecodedPacket): void {
      detectors?.packet(p);
      facts.packet(table, flowId, p);
    },
    result(): TrackedShare {
      const r: TrackedShare = { farFrames: facts.farEntries() };
      if (detectors !== undefined) r.packets = detectors.counts();
      return r;
    },
    followUp(request: unknown) {
      return judgePairs(options, request as PairJudging);
    },
  };
  // Another share's packets carry no facts of this share's flows: only the packet detectors may need them.
  if (detectors !== undefined) tracker.otherShare = (rec: PacketRecord, p: DecodedPacket): void => detectors.otherShare(rec, lastRecord, p);
  return tracker;
}
