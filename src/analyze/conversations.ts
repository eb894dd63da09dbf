/**
 * `conversations`: one row per bidirectional flow (TCP, UDP, ICMP, other IP), with Zeek's conn_state and
 * history, what each side sent, and whether a UDP or ICMP flow was answered or rejected by an ICMP error.
 */
import type { FlowTable } from '../flows/flow-table.js';
import { analyze, type AnalysisContext, type AnalysisOptions, type CaptureFacts, type PacketConsumer } from './analysis.js';
import { FlowRecords, type FlowRecord } from './flow-record.js';

/**
 * The consumer behind `conversations`. With `materialize` (the default) it builds every flow's record at
 * the end; without, it only orders the flow ids, so a caller can write rows straight from the flow table
 * (a million flows as a million objects would cost more than the whole pass). Evicted flows are always
 * kept as records, since their rows are reused.
 */
export class ConversationsConsumer implements PacketConsumer {
  readonly needsFlows = true;
  readonly records = new FlowRecords();
  result: FlowRecord[] = [];
  /** Without materialize: the flows still in the table, in order of start (then first frame). */
  ids: Int32Array = new Int32Array(0);

  constructor(private readonly materialize = true) {}

  onFlowEvicted(t: FlowTable, id: number): void {
    this.records.onEvicted(t, id);
  }

  finish(ctx: AnalysisContext): void {
    if (this.materialize) this.result = this.records.all(ctx.flows);
    else if (ctx.flows !== undefined) this.ids = orderedFlowIds(ctx.flows);
  }
}

/** The ids of the flows in a table, ordered by start time then first frame (usually already row order). */
export function orderedFlowIds(t: FlowTable): Int32Array {
  const ids = new Int32Array(t.live);
  let n = 0;
  let sorted = true;
  t.forEach((id) => {
    if (n > 0) {
      const prev = ids[n - 1]!;
      if (compareStart(t, prev, id) > 0) sorted = false;
    }
    ids[n++] = id;
  });
  const out = ids.subarray(0, n);
  if (!sorted) out.sort((a, b) => compareStart(t, a, b));
  return out;
}

/** Orders two flows by start time (exactly, seconds then nanoseconds), then first frame. */
export function compareStart(t: FlowTable, a: number, b: number): number {
  return t.startSec(a) - t.startSec(b) || t.startNsec(a) - t.startNsec(b) || t.firstFrame(a) - t.firstFrame(b);
}

export interface ConversationsResult {
  capture: CaptureFacts;
  conversations: FlowRecord[];
  /** Flows evicted to keep within the flow limit (their records are still listed). */
  evicted: number;
}

/** Lists every flow of a capture. */
export async function conversations(file: string, options: AnalysisOptions = {}): Promise<ConversationsResult> {
  const c = new ConversationsConsumer();
  const ctx = await analyze(file, [c], options);
  return { capture: ctx.capture, conversations: c.result, evicted: ctx.flows?.stats.evicted ?? 0 };
}
