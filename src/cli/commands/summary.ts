/** `pcapsift summary FILE [EXPRESSION]`: the baseline on one screen, from one pass. */
import { summary, type SummaryResult } from '../../analyze/summary.js';
import { durationText, jsonText, timeText } from '../../report/format.js';
import { stdout } from '../output.js';
import { UsageError } from '../usage.js';
import { analysisOptionsOf, COMMON_OPTIONS_HELP, finishStatus, parseAnalysisArgs, runAnalysis } from './analysis-args.js';
import type { Command } from './index.js';

const HELP = `usage: pcapsift summary FILE [options] [EXPRESSION]

The baseline on one screen, from a single read of the capture: the capture (format, link types, packets,
first and last time, duration), the protocol mix, the top talkers, the TCP handshakes (attempts,
established, rejected, unanswered, SYN/ACKs) per server, each client's source ports, services and
destination-port totals, which UDP services answered (or were rejected by ICMP port unreachable), and
the findings (scans, beacons...).

options:
  --top N        rows per list (default 10)
  --no-findings  skip the findings detectors
  --json         the whole baseline as JSON
${COMMON_OPTIONS_HELP}

examples:
  pcapsift summary samples/web.pcap
  pcapsift summary capture.pcapng --top 5 'not port 53'
  pcapsift summary capture.pcap --json > baseline.json`;

function list<T>(rows: readonly T[], text: (r: T) => string): string {
  return rows.length === 0 ? '-' : rows.map(text).join(', ');
}

/**
 * Renders the baseline as text. The findings are counted by kind and the first `top` are shown (most
 * severe first): one down NTP server may be 4,000 `unanswered-udp` findings, and this is one screen.
 */
export function summaryText(s: SummaryResult, top = 10): string {
  const c = s.capture;
  const lines: string[] = [];
  lines.push(`capture     ${c.file}: ${c.format || '?'}, ${c.linkTypes.join(' ') || '-'}, ${c.packets} packets, ${c.bytes} bytes` + (c.selected !== c.packets ? ` (${c.selected} selected)` : ''));
  lines.push(`time        ${timeText(c.first)} .. ${timeText(c.last)} (${durationText(c.duration)})`);
  lines.push(`protocols   ${list(s.protocols, (p) => `${p.name} ${p.packets}`)}`);
  const f = s.flows;
  lines.push(`flows       ${f.total} (tcp ${f.tcp}, udp ${f.udp}, icmp ${f.icmp}, other ${f.other})` + (f.evicted > 0 ? `, ${f.evicted} evicted` : ''));
  lines.push('');
  lines.push('top talkers (packets sent)');
  for (const t of s.talkers) lines.push(`${String(t.packets).padStart(7)} ${t.ip} (${t.bytes} bytes)`);
  lines.push('');
  const h = s.handshakes;
  lines.push(`handshakes  ${h.attempts} attempts: ${h.established} established, ${h.synAckOnly} SYN/ACK without final ACK, ${h.rejected} rejected, ${h.unanswered} unanswered; ${h.synAcks} SYN/ACK segments`);
  for (const sv of h.servers) {
    lines.push(`${String(sv.attempts).padStart(7)} ${sv.server}.${sv.port}: ${sv.established} established, ${sv.synAckOnly} synack-only, ${sv.rejected} rejected, ${sv.unanswered} unanswered`);
  }
  lines.push('');
  lines.push(`clients (${s.clientsTotal} hosts opened TCP/UDP flows)`);
  for (const cl of s.clients) {
    lines.push(`  ${cl.ip}: ${cl.packets} packets, ${cl.portsDistinct} source ports, ${cl.servicesDistinct} services`);
    lines.push(`    ports     ${list(cl.ports, (p) => `${p.proto} ${p.port} (${p.packets})`)}${cl.portsDistinct > cl.ports.length ? ', ...' : ''}`);
    lines.push(`    services  ${list(cl.services, (v) => `${v.proto} ${v.ip}.${v.port} (${v.packets})`)}${cl.servicesDistinct > cl.services.length ? ', ...' : ''}`);
    lines.push(`    dports    ${list(cl.portTotals, (p) => `${p.proto} ${p.port} (${p.packets})`)}`);
  }
  lines.push('');
  lines.push('UDP services (flows: answered / rejected by ICMP / unanswered)');
  for (const u of s.udpServices) lines.push(`${String(u.flows).padStart(7)} ${u.ip}.${u.port}: ${u.answered} / ${u.rejected} / ${u.unanswered}`);
  if (s.findings !== null) {
    lines.push('');
    const kinds = new Map<string, number>();
    for (const fd of s.findings) kinds.set(fd.kind, (kinds.get(fd.kind) ?? 0) + 1);
    const byKind = [...kinds].map(([kind, n]) => `${n} ${kind}`).join(', ');
    lines.push(`findings (${s.findings.length}${s.findings.length > 0 ? `: ${byKind}` : ''})`);
    for (const fd of s.findings.slice(0, top)) lines.push(`  [${fd.severity}] ${fd.kind} from ${fd.source}: ${fd.explanation}`);
    const more = s.findings.length - top;
    if (more > 0) lines.push(`  ... ${more} more: \`pcapsift findings ${c.file}\` lists them all`);
  }
  return lines.join('\n') + '\n';
}

export const summaryCommand: Command = {
  name: 'summary',
  summary: 'the baseline on one screen: capture, protocols, talkers, handshakes, clients, UDP services, findings',
  help: HELP,
  async run(argv) {
    const noFindings = argv.includes('--no-findings');
    const a = parseAnalysisArgs('summary', argv.filter((x) => x !== '--no-findings'), { host: 'none' });
    if (a.format === 'csv') throw new UsageError('summary prints a table or JSON, not CSV');
    const top = a.top ?? 10;
    const r = await runAnalysis(() => summary(a.file, { ...analysisOptionsOf(a), top, findings: !noFindings }));
    stdout.write(a.format === 'json' ? jsonText(r) : summaryText(r, top));
    return finishStatus(r.capture);
  },
};
