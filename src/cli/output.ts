/**
 * Buffered, synchronous standard output for commands that print a line per packet: strings gather in
 * memory and go out in large writes. A closed pipe (`| head`) is not an error: the process ends quietly
 * with status 0, as tcpdump does.
 */
import * as fs from 'node:fs';

/** Where printers put text. */
export interface TextSink {
  write(text: string): void;
}

/** Thrown through the reading loop when the reader of our output has gone away. */
export class OutputClosed extends Error {
  constructor() {
    super('output closed');
  }
}

export class FdWriter implements TextSink {
  private parts: string[] = [];
  private size = 0;

  constructor(
    private readonly fd: number,
    private readonly flushAt = 1 << 16,
  ) {}

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= this.flushAt) this.flush();
  }

  /** Writes out what is buffered; throws OutputClosed on EPIPE. */
  flush(): void {
    if (this.size === 0 && this.parts.length === 0) return;
    const data = Buffer.from(this.parts.join(''), 'utf8');
    this.parts = [];
    this.size = 0;
    writeAllSync(this.fd, data);
  }
}

/** Writes every byte, waiting out EAGAIN on non-blocking pipes; EPIPE becomes OutputClosed. */
export function writeAllSync(fd: number, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) {
    try {
      off += fs.writeSync(fd, data, off, data.length - off);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
        continue;
      }
      if (code === 'EPIPE') throw new OutputClosed();
      throw err;
    }
  }
}

/** Standard output, buffered. */
export const stdout = new FdWriter(1);

/** Writes one line to standard error at once (unbuffered, so it orders correctly with flushed stdout). */
export function errorLine(text: string): void {
  try {
    writeAllSync(2, Buffer.from(text + '\n', 'utf8'));
  } catch {
    // Nothing sensible to do if stderr is gone.
  }
}
