/**
 * Synchronous, complete writes to a file descriptor: the one place that knows how a write can fall short.
 * Output pipes may be non-blocking (EAGAIN: wait a moment and go on), and a reader that went away (`| head`)
 * is not an error but the end of the job: EPIPE becomes BrokenPipeError, which callers turn into a quiet
 * exit.
 */
import * as fs from 'node:fs';

/** The reader of an output pipe has gone away (EPIPE). */
export class BrokenPipeError extends Error {
  constructor() {
    super('output pipe closed');
  }
}

const WAIT_CELL = new Int32Array(new SharedArrayBuffer(4));

/** Writes all of data to fd, waiting out EAGAIN on non-blocking pipes; EPIPE becomes BrokenPipeError. */
export function writeFullySync(fd: number, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) {
    try {
      off += fs.writeSync(fd, data, off, data.length - off);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        Atomics.wait(WAIT_CELL, 0, 0, 2);
        continue;
      }
      if (code === 'EPIPE') throw new BrokenPipeError();
      throw err;
    }
  }
}
