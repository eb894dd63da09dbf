/**
 * Buffered, synchronous standard output for commands that print a line per packet: strings gather in
 * memory and go out in large writes. A closed pipe (`| head`) is not an error: the process ends quietly
 * with status 0, as tcpdump does.
 */
import { writeFullySync } from '../bytes/write-sync.js';

/** Where printers put text. */
export interface TextSink {
  write(text: string): void;
}

/** Thrown through the reading loop when the reader of our output has gone away. */
export { BrokenPipeError as OutputClosed } from '../bytes/write-sync.js';

export class FdWriter implements TextSink {
  private buf: Buffer;
  private pos = 0;

  constructor(
    private readonly fd: number,
    size = 1 << 20,
  ) {
    this.buf = Buffer.allocUnsafe(size);
  }

  /**
   * Appends text, encoded as UTF-8 straight into the output buffer: no array of parts, no join, no
   * intermediate Buffer (those dominated printing's profile).
   */
  write(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    const worst = text.length * 3;
    if (this.pos + worst > this.buf.length) {
      this.flush();
      if (worst > this.buf.length) {
        writeAllSync(this.fd, Buffer.from(text, 'utf8'));
        return;
      }
    }
    this.pos += this.buf.write(text, this.pos, 'utf8');
  }

  /** Writes out what is buffered; throws OutputClosed on EPIPE. */
  flush(): void {
    if (this.pos === 0) return;
    const n = this.pos;
    this.pos = 0;
    writeAllSync(this.fd, this.buf.subarray(0, n));
  }
}

/** Writes every byte to fd (EPIPE becomes OutputClosed). */
export const writeAllSync = writeFullySync;

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
