/**
 * The tcpdump-compatible reader: `pcapsift [flags] -r FILE [EXPRESSION...]`. It prints what tcpdump prints,
 * writes matching packets with -w, or counts them with --count.
 */
import { CaptureError } from '../../capture/errors.js';
import { isSupportedLinkType, linkTypeLabel, LINKTYPE_LINUX_SLL2 } from '../../capture/link-types.js';
import type { CaptureInfo, PacketRecord } from '../../capture/packet.js';
import { readCapture } from '../../capture/reader.js';
import { BrokenPipeError, PcapWriter } from '../../capture/pcap-writer.js';
import { compileFilter, explainFilter, FilterError, type FilterPredicate } from '../../filter/index.js';
import { defaultPrintOptions, type PrintOptions } from '../../print/options.js';
import { PacketPrinter } from '../../print/printer.js';
import { errorLine, stdout } from '../output.js';
import { Progress } from '../progress.js';
import { countMatches } from '../../analyze/count.js';
import { CommandError, UsageError } from '../usage.js';
import * as fs from 'node:fs';

export interface ReadArgs {
  file: string | undefined;
  print: PrintOptions;
  /** -c N: stop after N matching packets. */
  count: number;
  /** The filter expression (words joined with spaces), or '' for none. */
  expression: string;
  /** -F FILE: read the expression from a file. */
  filterFile: string | undefined;
  /** -w FILE: write matching packets as pcap instead of printing. */
  writeFile: string | undefined;
  /** --count: print only the number of matching packets. */
  countOnly: boolean;
  /** --explain: print the parsed expression with every implied qualifier explicit. */
  explain: boolean;
  /** --ipv6-transport: tcp[]/udp[]/port also on IPv6 and through extension headers. */
  ipv6Transport: boolean;
  /** --threads N: threads for --count (default: every core). */
  threads: number | undefined;
}

export const READ_HELP = `usage: pcapsift [-AenqSStvxX#] [-c count] [-F file] [-r file] [-w file] [--count] [--explain]
                [--nano] [--ipv6-transport] [expression]

Reads a capture (pcap or pcapng, plain or gzip; - for standard input) and prints its packets exactly as
tcpdump 4.99 prints them, optionally only those an expression in the libpcap filter language selects.

options:
  -r FILE        read packets from FILE (- for standard input)
  -n, -nn        do not convert addresses or ports to names (pcapsift never looks names up)
  -c N           stop after N matching packets
  -t -tt -ttt -tttt -ttttt
                 no timestamp / epoch seconds / delta from previous / date and time / delta from first
  --nano         print timestamps with nanoseconds
  -q             quieter transport lines      -e   print the link-level header
  -v, -vv, -vvv  more detail                  -S   absolute TCP sequence numbers
  -#             number the printed packets
  -x, -xx        hex dump (without / with the link header)
  -X, -XX        hex and ASCII dump           -A   ASCII dump
  -F FILE        read the filter expression from FILE
  -w FILE        write the matching packets to FILE as pcap (- for standard output)
  --count        print only the number of matching packets (on every core)
  --threads N    threads for --count (default: every core)
  --explain      print the parsed expression with every implied qualifier made explicit
  --ipv6-transport
                 beyond libpcap: tcp[], udp[] and port also match IPv6, through extension headers
  -h, --help     this help

examples:
  pcapsift -nn -r web.pcap
  pcapsift -nn -r web.pcap 'tcp[tcpflags] == (tcp-syn|tcp-ack)'
  pcapsift -nn -r web.pcap 'host 192.168.218.131 and port 123'
  pcapsift --count -r web.pcap 'tcp[tcpflags] & tcp-syn != 0'
  pcapsift -r web.pcap -w dns.pcap 'udp port 53'
  zcat big.pcap.gz | pcapsift -nn -r - -c 10

other commands: pcapsift help`;

/** Parses tcpdump-style flags. Throws UsageError for anything tcpdump would refuse. */
export function parseReadArgs(argv: readonly string[]): ReadArgs {
  const a: ReadArgs = {
    file: undefined,
    print: defaultPrintOptions(),
    count: -1,
    expression: '',
    filterFile: undefined,
    writeFile: undefined,
    countOnly: false,
    explain: false,
    ipv6Transport: false,
    threads: undefined,
  };
  const words: string[] = [];
  let t = 0;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (name: string, rest: string): string => {
      if (rest !== '') return rest;
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`option requires an argument -- '${name}'`);
      return v;
    };
    if (arg === '--') {
      words.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const [name, inline] = arg.split('=', 2) as [string, string | undefined];
      switch (name) {
        case '--nano':
          a.print.nano = true;
          break;
        case '--micro':
          a.print.nano = false;
          break;
        case '--time-stamp-precision':
          if (inline !== 'nano' && inline !== 'micro') throw new UsageError(`unsupported time stamp precision '${inline ?? ''}'`);
          a.print.nano = inline === 'nano';
          break;
        case '--count':
          a.countOnly = true;
          break;
        case '--threads': {
          const v = inline ?? argv[++i];
          if (v === undefined || !/^[0-9]+$/.test(v) || Number(v) < 1) throw new UsageError(`--threads takes a whole number of at least 1`);
          a.threads = Number(v);
          break;
        }
        case '--number':
          a.print.packetNumbers = true;
          break;
        case '--explain':
          a.explain = true;
          break;
        case '--ipv6-transport':
          a.ipv6Transport = true;
          break;
        case '--absolute-tcp-sequence-numbers':
          a.print.absoluteSeq = true;
          break;
        default:
          throw new UsageError(`unrecognized option '${arg}'`);
      }
      continue;
    }
    if (arg.length > 1 && arg[0] === '-') {
      for (let j = 1; j < arg.length; j++) {
        const c = arg[j]!;
        const rest = arg.slice(j + 1);
        switch (c) {
          case 'n':
            a.print.numeric++;
            break;
          case 't':
            t++;
            break;
          case 'q':
            a.print.quiet = true;
            break;
          case 'e':
            a.print.linkHeader = true;
            break;
          case 'v':
            a.print.verbose++;
            break;
          case 'S':
            a.print.absoluteSeq = true;
            break;
          case '#':
            a.print.packetNumbers = true;
            break;
          case 'x':
            a.print.hex++;
            break;
          case 'X':
            a.print.hexAscii++;
            break;
          case 'A':
            a.print.ascii++;
            break;
          case 'r':
            a.file = value('r', rest);
            j = arg.length;
            break;
          case 'w':
            a.writeFile = value('w', rest);
            j = arg.length;
            break;
          case 'F':
            a.filterFile = value('F', rest);
            j = arg.length;
            break;
          case 'c': {
            const v = value('c', rest);
            if (!/^[0-9]+$/.test(v) || Number(v) <= 0) throw new UsageError(`invalid packet count ${v}`);
            a.count = Number(v);
            j = arg.length;
            break;
          }
          case 'h':
            throw new UsageError('help');
          default:
            throw new UsageError(`invalid option -- '${c}'`);
        }
      }
      continue;
    }
    words.push(arg);
  }
  if (t > 5) t = 5;
  a.print.timestamps = t as PrintOptions['timestamps'];
  a.expression = words.join(' ');
  return a;
}

/** Runs the reader. Returns the exit status. */
export async function runRead(argv: readonly string[]): Promise<number> {
  const args = parseReadArgs(argv);
  let expression = args.expression;
  if (args.filterFile !== undefined) {
    try {
      expression = fs.readFileSync(args.filterFile, 'utf8').replace(/#.*$/gm, '').trim().replace(/\s+/g, ' ');
    } catch (err) {
      throw new CommandError(`${args.filterFile}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (err as Error).message}`);
    }
  }
  if (args.explain) {
    // --explain needs no capture: it shows how the expression parses (link-type checks come with -r).
    try {
      stdout.write(`${explainFilter(expression)}\n`);
    } catch (err) {
      if (err instanceof FilterError) throw new CommandError(err.message);
      throw err;
    }
    stdout.flush();
    return 0;
  }
  if (args.file === undefined) throw new UsageError('no capture given: use -r FILE (or -r - for standard input)');
  const file = args.file;
  let bigEndianFile = false;
  let writer: PcapWriter | undefined;
  const printer = new PacketPrinter(args.print, stdout);
  const filters = new Map<number, FilterPredicate | null>();
  // The reader wraps what its callbacks throw: keep a filter error to report it as such.
  let filterError: FilterError | undefined;
  const filterFor = (linkType: number): FilterPredicate | null => {
    let f = filters.get(linkType);
    if (f === undefined) {
      try {
        f = expression.trim() === '' ? null : compileFilter(expression, linkType, { ipv6Transport: args.ipv6Transport, bigEndianFile });
      } catch (err) {
        if (err instanceof FilterError) filterError = err;
        throw err;
      }
      filters.set(linkType, f);
    }
    return f;
  };
  let matched = 0;
  const limit = args.count;
  const onInfo = (info: CaptureInfo): void => {
    {
      errorLine(`reading from file ${file}, link-type ${linkTypeLabel(info.linkType)}, snapshot length ${info.snaplen}`);
      if (info.linkType === LINKTYPE_LINUX_SLL2) errorLine('Warning: interface names might be incorrect');
    }
    if (!isSupportedLinkType(info.linkType)) throw new CaptureError(file, `unknown data link type ${info.linkType}`, -1);
    bigEndianFile = info.byteOrder === 'big';
    // Compile at once so a bad expression fails before any packet, as tcpdump does.
    filterFor(info.linkType);
    if (args.writeFile !== undefined && writer === undefined) {
      // As tcpdump -w: host-order (little-endian) pcap 2.4 with the input's snaplen and link type, microsecond
      // timestamps (nanosecond input truncated) unless --nano.
      const fd = args.writeFile === '-' ? 1 : openForWrite(args.writeFile);
      writer = new PcapWriter(fd, { linkType: info.linkType, snaplen: info.snaplen, precision: args.print.nano ? 'nano' : 'micro' });
    }
  };
  const onPacket = (rec: PacketRecord): boolean => {
    const f = filterFor(rec.linkType);
    if (f !== null && !f(rec.data, rec.offset, rec.caplen, rec.wirelen)) return true;
    matched++;
    if (writer !== undefined) writer.writePacket(rec.data, rec.offset, rec.caplen, rec.wirelen, rec.tsSec, rec.tsNsec);
    else if (!args.countOnly) printer.printPacket(rec);
    return limit < 0 || matched < limit;
  };
  const progress = new Progress(args.countOnly ? 'counting' : 'reading');
  try {
    if (args.countOnly && writer === undefined && args.writeFile === undefined && limit < 0 && file !== '-') {
      // Counting needs no order: read the header (the stderr line, the filter compiled and checked), then
      // count on every core; ranges that cannot be split fall back to one thread, with identical results.
      await readCapture(file, { onInfo, onPacket: () => false });
      const counted = await countMatches(file, { expression, ipv6Transport: args.ipv6Transport }, args.threads === undefined ? {} : { threads: args.threads });
      matched = counted.matched;
      if (counted.error !== undefined) throw counted.error;
    } else {
      await readCapture(file, { onInfo, onPacket }, { onProgress: (done, total) => progress.update(done, total) });
    }
    progress.done();
  } catch (err) {
    progress.done();
    stdout.flush();
    if (filterError !== undefined) throw new CommandError(filterError.message);
    try {
      closeWriter(writer, args.writeFile);
    } catch {
      // the reader's error is the one to report
    }
    if (err instanceof BrokenPipeError) return 0;
    if (err instanceof FilterError) throw new CommandError(err.message);
    if (err instanceof CaptureError) {
      if (args.countOnly) stdout.write(`${matched} packet${matched === 1 ? '' : 's'}\n`), stdout.flush();
      errorLine(`pcapsift: ${err.message}`);
      return 1;
    }
    throw err;
  }
  try {
    closeWriter(writer, args.writeFile);
  } catch (err) {
    if (!(err instanceof BrokenPipeError)) throw err;
  }
  if (args.countOnly) stdout.write(`${matched} packet${matched === 1 ? '' : 's'}\n`);
  stdout.flush();
  return 0;
}

/** Opens the -w output, turning a failure into tcpdump's one-line complaint. */
function openForWrite(path: string): number {
  try {
    return fs.openSync(path, 'w');
  } catch (err) {
    throw new CommandError(`${path}: ${(err as Error).message}`);
  }
}

/** Flushes the -w output (and closes it unless it is standard output). */
function closeWriter(writer: PcapWriter | undefined, path: string | undefined): void {
  if (writer !== undefined) writer.close(path !== '-');
}
