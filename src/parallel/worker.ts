/** A worker thread's entry point: imports the job's modules, runs it over the blocks it takes, posts the result. */
import { parentPort, workerData } from 'node:worker_threads';
import { getJob } from './jobs.js';
import { SLOT_FAILED, takeBlocks } from './blocks.js';
import type { WorkerInput, WorkerMessage } from './pool.js';

async function run(): Promise<void> {
  const input = workerData as WorkerInput;
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

void run();
