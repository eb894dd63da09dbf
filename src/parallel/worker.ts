/** A worker thread's entry point: imports the job's modules, runs it over its range, posts the result. */
import { parentPort, workerData } from 'node:worker_threads';
import { getJob } from './jobs.js';

interface WorkerInput {
  file: string;
  range: import('../capture/reader.js').CaptureRange;
  job: string;
  args: unknown;
  modules: string[];
}

async function run(): Promise<void> {
  const input = workerData as WorkerInput;
  try {
    for (const m of input.modules) await import(m);
    const job = getJob(input.job);
    if (job === undefined) throw new Error(`unknown job ${input.job}`);
    const result = await job(input.file, input.range, input.args);
    parentPort!.postMessage({ ok: true, result });
  } catch (error) {
    parentPort!.postMessage({ ok: false, error });
  }
}

void run();
