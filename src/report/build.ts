/**
 * Builds a ReportModel from a capture in one pass: every record is decoded once into one reused
 * DecodedPacket, which the report's own collectors (facts, timeline, names) and the analyses' consumers
 * read in turn. Everything kept is bounded (top N lists, bucketed timeline), so memory does not grow with
 * the capture beyond the analyses' flow table.
 */
import { CaptureError } from '../capture/errors.js';
import type { PacketRecord } from '../capture/packet.js';
import { readCapture } from '../capture/reader.js';
import { decodeRecord } from '../decode/decoder.js';
import { DecodedPacket } from '../decode/packet.js';
import { FindingsCollector } from '../analyze/findings/index.js';
import { compileFilter, type FilterPredicate } from '../filter/index.js';
import { FactsCollector } from './facts.js';
import { toReportFinding } from './findings.js';
import {
  DEFAULT_TOP_CLIENTS,
  DEFAULT_TOP_CONVERSATIONS,
  DEFAULT_TOP_NAMES,
  DEFAULT_TOP_PER_CLIENT,
  DEFAULT_TOP_SERVERS,
  emptyReportModel,
  MAX_REPORT_FINDINGS,
  type ReportModel,
} from './model.js';
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

/** Reads a capture once and builds its report model. A broken file reports what came before the fault. */
export async function buildReportModel(file: string, options: ReportOptions = {}): Promise<ReportModel> {
  const model = emptyReportModel(options.label ?? file);
  const facts = new FactsCollector();
  const timeline = new TimelineBuilder();
  const names = new NamesCollector();
  const findings = new FindingsCollector();
  const packet = new DecodedPacket();
  const expression = (options.expression ?? '').trim();
  const filters = new Map<number, FilterPredicate>();

  const onPacket = (rec: PacketRecord): void => {
    if (expression !== '') {
      let f = filters.get(rec.linkType);
      if (f === undefined) {
        f = compileFilter(expression, rec.linkType, { ipv6Transport: options.ipv6Transport === true });
        filters.set(rec.linkType, f);
      }
      if (!f(rec.data, rec.offset, rec.caplen, rec.wirelen)) return;
    }
    const p = decodeRecord(packet, rec);
    facts.add(p);
    timeline.add(p.tsSec, p.tsNsec, p.tcpFlags);
    names.add(p);
    findings.add(rec);
  };

  try {
    await readCapture(file, {
      onInfo(info) {
        facts.setInfo(info);
      },
      onPacket,
    });
  } catch (err) {
    if (!(err instanceof CaptureError)) throw err;
    model.notes.push(`The capture is damaged; the report covers the packets before the fault: ${err.message}`);
  }

  model.generator = options.generator ?? 'pcapsift';
  model.generatedAt = (options.now ?? new Date()).toISOString();
  model.capture = facts.finish(options.label ?? file);
  model.timeline = timeline.finish();
  model.dnsNames = names.dnsNames(options.topNames ?? DEFAULT_TOP_NAMES);
  model.httpRequests = names.httpRequests(options.topNames ?? DEFAULT_TOP_NAMES);
  if (names.dropped > 0) {
    model.notes.push(`More than ${MAX_DISTINCT_NAMES} distinct DNS names or HTTP requests: ${names.dropped} later ones were not counted.`);
  }
  const found = findings.finish();
  model.findings = found.slice(0, MAX_REPORT_FINDINGS).map(toReportFinding);
  if (found.length > MAX_REPORT_FINDINGS) {
    model.notes.push(`${found.length} findings: the ${MAX_REPORT_FINDINGS} most severe are shown; 'pcapsift findings' lists them all.`);
  }
  if (expression !== '') model.notes.push(`Only packets matching the filter '${expression}' are reported.`);
  void DEFAULT_TOP_CLIENTS;
  void DEFAULT_TOP_CONVERSATIONS;
  void DEFAULT_TOP_PER_CLIENT;
  void DEFAULT_TOP_SERVERS;
  return model;
}
