/**
 * Builds a ReportModel from a capture in one pass: the analyses' pass (src/analyze/analysis.ts) decodes
 * every record once into one reused DecodedPacket and tracks flows; the report's own consumer (facts,
 * timeline, names, findings) and the analyses' consumers read it in turn. Everything kept is bounded
 * (top N lists, bucketed timeline), so memory does not grow with the capture beyond the flow table.
 */
import { analyze, type AnalysisContext, type PacketConsumer } from '../analyze/analysis.js';
import { FindingsConsumer } from '../analyze/findings/index.js';
import type { DecodedPacket } from '../decode/packet.js';
import { FactsCollector } from './facts.js';
import { toReportFinding } from './findings.js';
import { BaselineConsumers } from './baseline.js';
import { emptyReportModel, MAX_REPORT_FINDINGS, DEFAULT_TOP_NAMES, type ReportModel } from './model.js';
import { MAX_DISTINCT_NAMES, NamesCollector } from './names.js';
import { TimelineBuilder } from './timeline.js';

export interface ReportOptions {
  /** Conversations listed in the table (the busiest first). */
  topConversations?: number;
  /** Clients shown with their charts. */
  topClients?: number;
  /** Bars per client chart. */
  topPerClient?: number;
  /** Servers in the handshake table. */
  topServers?: number;
  /** DNS names and HTTP requests listed. */
  topNames?: number;
  /** Only packets this libpcap expression selects are reported. */
  expression?: string;
  /** tcp[], udp[] and port also match IPv6 (FilterOptions.ipv6Transport). */
  ipv6Transport?: boolean;
  /** The name shown for the capture (default: the path given). */
  label?: string;
  /** When the report was made (default now; tests pin it). */
  now?: Date;
  /** The generator's name and version. */
  generator?: string;
}

/** The report's own per-packet work: facts, timeline and names (the findings are a consumer of their own). */
class ReportConsumer implements PacketConsumer {
  readonly facts = new FactsCollector();
  readonly timeline = new TimelineBuilder();
  readonly names = new NamesCollector();

  onPacket(p: DecodedPacket): void {
    this.facts.add(p);
    this.timeline.add(p.tsSec, p.tsNsec, p.tcpFlags);
    this.names.add(p);
  }
}

/** Reads a capture once and builds its report model. A broken file reports what came before the fault. */
export async function buildReportModel(file: string, options: ReportOptions = {}): Promise<ReportModel> {
  const label = options.label ?? file;
  const model = emptyReportModel(label);
  const own = new ReportConsumer();
  const baseline = new BaselineConsumers(options);
  const expression = (options.expression ?? '').trim();
  const analysisOptions = expression === '' ? {} : { expression, ipv6Transport: options.ipv6Transport === true };
  const findings = new FindingsConsumer();
  const ctx: AnalysisContext = await analyze(file, [own, ...baseline.consumers, findings], analysisOptions);

  model.generator = options.generator ?? 'pcapsift';
  model.generatedAt = (options.now ?? new Date()).toISOString();
  own.facts.setFormat(ctx.capture.format);
  model.capture = own.facts.finish(label);
  model.timeline = own.timeline.finish();
  const topNames = options.topNames ?? DEFAULT_TOP_NAMES;
  model.dnsNames = own.names.dnsNames(topNames);
  model.httpRequests = own.names.httpRequests(topNames);
  baseline.fill(model, ctx);

  const found = findings.result;
  model.findings = found.slice(0, MAX_REPORT_FINDINGS).map(toReportFinding);

  if (ctx.capture.error !== undefined) {
    model.capture.fault = ctx.capture.error;
    model.notes.push(`The capture is damaged; the report covers the ${ctx.capture.packets} packets before the fault: ${ctx.capture.error}`);
  }
  if (expression !== '') model.notes.push(`Only the ${ctx.capture.selected} of ${ctx.capture.packets} packets matching '${expression}' are reported.`);
  if (found.length > MAX_REPORT_FINDINGS) {
    model.notes.push(`${found.length} findings: the ${MAX_REPORT_FINDINGS} most severe are shown; 'pcapsift findings' lists them all.`);
  }
  if (own.names.dropped > 0) {
    model.notes.push(`More than ${MAX_DISTINCT_NAMES} distinct DNS names or HTTP requests: ${own.names.dropped} later ones were not counted.`);
  }
  return model;
}
