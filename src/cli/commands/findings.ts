/**
 * `pcapsift findings FILE [EXPRESSION]`: scans, floods, beacons, C2 channels and malformed packets, each
 * explained, with sample frames and the tcpdump expression that shows the evidence.
 */
import { CaptureError } from '../../capture/errors.js';
import { csvField, jsonText, OUTPUT_FORMATS, type OutputFormat } from '../../report/format.js';
import { defaultThreads } from '../../parallel/prestart.js';
import { runFindings, FINDING_KINDS, type Finding, type FindingKind, type FindingsRunOptions } from '../../analyze/findings/index.js';
import { FilterError } from '../../filter/index.js';
import { errorLine, stdout } from '../output.js';
import { CommandError, UsageError } from '../usage.js';
import type { Command } from './index.js';

const HELP = `usage: pcapsift findings FILE [options] [EXPRESSION]

Names the malicious traffic shapes in a capture: port scans by TCP flags (syn, connect, fin, null, xmas,
ack, maimon) and UDP, odd flag combinations, SYN floods, RST storms, beacons (RITA v5 scoring), long
connections, busy ephemeral ports, unanswered UDP services, NXDOMAIN bursts and malformed packets.
Each finding explains what was seen and why it matters, lists sample frames, and gives a tcpdump
expression that selects the evidence.

options:
  --format F             table (default), json (an array of findings) or csv
  --json, --csv          shorthands for --format json, --format csv
  --kind K[,K...]        only these kinds (${FINDING_KINDS.join(', ')})
  --min-score X          show beacons scoring at least X (default 0.7)
  --scan-ports N         distinct ports on one host that make a SYN/connect/ACK/UDP scan (default 10)
  --scan-hosts N         distinct hosts on one port that make such a scan (default 10)
  --scan-window S        seconds those must fall within (default 300)
  --flag-scan-probes N   FIN/NULL/XMAS/Maimon probes that make a scan (default 5)
  --long-connection S    seconds that make a connection long (default 3600)
  --max-flows N          flows kept in memory at most (the least recently active are judged and evicted)
  --threads N            threads tracking flows on capture files of 1 GiB or more (default: one per core)
  --ipv6-transport       let the expression's tcp[]/udp[]/port also match IPv6 through extension headers
  -h, --help             this help

examples:
  pcapsift findings capture.pcap
  pcapsift findings capture.pcap --kind beacon --min-score 0.8
  pcapsift findings capture.pcap --json 'not net 10.0.0.0/8'`;

interface FindingsArgs {
  file: string;
  format: OutputFormat;
  run: FindingsRunOptions;
}

function numberArg(name: string, v: string | undefined, max = Infinity): number {
  if (v === undefined) throw new UsageError(`option ${name} requires a value`);
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n > max) throw new UsageError(`invalid value for ${name}: '${v}'`);
  return n;
}

/** Parses the command's arguments. */
export function parseFindingsArgs(argv: readonly string[]): FindingsArgs {
  let file: string | undefined;
  let format: FindingsArgs['format'] = 'table';
  const run: FindingsRunOptions = { threads: defaultThreads() };
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string | undefined => (arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : argv[++i]);
    switch (name) {
      case '--format': {
        const v = value();
        if (v === undefined || !OUTPUT_FORMATS.includes(v as OutputFormat)) throw new UsageError(`--format takes one of ${OUTPUT_FORMATS.join(', ')}`);
        format = v as OutputFormat;
        break;
      }
      case '--json':
        format = 'json';
        break;
      case '--csv':
        format = 'csv';
        break;
      case '--kind':
      case '--kinds': {
        const v = value();
        if (v === undefined) throw new UsageError(`option ${name} requires a value`);
        const kinds = v.split(',').map((k) => k.trim()).filter((k) => k !== '');
        for (const k of kinds) if (!FINDING_KINDS.includes(k as FindingKind)) throw new UsageError(`unknown finding kind '${k}' (known: ${FINDING_KINDS.join(', ')})`);
        run.kinds = kinds as FindingKind[];
        break;
      }
      case '--min-score':
        run.beaconMinScore = numberArg(name, value(), 1);
        break;
      case '--scan-ports':
        run.scanPorts = numberArg(name, value());
        break;
      case '--scan-hosts':
        run.scanHosts = numberArg(name, value());
        break;
      case '--scan-window':
        run.scanWindowSeconds = numberArg(name, value());
        break;
      case '--flag-scan-probes':
        run.flagScanProbes = numberArg(name, value());
        break;
      case '--long-connection':
        run.longConnectionSeconds = numberArg(name, value());
        break;
      case '--max-flows': {
        const v = value();
        if (v === undefined || !/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`invalid value for --max-flows: '${v ?? ''}' (a positive whole number)`);
        run.maxFlows = Number(v);
        break;
      }
      case '--threads': {
        const v = value();
        if (v === undefined || !/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`invalid value for --threads: '${v ?? ''}' (a positive whole number)`);
        run.threads = Number(v);
        break;
      }
      case '--ipv6-transport':
        run.ipv6Transport = true;
        break;
      case '-r':
        file = value();
        break;
      case '--':
        words.push(...argv.slice(i + 1));
        i = argv.length;
        break;
      default:
        if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unrecognized option '${arg}' for findings`);
        if (file === undefined) file = arg;
        else words.push(arg);
    }
  }
  if (file === undefined) throw new UsageError('findings: no capture given (pcapsift findings FILE)');
  if (words.length > 0) run.expression = words.join(' ');
  return { file, format, run };
}

function iso(seconds: number): string {
  return new Date(Math.round(seconds * 1000)).toISOString().replace('T', ' ').replace('Z', '');
}

function some(items: readonly (string | number)[], limit: number): string {
  return items.length <= limit ? items.join(',') : `${items.slice(0, limit).join(',')},+${items.length - limit}`;
}

/** Quotes a filter for a POSIX shell. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Renders findings as the default human table: one row per finding, then each one's explanation and check. */
export function formatFindingsTable(list: readonly Finding[], file: string): string {
  if (list.length === 0) return 'no findings\n';
  const rows = list.map((f, i) => [
    String(i + 1),
    f.severity,
    f.kind,
    f.source,
    some(f.targets, 3),
    some(f.ports, 6),
    iso(f.start),
    `${Math.max(0, f.end - f.start).toFixed(1)}s`,
    String(f.packets),
  ]);
  const head = ['#', 'SEVERITY', 'KIND', 'SOURCE', 'TARGETS', 'PORTS', 'START (UTC)', 'DURATION', 'PACKETS'];
  const widths = head.map((h, i) => rows.reduce((w, r) => Math.max(w, r[i]!.length), h.length));
  const line = (cells: readonly string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  let out = line(head) + '\n' + rows.map((r) => line(r) + '\n').join('');
  list.forEach((f, i) => {
    out += `\n#${i + 1} ${f.kind} (${f.severity})\n`;
    out += `  why:      ${f.explanation}\n`;
    out += `  frames:   ${f.frames.join(', ')}\n`;
    out += `  evidence: tcpdump -nn -r ${shellQuote(file)} ${shellQuote(f.filter)}\n`;
  });
  return out;
}

/** Renders findings as CSV (lists joined with spaces). */
export function formatFindingsCsv(list: readonly Finding[]): string {
  const head = 'kind,severity,source,targets,ports,start,end,packets,frames,filter,explanation\n';
  return (
    head +
    list
      .map((f) =>
        [f.kind, f.severity, f.source, f.targets.join(' '), f.ports.join(' '), f.start.toFixed(6), f.end.toFixed(6), String(f.packets), f.frames.join(' '), f.filter, f.explanation]
          .map(csvField)
          .join(','),
      )
      .join('\n') +
    (list.length > 0 ? '\n' : '')
  );
}

export const findingsCommand: Command = {
  name: 'findings',
  summary: 'scans, floods, beacons, C2 channels and malformed packets, explained with evidence',
  help: HELP,
  async run(argv: string[]): Promise<number> {
    const args = parseFindingsArgs(argv);
    let list: Finding[];
    let fault: string | undefined;
    try {
      const run = await runFindings(args.file, args.run);
      list = run.findings;
      fault = run.error;
    } catch (err) {
      if (err instanceof CaptureError) {
        errorLine(`pcapsift: ${err.message}`);
        return 1;
      }
      if (err instanceof FilterError) throw new CommandError(err.message);
      if (err instanceof RangeError) throw new UsageError(err.message);
      throw err;
    }
    if (args.format === 'json') stdout.write(jsonText(list));
    else if (args.format === 'csv') stdout.write(formatFindingsCsv(list));
    else stdout.write(formatFindingsTable(list, args.file));
    if (fault !== undefined) {
      // As tcpdump does: what came before the fault is reported, then the fault, and a failing status.
      stdout.flush();
      errorLine(`pcapsift: ${fault}`);
      return 1;
    }
    return 0;
  },
};
