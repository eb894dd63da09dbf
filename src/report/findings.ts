/**
 * Turns the findings library's results into the report's shape: the common fields as they are, and the
 * per-kind numbers (scan shape, beacon scores, tallies) written out as evidence lines an analyst reads.
 */
import type { Finding, FindingDetails } from '../analyze/findings/types.js';
import type { ReportFinding } from './model.js';

/** The most endpoints or tally entries an evidence line lists before saying how many more. */
export const EVIDENCE_LIST_MAX = 12;

function list(items: readonly string[]): string {
  if (items.length <= EVIDENCE_LIST_MAX) return items.join(', ');
  return items.slice(0, EVIDENCE_LIST_MAX).join(', ') + ` and ${items.length - EVIDENCE_LIST_MAX} more`;
}

function fixed(n: number, digits = 3): string {
  return Number.isFinite(n) ? n.toFixed(digits) : String(n);
}

/** Writes a finding's per-kind numbers as evidence lines. */
export function evidenceLines(d: FindingDetails | undefined): string[] {
  if (d === undefined) return [];
  switch (d.type) {
    case 'scan': {
      const lines = [`${d.shape} scan, ${d.probes} probes: ${d.probe}`];
      lines.push(`${d.open.length} open, ${d.closed} closed, ${d.silent} silent or filtered`);
      if (d.open.length > 0) lines.push(`open: ${list(d.open)}`);
      return lines;
    }
    case 'beacon': {
      const s = d.subscores;
      return [
        `score ${fixed(d.score)} (${d.level}): timing ${fixed(s.timestamp)}, data size ${fixed(s.dataSize)}, histogram ${fixed(s.histogram)}, duration ${fixed(s.duration)}`,
        `${d.connections} connections, interval median ${fixed(d.intervalMedian, 1)} s (MAD ${fixed(d.intervalMad, 1)}, mode ${d.intervalMode} s x${d.intervalModeCount})`,
        `bytes per connection: median ${fixed(d.bytesMedian, 0)} (MAD ${fixed(d.bytesMad, 0)}, mode ${d.bytesMode} x${d.bytesModeCount})`,
      ];
    }
    case 'counts': {
      const entries = Object.entries(d.counts).sort((a, b) => b[1] - a[1]);
      return entries.length === 0 ? [] : [list(entries.map(([k, v]) => `${k}: ${v}`))];
    }
    default:
      return [];
  }
}

/** Converts one finding for the report. */
export function toReportFinding(f: Finding): ReportFinding {
  return {
    kind: f.kind,
    severity: f.severity,
    source: f.source,
    targets: [...f.targets],
    ports: [...f.ports],
    start: f.start,
    end: f.end,
    packets: f.packets,
    frames: [...f.frames],
    explanation: f.explanation,
    evidence: evidenceLines(f.details),
    filter: f.filter,
  };
}
