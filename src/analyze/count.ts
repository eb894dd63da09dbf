/**
 * Counts the packets a filter expression selects, on every core: the file is split into record-aligned
 * ranges, each worker compiles the filter and counts its range, and the counts add up exactly.
 */
import { CaptureError } from '../capture/errors.js';
import { readCapture } from '../capture/reader.js';
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

registerJob<CountArgs, CountResult>(COUNT_JOB, async (file, range, args) => {
  const filters = new Map<number, FilterPredicate | null>();
  let matched = 0;
  let packets = 0;
  let unsafe = false;
  let error: CaptureError | undefined;
  const expression = args.expression.trim();
  try {
    const res = await readCapture(
      file,
      {
        onPacket(rec) {
          packets++;
          let f = filters.get(rec.linkType);
          if (f === undefined) {
            f = expression === '' ? null : compileFilter(expression, rec.linkType, { ipv6Transport: args.ipv6Transport === true });
            filters.set(rec.linkType, f);
          }
          if (f === null || f(rec.data, rec.offset, rec.caplen, rec.wirelen)) matched++;
        },
      },
      range === undefined ? {} : { range },
    );
    unsafe = res.rangeUnsafe === true;
  } catch (err) {
    if (!(err instanceof CaptureError)) throw err;
    error = err;
  }
  const value: CountResult = { matched, packets };
  if (error !== undefined) value.error = error;
  return { value, packets, unsafe };
});

/** Counts the packets of a capture that an expression selects, using several threads where it can. */
export async function countMatches(file: string, args: CountArgs, options: ParallelOptions = {}): Promise<CountResult> {
  let parts = await runJob<CountArgs, CountResult>(file, COUNT_JOB, args, [import.meta.url], options);
  // A fault in one range makes later ranges' counts meaningless: count again in order, up to the fault.
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
