/**
 * A worker thread's entry point: imports the job's modules, runs it over the blocks it takes, posts the
 * result. A worker started ahead (prestart.ts) imports its modules first, then waits for its job.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { getJob } from './jobs.js';
import { SLOT_FAILED, takeBlocks } from './blocks.js';
import type { WorkerInput, WorkerMessage } from './pool.js';
import type { WaitingWorkerData } from './prestart.js';

async function start(): Promise<void> {
  const data = workerData as WorkerInput | WaitingWorkerData;
  if ('job' in data) return run(data);
  for (const m of data.modules) await import(m);
  parentPort!.once('message', (input: WorkerInput) => void run(input));
}

async function run(input: WorkerInput): Promise<void> {
  let message: WorkerMessage<unknown>;
  try {
    for (const m of input.modules) await import(m);
    const job = getJob(input.job);
    if (job === undefined) throw new Error(`unknown job ${input.job}`);
    const result = await job(input.file, takeBlocks(input.file, input.plan, input.shared, input.slot), input.args);
    message = { ok: true, result };
  } catch (error) {
    Atomics.store(input.shared, SLOT_FAILED, 1);
    message = { ok: false, error };
  }
  parentPort!.postMessage(message);
}

void start();
