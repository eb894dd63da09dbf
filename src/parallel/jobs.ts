/**
 * Jobs a thread can run over a capture: the whole file, or the record-aligned blocks it is handed one after
 * another. Each job returns a partial result that merges exactly with the other threads' (sums, maps of
 * counts): which blocks a thread gets depends on timing, so the merge must not depend on order. Jobs are
 * registered by name so the worker entry point (worker.ts) stays generic.
 */
import type { CaptureRange } from '../capture/reader.js';

export interface RangeJobResult<T> {
  /** The job's partial result. */
  value: T;
  /** Records read. */
  packets: number;
  /** The blocks met pcapng structure blocks: the caller must redo the work sequentially. */
  unsafe: boolean;
}

/** Reads `file` whole when `ranges` is undefined, else the ranges it yields (readCapture's `ranges` option). */
export type RangeJob<A, T> = (file: string, ranges: Iterable<CaptureRange> | undefined, args: A) => Promise<RangeJobResult<T>>;

const JOBS = new Map<string, RangeJob<unknown, unknown>>();

/** Makes a job available to workers under a name (call at module load, from the module that defines it). */
export function registerJob<A, T>(name: string, job: RangeJob<A, T>): void {
  JOBS.set(name, job as RangeJob<unknown, unknown>);
}

/** Finds a registered job. */
export function getJob(name: string): RangeJob<unknown, unknown> | undefined {
  return JOBS.get(name);
}
