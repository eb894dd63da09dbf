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
  readonly flowsOnly = true;
  readonly records = new FlowRecords();
  result: FlowRecord[] = [];
  /** Without materialize: the flows still in the tables, in order of start (then first frame). */
  order: FlowOrder = { tables: [], table: new Uint8Array(0), ids: new Int32Array(0) };

  constructor(private readonly materialize = true) {}

  onFlowEvicted(t: FlowTable, id: number): void {
    this.records.onEvicted(t, id);
  }

  finish(ctx: AnalysisContext): void {
    if (this.materialize) this.result = this.records.all(ctx.tables);
    else this.order = orderedFlows(ctx.tables);
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

/** Flows of several tables in one order: the i-th flow is row `ids[i]` of `tables[table[i]]`. */
export interface FlowOrder {
  tables: FlowTable[];
  table: Uint8Array;
  ids: Int32Array;
}

/** The flows of every table, ordered by start time then first frame (tables hold disjoint flows). */
export function orderedFlows(tables: readonly FlowTable[]): FlowOrder {
  const lists = tables.map((t) => orderedFlowIds(t));
  const total = lists.reduce((n, l) => n + l.length, 0);
  const table = new Uint8Array(total);
  if (lists.length <= 1) return { tables: tables.slice(), table, ids: lists[0] ?? new Int32Array(0) };
  const ids = new Int32Array(total);
  const at = new Int32Array(lists.length);
  for (let i = 0; i < total; i++) {
    // The earliest head among the lists (a handful of tables: a linear scan).
    let best = -1;
    for (let k = 0; k < lists.length; k++) {
      if (at[k]! >= lists[k]!.length) continue;
      if (best < 0 || compareAcross(tables[k]!, lists[k]![at[k]!]!, tables[best]!, lists[best]![at[best]!]!) < 0) best = k;
    }
    table[i] = best;
    ids[i] = lists[best]![at[best]!++]!;
  }
  return { tables: tables.slice(), table, ids };
}

/** Orders flow a of table ta and flow b of table tb by start time, then first frame. */
function compareAcross(ta: FlowTable, a: number, tb: FlowTable, b: number): number {
  return ta.startSec(a) - tb.startSec(b) || ta.startNsec(a) - tb.startNsec(b) || ta.firstFrame(a) - tb.firstFrame(b);
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
