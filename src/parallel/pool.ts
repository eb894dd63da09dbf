/**
 * Runs a registered range job on several worker threads, one per record-aligned range of a capture file,
 * and returns the partial results in file order. When the file cannot be split (compressed, small,
 * standard input) or a range turns out unsafe, the job runs once over the whole file on this thread, so
 * callers always get results identical to a sequential read.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { splitCapture } from '../capture/split.js';
import type { CaptureRange } from '../capture/reader.js';
import { getJob, type RangeJobResult } from './jobs.js';

export interface ParallelOptions {
  /** Threads to use (default: the machine's available parallelism, at most 8). 1 reads sequentially. */
  threads?: number;
  /** Smallest file worth splitting (bytes). */
  minBytes?: number;
}

/** Returns how many threads to use by default. */
export function defaultThreads(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/**
 * Runs `job` over the capture, in parallel where possible. `modules` are imported by each worker before it
 * runs the job, so that the job's registration (registerJob) happens there too.
 */
export async function runJob<A, T>(
  file: string,
  job: string,
  args: A,
  modules: string[],
  options: ParallelOptions = {},
): Promise<RangeJobResult<T>[]> {
  const threads = options.threads ?? defaultThreads();
  const ranges = threads > 1 ? splitCapture(file, threads, options.minBytes) : undefined;
  if (ranges !== undefined) {
    // Any failure in a worker (a corrupt record, say) is redone sequentially, which reports it exactly
    // after processing every packet before the fault.
    const results = await Promise.all(
      ranges.map((range) => runInWorker<A, T>(file, range, job, args, modules).catch(() => undefined)),
    );
    if (results.every((r) => r !== undefined && !r.unsafe)) return results as RangeJobResult<T>[];
  }
  const local = getJob(job);
  if (local === undefined) throw new Error(`unknown job ${job}`);
  return [(await local(file, undefined, args)) as RangeJobResult<T>];
}

function runInWorker<A, T>(file: string, range: CaptureRange, job: string, args: A, modules: string[]): Promise<RangeJobResult<T>> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker.js', import.meta.url), {
      workerData: { file, range, job, args, modules },
    });
    worker.once('message', (msg: { ok: true; result: RangeJobResult<T> } | { ok: false; error: unknown }) => {
      if (msg.ok) resolve(msg.result);
      else reject(msg.error);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}
