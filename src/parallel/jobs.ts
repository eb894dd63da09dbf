/**
 * Jobs a worker thread can run over one range of a capture. Each job returns a partial result that can be
 * merged exactly with the other ranges' results (sums, maps of counts). Jobs are registered by name so
 * the worker entry point (worker.ts) stays generic.
 */
import type { CaptureRange } from '../capture/reader.js';

export interface RangeJobResult<T> {
  /** The job's partial result. */
  value: T;
  /** Records read in the range. */
  packets: number;
  /** The range met pcapng structure blocks: the caller must redo the work sequentially. */
  unsafe: boolean;
}

export type RangeJob<A, T> = (file: string, range: CaptureRange | undefined, args: A) => Promise<RangeJobResult<T>>;

const JOBS = new Map<string, RangeJob<unknown, unknown>>();

/** Makes a job available to workers under a name (call at module load, from the module that defines it). */
export function registerJob<A, T>(name: string, job: RangeJob<A, T>): void {
  JOBS.set(name, job as RangeJob<unknown, unknown>);
}

/** Finds a registered job. */
export function getJob(name: string): RangeJob<unknown, unknown> | undefined {
  return JOBS.get(name);
}
