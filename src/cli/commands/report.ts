/**
 * `pcapsift report FILE -o report.html [EXPRESSION]`: one self-contained HTML page with the capture's
 * baseline and findings, for sharing. `--json` writes the report's data instead.
 */
import * as fs from 'node:fs';
import { buildReportModel, type ReportOptions } from '../../report/build.js';
import { renderReportHtml } from '../../report/html.js';
import { DEFAULT_TOP_CONVERSATIONS } from '../../report/model.js';
import { errorLine, stdout, writeAllSync } from '../output.js';
import { CaptureError } from '../../capture/errors.js';
import { CommandError, EXIT_FAILURE, EXIT_OK, UsageError } from '../usage.js';
import type { Command } from './index.js';

export const REPORT_HELP = `usage: pcapsift report FILE [-o OUT.html] [--top N] [--json] [--ipv6-transport] [EXPRESSION]

Writes one self-contained HTML report of a capture (pcap or pcapng, plain or gzip; - for standard input):
the capture's facts, a timeline of packets with the TCP flags (SYN, SYN/ACK, RST, FIN) and the findings
marked on it, handshake outcomes, each client's ports, services and destination ports as bar charts, a
conversations table that sorts and filters in the page, the DNS names and HTTP requests seen, and the
findings with their explanations, evidence and tcpdump filters (with a copy button).

The page opens from disk and loads nothing from the network: the charting library (uPlot), the page's code
and the data are inline, and its Content-Security-Policy forbids anything else. Every string from the
capture is shown as text, never as markup. Large captures are summarised (top N lists, a bucketed
timeline), so a million-packet capture gives a report of a few hundred kilobytes.

options:
  -o, --output FILE   write the report to FILE (- for standard output; the default when it is not a terminal)
  --top N             conversations listed in the table (default ${DEFAULT_TOP_CONVERSATIONS})
  --json              write the report's data as JSON instead of HTML
  --ipv6-transport    the expression's tcp[], udp[] and port also match IPv6
  -h, --help          this help

examples:
  pcapsift report samples/web.pcap -o web-report.html
  pcapsift report big.pcap.gz -o big.html --top 2000
  pcapsift report samples/scan.pcap -o scan.html 'not arp'
  pcapsift report samples/web.pcap --json | jq .handshakes
  tcpdump -i eth0 -w - -c 10000 | pcapsift report - -o live.html`;

interface ReportArgs {
  file: string;
  output: string | undefined;
  json: boolean;
  options: ReportOptions;
}

/** Parses the command's arguments. */
export function parseReportArgs(argv: readonly string[]): ReportArgs {
  let file: string | undefined;
  let output: string | undefined;
  let json = false;
  const options: ReportOptions = {};
  const words: string[] = [];
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined) throw new UsageError(`option ${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-o' || a === '--output') {
      output = value(i, a);
      i++;
    } else if (a.startsWith('--output=')) {
      output = a.slice('--output='.length);
    } else if (a === '--top') {
      const v = value(i, a);
      i++;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--top needs a positive whole number, not '${v}'`);
      options.topConversations = n;
    } else if (a === '--json') {
      json = true;
    } else if (a === '--ipv6-transport') {
      options.ipv6Transport = true;
    } else if (a === '--') {
      words.push(...argv.slice(i + 1));
      break;
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`report: unknown option '${a}'`);
    } else if (file === undefined) {
      file = a;
    } else {
      words.push(a);
    }
  }
  if (file === undefined) throw new UsageError('report: no capture file given (pcapsift report FILE -o OUT.html)');
  if (words.length > 0) options.expression = words.join(' ');
  return { file, output, json, options };
}

async function runReport(argv: string[]): Promise<number> {
  const args = parseReportArgs(argv);
  const out = args.output ?? (process.stdout.isTTY ? undefined : '-');
  if (out === undefined) {
    throw new UsageError('report: say where to write the report: -o OUT.html (or -o - for standard output)');
  }
  if (args.file !== '-' && !fs.existsSync(args.file)) throw new CommandError(`${args.file}: No such file or directory`);
  let model;
  try {
    model = await buildReportModel(args.file, { ...args.options, generator: 'pcapsift 0.1.0' });
  } catch (err) {
    // A file that cannot be read at all: one line, exit 1 (a fault part-way is reported below).
    if (err instanceof CaptureError) throw new CommandError(err.message);
    throw err;
  }
  const text = args.json ? JSON.stringify(model, null, 1) + '\n' : renderReportHtml(model);
  if (out === '-') {
    stdout.write(text);
  } else {
    let fd: number;
    try {
      fd = fs.openSync(out, 'w');
    } catch (err) {
      throw new CommandError(`${out}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such directory' : (err as Error).message}`);
    }
    try {
      writeAllSync(fd, Buffer.from(text, 'utf8'));
    } finally {
      fs.closeSync(fd);
    }
    const c = model.capture;
    errorLine(`pcapsift: wrote ${out} (${(Buffer.byteLength(text) / 1024).toFixed(0)} KB): ${c.packets} packets, ${model.conversationsTotal} conversations, ${model.findings.length} findings`);
  }
  if (model.capture.fault !== null) {
    errorLine(`pcapsift: ${model.capture.fault} (the report covers the ${model.capture.packets} packets before it)`);
    return EXIT_FAILURE;
  }
  return EXIT_OK;
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'write a self-contained HTML report: baseline, timeline, findings',
  help: REPORT_HELP,
  run: runReport,
};
