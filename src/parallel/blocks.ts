/**
 * Blocks of a capture shared out between threads as they go: each thread takes the next block number from
 * a counter in shared memory, so a thread that started late or runs slower simply takes fewer blocks, and
 * the threads finish together whatever the machine is doing. Each thread works out its blocks' edges itself
 * (split.ts's boundaries depend only on the file's bytes, so the threads agree on them).
 */
import { CaptureBlocks, type BlockPlan } from '../capture/split.js';
import type { CaptureRange } from '../capture/reader.js';

/** Slots of the shared Int32Array. */
export const SLOT_NEXT_BLOCK = 0;
/** Set when a thread could not place a block's edge or failed: the others stop taking blocks. */
export const SLOT_FAILED = 1;
/** Then one slot per worker: whether it has begun taking blocks (see WORKER_*). */
export const SLOT_WORKER_STATE = 2;

/** The worker has not taken a block yet. */
export const WORKER_IDLE = 0;
/** The worker takes blocks: its result counts. */
export const WORKER_TAKING = 1;
/** The main thread took every block before the worker was ready: the worker must take none. */
export const WORKER_CANCELLED = 2;

/** Allocates the shared counters for a run with `workers` worker threads. */
export function sharedState(workers: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * (SLOT_WORKER_STATE + workers)));
}

/**
 * Yields blocks of the plan taken from the shared counter until none are left. `workerSlot` (a worker's
 * index, or -1 on the main thread) is claimed before the first block, so that a worker the main thread
 * gave up on takes nothing.
 */
export function* takeBlocks(file: string, plan: BlockPlan, shared: Int32Array, workerSlot: number): Generator<CaptureRange> {
  if (workerSlot >= 0 && Atomics.compareExchange(shared, SLOT_WORKER_STATE + workerSlot, WORKER_IDLE, WORKER_TAKING) !== WORKER_IDLE) {
    return;
  }
  const blocks = CaptureBlocks.open(file, plan);
  if (blocks === undefined) {
    Atomics.store(shared, SLOT_FAILED, 1);
    return;
  }
  try {
    for (;;) {
      if (Atomics.load(shared, SLOT_FAILED) !== 0) return;
      const i = Atomics.add(shared, SLOT_NEXT_BLOCK, 1);
      if (i >= plan.count) return;
      const range = blocks.range(i);
      if (range === undefined) {
        Atomics.store(shared, SLOT_FAILED, 1);
        return;
      }
      yield range;
    }
  } finally {
    blocks.close();
  }
}
