/**
 * Runs a registered job on several threads over the blocks of one capture file, and returns each thread's
 * partial result. The main thread takes blocks too: it starts at once while the workers boot (a worker
 * needs ~0.1 s to load its modules and compile what the job needs), and blocks are handed out as threads
 * ask, so a late or slow thread costs nothing. When the file cannot be split (compressed, small, standard
 * input) or a thread fails or meets pcapng structure blocks, the job runs once over the whole file on this
 * thread, so callers always get results identical to a sequential read.
 */
import { Worker } from 'node:worker_threads';
import { planBlocks, type BlockPlan } from '../capture/split.js';
import { SLOT_FAILED, SLOT_WORKER_STATE, WORKER_CANCELLED, WORKER_IDLE, sharedState, takeBlocks } from './blocks.js';
import { getJob, type RangeJob, type RangeJobResult } from './jobs.js';
import { defaultThreads, endWaitingWorkers, takeWaitingWorker, WORKER_URL } from './prestart.js';

export { defaultThreads, prestartWorkers } from './prestart.js';

export interface ParallelOptions {
  /** Threads to use, this one included (default: the machine's available parallelism, at most 8). 1 reads sequentially. */
  threads?: number;
  /** Smallest file worth splitting (bytes). */
  minBytes?: number;
  /** Block size (bytes; default: about 24 blocks per thread, 64 KiB to 32 MiB). For tests. */
  blockBytes?: number;
}

/** What a worker is given (worker.ts). */
export interface WorkerInput {
  file: string;
  job: string;
  args: unknown;
  /** Modules to import first, so that the job's registration (registerJob) happens in the worker too. */
  modules: string[];
  plan: BlockPlan;
  shared: Int32Array;
  slot: number;
}

/** A worker's answer: its partial result (empty when it took no block), or the error that stopped it. */
export type WorkerMessage<T> = { ok: true; result: RangeJobResult<T> } | { ok: false; error: unknown };

/**
 * Runs `job` over the capture, in parallel where possible; the results (one per thread that took part) come
 * in no particular order. `modules` are imported by each worker before it runs the job.
 */
export async function runJob<A, T>(
  file: string,
  job: string,
  args: A,
  modules: string[],
  options: ParallelOptions = {},
): Promise<RangeJobResult<T>[]> {
  const local = getJob(job) as RangeJob<A, T> | undefined;
  if (local === undefined) throw new Error(`unknown job ${job}`);
  const threads = options.threads ?? defaultThreads();
  const plan = threads > 1 ? planBlocks(file, threads, options.minBytes, options.blockBytes) : undefined;
  if (plan !== undefined) {
    const results = await runShared(file, job, local, args, modules, plan, threads - 1);
    endWaitingWorkers();
    if (results !== undefined) return results;
  }
  endWaitingWorkers();
  return [await local(file, undefined, args)];
}

/** Runs the job on this thread and `workers` others over the plan's blocks; undefined when it must be redone. */
async function runShared<A, T>(
  file: string,
  job: string,
  local: RangeJob<A, T>,
  args: A,
  modules: string[],
  plan: BlockPlan,
  workers: number,
): Promise<RangeJobResult<T>[] | undefined> {
  const shared = sharedState(workers);
  // Workers first: they boot while this thread reads.
  const started: { worker: Worker; done: Promise<RangeJobResult<T>> }[] = [];
  for (let slot = 0; slot < workers; slot++) {
    const input: WorkerInput = { file, job, args, modules, plan, shared, slot };
    let worker = takeWaitingWorker(modules);
    if (worker !== undefined) worker.postMessage(input);
    else worker = new Worker(WORKER_URL, { workerData: input });
    started.push({ worker, done: answer<T>(worker) });
  }
  let mine: RangeJobResult<T> | undefined;
  try {
    mine = await local(file, takeBlocks(file, plan, shared, -1), args);
  } catch {
    Atomics.store(shared, SLOT_FAILED, 1);
  }
  const results: RangeJobResult<T>[] = mine === undefined ? [] : [mine];
  let failed = mine === undefined;
  for (let slot = 0; slot < workers; slot++) {
    const { worker, done } = started[slot]!;
    // Every block is taken by now: a worker still booting would only add its start-up time.
    if (Atomics.compareExchange(shared, SLOT_WORKER_STATE + slot, WORKER_IDLE, WORKER_CANCELLED) === WORKER_IDLE) {
      done.catch(() => undefined);
      void worker.terminate();
      continue;
    }
    // A failure in a worker (a corrupt record, say) is redone sequentially, which reports it exactly after
    // processing every packet before the fault.
    try {
      results.push(await done);
    } catch {
      failed = true;
    }
  }
  if (failed || Atomics.load(shared, SLOT_FAILED) !== 0 || results.some((r) => r.unsafe)) return undefined;
  return results;
}

/** Resolves with a worker's result and ends the worker. */
function answer<T>(worker: Worker): Promise<RangeJobResult<T>> {
  return new Promise((resolve, reject) => {
    worker.once('message', (msg: WorkerMessage<T>) => {
      if (msg.ok) resolve(msg.result);
      else reject(msg.error);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', () => reject(new Error('worker exited without an answer')));
  });
}
