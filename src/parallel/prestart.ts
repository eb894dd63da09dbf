/**
 * Workers started before their job is known. A worker needs ~0.1 s to boot and import its modules; a
 * command that will surely run a parallel job (`--count`) can start them first thing, so that they boot
 * while the main thread loads its own modules and reads the capture's header. runJob (pool.ts) takes them
 * and posts each its job; those not taken are ended when a job starts without them, and never keep the
 * process alive.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';

/** The worker entry point (worker.ts). */
export const WORKER_URL = new URL('./worker.js', import.meta.url);

/** What a worker started ahead is given: the modules to import while it waits for its job. */
export interface WaitingWorkerData {
  modules: string[];
}

interface Waiting {
  worker: Worker;
  modules: string[];
}

const waiting: Waiting[] = [];

/** Returns how many threads to use by default (this one included). */
export function defaultThreads(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/** Starts `count` workers (default: one per other core) that import `modules` and wait for a job. */
export function prestartWorkers(modules: string[], count = defaultThreads() - 1): void {
  for (let i = 0; i < count; i++) {
    const data: WaitingWorkerData = { modules };
    const worker = new Worker(WORKER_URL, { workerData: data });
    worker.unref();
    const entry: Waiting = { worker, modules };
    // A worker that fails or ends while waiting is not used: a job then starts a fresh one.
    worker.once('error', () => undefined);
    worker.once('exit', () => {
      const i = waiting.indexOf(entry);
      if (i >= 0) waiting.splice(i, 1);
    });
    waiting.push(entry);
  }
}

/** Takes a waiting worker started with these modules, if any; it keeps the process alive again. */
export function takeWaitingWorker(modules: readonly string[]): Worker | undefined {
  const i = waiting.findIndex((w) => w.modules.length === modules.length && w.modules.every((m, k) => m === modules[k]));
  if (i < 0) return undefined;
  const { worker } = waiting.splice(i, 1)[0]!;
  worker.ref();
  return worker;
}

/** How many started workers wait for a job. */
export function waitingWorkers(): number {
  return waiting.length;
}

/** Ends the workers nobody took. */
export function endWaitingWorkers(): void {
  for (const { worker } of waiting.splice(0)) void worker.terminate();
}
