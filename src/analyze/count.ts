/**
 * Counts the packets a filter expression selects, on every core: threads take record-aligned blocks of the
 * file in turn (parallel/pool.ts), each compiles the filter and counts its blocks, and the counts add up
 * exactly.
 */
import { CaptureError } from '../capture/errors.js';
import type { CaptureInfo, PacketRecord } from '../capture/packet.js';
import { readCapture, type CaptureRange } from '../capture/reader.js';
import { compileFilter, type FilterPredicate } from '../filter/index.js';
import { registerJob } from '../parallel/jobs.js';
import { runJob, type ParallelOptions } from '../parallel/pool.js';

export interface CountArgs {
  expression: string;
  ipv6Transport?: boolean;
}

export interface CountResult {
  /** Packets the expression selected. */
  matched: number;
  /** Packets read. */
  packets: number;
  /** Set when the capture is corrupt: the counts cover every packet before the fault. */
  error?: CaptureError;
}

const COUNT_JOB = 'count';

/** One thread's count: the filter for the current link type is kept at hand, so a packet costs one call. */
class Counter {
  matched = 0;
  packets = 0;
  private readonly expression: string;
  private readonly filters = new Map<number, FilterPredicate | null>();
  private bigEndianFile = false;
  private linkType = -1;
  private filter: FilterPredicate | null = null;

  constructor(private readonly args: CountArgs) {
    this.expression = args.expression.trim();
  }

  readonly onInfo = (info: CaptureInfo): void => {
    // As the reader does: LINKTYPE_NULL's address family is stored in the file's byte order.
    this.bigEndianFile = info.byteOrder === 'big';
    this.use(info.linkType);
  };

  readonly onPacket = (rec: PacketRecord): void => {
    this.packets++;
    if (rec.linkType !== this.linkType) this.use(rec.linkType);
    const f = this.filter;
    if (f === null || f(rec.data, rec.offset, rec.caplen, rec.wirelen)) this.matched++;
  };

  private use(linkType: number): void {
    let f = this.filters.get(linkType);
    if (f === undefined) {
      f =
        this.expression === ''
          ? null
          : compileFilter(this.expression, linkType, { ipv6Transport: this.args.ipv6Transport === true, bigEndianFile: this.bigEndianFile });
      this.filters.set(linkType, f);
    }
    this.linkType = linkType;
    this.filter = f;
  }
}

async function countJob(file: string, ranges: Iterable<CaptureRange> | undefined, args: CountArgs) {
  const counter = new Counter(args);
  let unsafe = false;
  let error: CaptureError | undefined;
  try {
    // Compile before taking blocks: a block taken is a block the others wait for.
    if (ranges !== undefined) await readCapture(file, { onInfo: counter.onInfo, onPacket: () => false });
    const res = await readCapture(file, counter, ranges === undefined ? {} : { ranges });
    unsafe = res.rangeUnsafe === true;
  } catch (err) {
    if (!(err instanceof CaptureError)) throw err;
    error = err;
  }
  const value: CountResult = { matched: counter.matched, packets: counter.packets };
  if (error !== undefined) value.error = error;
  return { value, packets: counter.packets, unsafe };
}

registerJob<CountArgs, CountResult>(COUNT_JOB, countJob);

/** Counts the packets of a capture that an expression selects, using several threads where it can. */
export async function countMatches(file: string, args: CountArgs, options: ParallelOptions = {}): Promise<CountResult> {
  let parts = await runJob<CountArgs, CountResult>(file, COUNT_JOB, args, [import.meta.url], options);
  // A fault in one block makes the other blocks' counts meaningless: count again in order, up to the fault.
  if (parts.length > 1 && parts.some((p) => p.value.error !== undefined)) {
    parts = await runJob<CountArgs, CountResult>(file, COUNT_JOB, args, [import.meta.url], { ...options, threads: 1 });
  }
  const total: CountResult = { matched: 0, packets: 0 };
  for (const p of parts) {
    total.matched += p.value.matched;
    total.packets += p.value.packets;
    if (p.value.error !== undefined) total.error = p.value.error;
  }
  return total;
}
