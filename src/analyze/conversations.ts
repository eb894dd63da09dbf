/**
 * `conversations`: one row per bidirectional flow (TCP, UDP, ICMP, other IP), with Zeek's conn_state and
 * history, what each side sent, and whether a UDP or ICMP flow was answered or rejected by an ICMP error.
 */
import type { FlowTable } from '../flows/flow-table.js';
import { analyze, type AnalysisContext, type AnalysisOptions, type CaptureFacts, type PacketConsumer } from './analysis.js';
import { FlowRecords, type FlowRecord } from './flow-record.js';

/** The consumer behind `conversations`: keeps every flow's record. */
export class ConversationsConsumer implements PacketConsumer {
  readonly needsFlows = true;
  readonly records = new FlowRecords();
  result: FlowRecord[] = [];

  onFlowEvicted(t: FlowTable, id: number): void {
    this.records.onEvicted(t, id);
  }

  finish(ctx: AnalysisContext): void {
    this.result = this.records.all(ctx.flows);
  }
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
