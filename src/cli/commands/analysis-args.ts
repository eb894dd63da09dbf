/**
 * Arguments shared by the analysis commands (handshakes, ports, services, dports, tally, conversations,
 * summary): `COMMAND FILE [options] [EXPRESSION...]`, where the expression is the words that are not
 * options, and the one-line handling of capture faults.
 */
import { Progress } from '../progress.js';
import { defaultThreads } from '../../parallel/pool.js';
import { CaptureError } from '../../capture/errors.js';
import type { CaptureFacts } from '../../analyze/analysis.js';
import { parseIp } from '../../decode/address.js';
import { OUTPUT_FORMATS, type OutputFormat } from '../../report/format.js';
import { errorLine } from '../output.js';
import { CommandError, EXIT_FAILURE, EXIT_OK, UsageError } from '../usage.js';

export interface AnalysisArgs {
  file: string;
  format: OutputFormat;
  /** Show only the N largest rows. */
  top: number | undefined;
  /** Largest first instead of `sort -n` order. */
  desc: boolean;
  host: string | undefined;
  /** tally's keys. */
  by: string[];
  /** The filter expression ('' for none). */
  expression: string;
  tcpdumpView: boolean;
  ipv6Transport: boolean;
  maxFlows: number | undefined;
  /** Threads that may track flows (default: the machine's cores, at most 8). */
  threads: number;
}

export interface ArgSpec {
  /** Whether --host is accepted, and whether it must be given. */
  host: 'required' | 'optional' | 'none';
  /** Whether --by is accepted (and required). */
  by?: boolean;
}

/** The option lines every analysis command's --help shows. */
export const COMMON_OPTIONS_HELP = `  --format F     table (default), json or csv       --json, --csv  shorthands
  --top N        only the N largest rows            --desc         largest first (default: as sort -n)
  --max-flows N  flows kept in memory at most (the least recently active are evicted beyond it)
  --threads N    threads tracking flows on capture files of 1 GiB or more, where sharing pays
                 (default: one per core; 1 keeps everything on one thread)
  --ipv6-transport
                 let the expression's tcp[]/udp[]/port also match IPv6 through extension headers
  -h, --help     this help`;

function positiveInt(name: string, v: string | undefined): number {
  if (v === undefined) throw new UsageError(`option ${name} requires a value`);
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < 1) throw new UsageError(`invalid value for ${name}: '${v}' (a positive whole number)`);
  return n;
}

/** Parses an analysis command's arguments; throws UsageError for anything it cannot accept. */
export function parseAnalysisArgs(command: string, argv: readonly string[], spec: ArgSpec): AnalysisArgs {
  const a: AnalysisArgs = {
    file: '',
    format: 'table',
    top: undefined,
    desc: false,
    host: undefined,
    by: [],
    expression: '',
    tcpdumpView: false,
    ipv6Transport: false,
    maxFlows: undefined,
    threads: defaultThreads(),
  };
  let file: string | undefined;
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.indexOf('=');
    const isLong = arg.startsWith('--');
    const name = isLong && eq > 0 ? arg.slice(0, eq) : arg;
    const value = (): string | undefined => (isLong && eq > 0 ? arg.slice(eq + 1) : argv[++i]);
    switch (name) {
      case '--format': {
        const v = value();
        if (v === undefined || !OUTPUT_FORMATS.includes(v as OutputFormat)) throw new UsageError(`--format takes one of ${OUTPUT_FORMATS.join(', ')}`);
        a.format = v as OutputFormat;
        break;
      }
      case '--json':
        a.format = 'json';
        break;
      case '--csv':
        a.format = 'csv';
        break;
      case '--top':
        a.top = positiveInt(name, value());
        break;
      case '--desc':
        a.desc = true;
        break;
      case '--tcpdump-view':
        a.tcpdumpView = true;
        break;
      case '--ipv6-transport':
        a.ipv6Transport = true;
        break;
      case '--max-flows':
        a.maxFlows = positiveInt(name, value());
        break;
      case '--threads':
        a.threads = positiveInt(name, value());
        break;
      case '--host': {
        if (spec.host === 'none') throw new UsageError(`${command} does not take --host`);
        const v = value();
        if (v === undefined) throw new UsageError('option --host requires a value');
        if (parseIp(v, new Uint32Array(4)) === 0) throw new UsageError(`--host takes an IPv4 or IPv6 address, not '${v}'`);
        a.host = v;
        break;
      }
      case '--by': {
        if (spec.by !== true) throw new UsageError(`${command} does not take --by`);
        const v = value();
        if (v === undefined || v.trim() === '') throw new UsageError('option --by requires a list of keys');
        a.by.push(...v.split(',').map((k) => k.trim()).filter((k) => k !== ''));
        break;
      }
      case '-r': {
        const v = value();
        if (v === undefined) throw new UsageError('option -r requires a file');
        if (file !== undefined) throw new UsageError(`two capture files given: '${file}' and '${v}'`);
        file = v;
        break;
      }
      default:
        if (arg.startsWith('--') || (arg.startsWith('-') && arg !== '-' && file === undefined)) {
          throw new UsageError(`${command}: unknown option '${arg}'`);
        }
        if (file === undefined) file = arg;
        else words.push(arg);
    }
  }
  if (file === undefined) throw new UsageError(`${command} needs a capture file (or - for standard input)`);
  if (spec.host === 'required' && a.host === undefined) throw new UsageError(`${command} needs --host IP`);
  if (spec.by === true && a.by.length === 0) throw new UsageError(`${command} needs --by KEY[,KEY...]`);
  a.file = file;
  a.expression = words.join(' ');
  return a;
}

/** The analysis options the arguments ask for. */
/** The options every analysis command passes to its library function; a progress bar on a terminal. */
export function analysisOptionsOf(a: AnalysisArgs): { expression: string; ipv6Transport: boolean; flows: { maxFlows?: number }; tcpdumpView: boolean; host?: string; progress: Progress; threads: number } {
  const o: { expression: string; ipv6Transport: boolean; flows: { maxFlows?: number }; tcpdumpView: boolean; host?: string; progress: Progress; threads: number } = {
    threads: a.threads,
    expression: a.expression,
    ipv6Transport: a.ipv6Transport,
    flows: a.maxFlows === undefined ? {} : { maxFlows: a.maxFlows },
    tcpdumpView: a.tcpdumpView,
    progress: new Progress('reading'),
  };
  if (a.host !== undefined) o.host = a.host;
  return o;
}

/**
 * Runs an analysis, turning a capture that cannot be opened into a one-line CommandError. Returns its
 * result; `finishStatus` then reports a fault met part-way (the results cover the packets before it).
 */
export async function runAnalysis<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CaptureError) throw new CommandError(err.message);
    if (err instanceof Error && /^not an IP address/.test(err.message)) throw new CommandError(err.message);
    throw err;
  }
}

/** Reports a capture fault met part-way on stderr and gives the exit status. */
export function finishStatus(
  capture: Pick<CaptureFacts, 'packets'> & { error?: string | undefined; evictedFlows?: number | undefined },
  evictionNote = 'a flow that went on after its eviction was counted again as a new flow',
): number {
  if (capture.evictedFlows !== undefined && capture.evictedFlows > 0) {
    errorLine(`pcapsift: ${capture.evictedFlows} flows were evicted to stay within the flow limit (--max-flows); ${evictionNote}`);
  }
  if (capture.error !== undefined) {
    errorLine(`pcapsift: ${capture.error} (results cover the ${capture.packets} packets before it)`);
    return EXIT_FAILURE;
  }
  return EXIT_OK;
}
