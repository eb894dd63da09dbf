/**
 * A job for the pool's tests (imported by the workers too): it counts records and sums their offsets, so
 * that results from any split can be compared with a sequential read. Its arguments can make the main
 * thread wait until a worker has read a block (so that workers certainly take part) or make workers fail.
 */
import { isMainThread, threadId } from 'node:worker_threads';
import { readCapture } from '../../src/capture/reader.js';
import { registerJob } from '../../src/parallel/jobs.js';

export const RANGE_LOG_JOB = 'test-range-log';

export interface RangeLogArgs {
  /** Slot 0: set by a worker when it takes its first block; the main thread waits for it before its second. */
  workerRead?: Int32Array;
  /** Workers throw when they take their first block. */
  failInWorker?: boolean;
}

export interface RangeLog {
  packets: number;
  offsetSum: number;
  thread: number;
  blocks: number;
}

registerJob<RangeLogArgs, RangeLog>(RANGE_LOG_JOB, async (file, ranges, args) => {
  const log: RangeLog = { packets: 0, offsetSum: 0, thread: threadId, blocks: 0 };
  const counted = ranges === undefined ? undefined : (function* () {
    for (const r of ranges) {
      if (args.workerRead !== undefined && !isMainThread) {
        Atomics.store(args.workerRead, 0, 1);
        Atomics.notify(args.workerRead, 0);
        if (args.failInWorker === true) throw new Error('failing on purpose');
      } else if (args.workerRead !== undefined && log.blocks > 0) {
        // Up to 20 s, for a slow machine: the test fails rather than hangs if no worker ever starts.
        for (let i = 0; i < 400 && Atomics.load(args.workerRead, 0) === 0; i++) Atomics.wait(args.workerRead, 0, 0, 50);
      }
      log.blocks++;
      yield r;
    }
  })();
  const res = await readCapture(
    file,
    {
      onPacket(rec) {
        log.packets++;
        log.offsetSum += rec.recordOffset;
      },
    },
    counted === undefined ? {} : { ranges: counted },
  );
  return { value: log, packets: log.packets, unsafe: res.rangeUnsafe === true };
});
