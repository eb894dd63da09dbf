/**
 * Reads a capture from a file, standard input (`-`) or a gzip-compressed stream, detecting pcap, pcapng and
 * gzip by their magic numbers, and streams its records through one bounded buffer: memory stays constant
 * however large the file is. Plain files are read synchronously in large chunks (the fastest path in Node);
 * pipes and gzip go through async streams.
 */
import * as fs from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { CaptureError } from './errors.js';
import type { FormatParser, RecordSink } from './format.js';
import type { CaptureInfo, PacketRecord } from './packet.js';
import { isPcapMagic, PcapParser } from './pcap.js';
import { BT_SHB, PcapngParser } from './pcapng.js';

export interface CaptureHandlers {
  /** Called once the file header (and pcapng's first interface) is known, before any packet. */
  onInfo?: (info: CaptureInfo) => void;
  /** Called for every record; return false to stop reading. The record is reused: copy what you keep. */
  onPacket: (record: PacketRecord) => boolean | void;
}

/**
 * A record-aligned slice of a plain capture file, for reading one file on several threads: the preamble
 * (pcap's file header, or pcapng's blocks before the first packet) is read first, then records starting in
 * [start, end). Made by splitCapture and CaptureBlocks (split.ts).
 */
export interface CaptureRange {
  preambleEnd: number;
  start: number;
  end: number;
}

export interface ReadResult {
  info: CaptureInfo | undefined;
  /**
   * Reading a range met a pcapng section header or interface block after the preamble: the interfaces this
   * range used may be wrong, so the caller must read the file sequentially instead.
   */
  rangeUnsafe?: boolean;
  /** Records delivered. */
  packets: number;
  /** True when a handler stopped the reading early (for a ranged read: stopped by the handler, not a range's end). */
  stopped: boolean;
}

export interface ReadOptions {
  /** Bytes read at a time (default 1 MiB). */
  chunkSize?: number;
  /** Called after each chunk with the bytes consumed so far (of the raw file) and its size (0 if unknown). */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Standard input to use for `-` (default process.stdin). */
  stdin?: Readable;
  /** Read only this slice of a plain (uncompressed) file. */
  range?: CaptureRange;
  /**
   * Read these slices of a plain file, one after another, instead of `range` (all of the same file, so with
   * the same preamble). Taken lazily: threads that share a file's blocks hand them out as they go.
   */
  ranges?: Iterable<CaptureRange>;
}

/**
 * Carries an exception thrown by the caller's handler through the reader untouched: a closed output pipe or
 * a bad filter is not a fault of the capture file, so it must not come out as a CaptureError.
 */
class HandlerFault {
  constructor(readonly error: unknown) {}
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/** The bounded buffer records are parsed from, and the parser that consumes it. */
class ChunkPump {
  buf: Buffer;
  pos = 0;
  fill = 0;
  /** Stream offset of buf[pos]. */
  streamPos = 0;
  parser: FormatParser | undefined;
  packets = 0;
  info: CaptureInfo | undefined;
  /** A handler returned false (a range's end also stops the parser: this tells the two apart). */
  handlerStopped = false;

  constructor(
    private readonly file: string,
    private readonly handlers: CaptureHandlers,
    chunkSize: number,
  ) {
    this.buf = Buffer.allocUnsafe(chunkSize * 2);
  }

  /** Space to write the next chunk into, moving unconsumed bytes to the front and growing when needed. */
  reserve(want: number): void {
    const unconsumed = this.fill - this.pos;
    // Room wanted after the unconsumed bytes: the next read, or the rest of a record that does not fit yet.
    const room = Math.max(want, (this.parser?.need ?? 0) - unconsumed);
    if (this.buf.length - this.fill >= room) return;
    if (unconsumed + room <= this.buf.length) {
      this.buf.copy(this.buf, 0, this.pos, this.fill);
    } else {
      // Only a record larger than the buffer makes it grow: memory stays bounded by the largest record.
      const grown = Buffer.allocUnsafe(Math.max(unconsumed + room, this.buf.length * 2));
      this.buf.copy(grown, 0, this.pos, this.fill);
      this.buf = grown;
    }
    this.fill = unconsumed;
    this.pos = 0;
  }

  /** Parses whatever complete records the buffer holds. */
  pump(): boolean {
    if (this.parser === undefined) {
      if (this.fill - this.pos < 4) return true;
      this.parser = this.detect();
    }
    const p = this.parser;
    const next = p.parse(this.buf, this.pos, this.fill, this.streamPos);
    this.streamPos += next - this.pos;
    this.pos = next;
    return !p.stopped;
  }

  finish(): void {
    if (this.parser === undefined) {
      const left = this.fill - this.pos;
      throw new CaptureError(this.file, `truncated dump file; tried to read 4 file header bytes, only got ${left}`, 0);
    }
    this.parser.finish(this.buf, this.pos, this.fill, this.streamPos);
  }

  private detect(): FormatParser {
    const magic = this.buf.readUInt32LE(this.pos);
    const sink: RecordSink = {
      onInfo: (info) => {
        this.info = info;
        try {
          this.handlers.onInfo?.(info);
        } catch (err) {
          throw new HandlerFault(err);
        }
      },
      onPacket: (rec) => {
        this.packets++;
        let goOn: boolean | void;
        try {
          goOn = this.handlers.onPacket(rec);
        } catch (err) {
          throw new HandlerFault(err);
        }
        if (goOn === false) this.handlerStopped = true;
        return goOn;
      },
    };
    if (isPcapMagic(magic)) return new PcapParser(this.file, sink);
    if (magic === BT_SHB) return new PcapngParser(this.file, sink);
    throw new CaptureError(this.file, 'unknown file format', 0);
  }
}

function openError(file: string, err: unknown): CaptureError {
  const code = (err as NodeJS.ErrnoException).code;
  const words: Record<string, string> = {
    ENOENT: 'No such file or directory',
    EACCES: 'Permission denied',
    EISDIR: 'Is a directory',
    ENOTDIR: 'Not a directory',
    ELOOP: 'Too many levels of symbolic links',
    EMFILE: 'Too many open files',
  };
  return new CaptureError(file, (code && words[code]) ?? (err as Error).message, -1);
}

/**
 * Reads a whole capture, calling the handlers for the header and each packet. Resolves when the capture
 * ends or a handler stops it; rejects with a CaptureError (after delivering every packet before the fault)
 * when the file is missing, unreadable or corrupt.
 */
export async function readCapture(file: string, handlers: CaptureHandlers, options: ReadOptions = {}): Promise<ReadResult> {
  try {
    return await readCaptureOrFault(file, handlers, options);
  } catch (err) {
    if (err instanceof HandlerFault) throw err.error;
    throw err;
  }
}

async function readCaptureOrFault(file: string, handlers: CaptureHandlers, options: ReadOptions): Promise<ReadResult> {
  const chunkSize = options.chunkSize ?? 1 << 20;
  const pump = new ChunkPump(file, handlers, chunkSize);
  if (file === '-') {
    await pumpStream(pump, options.stdin ?? process.stdin, file, options, 0);
  } else {
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
      const st = fs.fstatSync(fd);
      if (st.isDirectory()) {
        fs.closeSync(fd);
        throw Object.assign(new Error('Is a directory'), { code: 'EISDIR' });
      }
    } catch (err) {
      throw openError(file, err);
    }
    const total = fs.fstatSync(fd).size;
    try {
      const head = Buffer.alloc(2);
      const n = fs.readSync(fd, head, 0, 2, 0);
      if (n === 2 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1) {
        const stream = fs.createReadStream('', { fd, autoClose: false, start: 0, highWaterMark: chunkSize });
        await pumpStream(pump, stream, file, options, total);
      } else if (options.ranges !== undefined || options.range !== undefined) {
        readRanges(fd, pump, options.ranges ?? [options.range!], chunkSize, options, total);
        return { info: pump.info, packets: pump.packets, stopped: pump.handlerStopped, ...rangeSafety(pump) };
      } else {
        readChunks(fd, pump, chunkSize, 0, Infinity, options, total);
      }
    } catch (err) {
      if (err instanceof CaptureError || err instanceof HandlerFault) throw err;
      throw new CaptureError(file, (err as Error).message, pump.streamPos);
    } finally {
      fs.closeSync(fd);
    }
  }
  const stopped = pump.parser?.stopped ?? false;
  if (!stopped) pump.finish();
  return { info: pump.info, packets: pump.packets, stopped };
}

function rangeSafety(pump: ChunkPump): { rangeUnsafe?: true } {
  return pump.parser instanceof PcapngParser && pump.parser.structureBlocksSeen > 0 ? { rangeUnsafe: true } : {};
}

/**
 * Reads slices of a plain file: the preamble once (headers, interfaces), then for each range its records,
 * from its start up to the first record starting at or past its end. Reads stop at a range's end so that
 * the next range (often far away in the file) does not cost a wasted chunk.
 */
function readRanges(fd: number, pump: ChunkPump, ranges: Iterable<CaptureRange>, chunkSize: number, options: ReadOptions, total: number): void {
  let preambleRead = false;
  for (const range of ranges) {
    if (!preambleRead) {
      let filePos = 0;
      pump.reserve(range.preambleEnd);
      while (filePos < range.preambleEnd) {
        const got = fs.readSync(fd, pump.buf, pump.fill, range.preambleEnd - filePos, filePos);
        if (got === 0) break;
        pump.fill += got;
        filePos += got;
      }
      pump.pump();
      preambleRead = true;
    }
    if (range.start >= range.end) continue;
    // Bytes left from the previous range lie past its end: this range starts afresh.
    pump.pos = 0;
    pump.fill = 0;
    pump.streamPos = range.start;
    const parser = pump.parser;
    if (parser !== undefined) {
      parser.stopAt = range.end;
      parser.stopped = false;
    }
    readChunks(fd, pump, chunkSize, range.start, range.end, options, total);
    if (pump.handlerStopped) return;
    // The file ended inside the range: what is left must be nothing, not a truncated record.
    if (!(pump.parser?.stopped ?? false)) pump.finish();
  }
}

/**
 * Reads the file from `from` in chunks into the pump, parsing as it goes, until the file ends or a handler
 * stops. Reads stop at `end` (a range's end); a record that straddles it is read on as the parser needs.
 */
function readChunks(fd: number, pump: ChunkPump, chunkSize: number, from: number, end: number, options: ReadOptions, total: number): void {
  let filePos = from;
  for (;;) {
    pump.reserve(chunkSize);
    let want = pump.buf.length - pump.fill;
    if (filePos < end && end - filePos < want) want = end - filePos;
    const got = fs.readSync(fd, pump.buf, pump.fill, want, filePos);
    if (got === 0) break;
    pump.fill += got;
    filePos += got;
    const goOn = pump.pump();
    options.onProgress?.(filePos, total);
    if (!goOn) break;
  }
}

async function pumpStream(pump: ChunkPump, input: Readable, file: string, options: ReadOptions, total: number): Promise<void> {
  let raw = 0;
  let source: AsyncIterable<Buffer> = input;
  let first = true;
  let gunzip: ReturnType<typeof createGunzip> | undefined;
  // Standard input may itself be gzip: peek at the first chunk, then pipe through gunzip if it is.
  const iterator = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const firstChunk = await iterator.next();
  if (firstChunk.done) return;
  let head: Buffer = firstChunk.value;
  if (head.length >= 2 && head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1) {
    gunzip = createGunzip({ chunkSize: 1 << 20 });
    const z = gunzip;
    (async () => {
      try {
        z.write(head);
        raw += head.length;
        for (;;) {
          const r = await iterator.next();
          if (r.done) break;
          raw += r.value.length;
          if (!z.write(r.value)) await new Promise((res) => z.once('drain', res));
        }
        z.end();
      } catch (err) {
        z.destroy(err as Error);
      }
    })();
    source = z;
    first = false;
  }
  try {
    const feed = (chunk: Buffer): boolean => {
      pump.reserve(chunk.length);
      chunk.copy(pump.buf, pump.fill);
      pump.fill += chunk.length;
      const goOn = pump.pump();
      options.onProgress?.(raw, total);
      return goOn;
    };
    if (first) {
      raw += head.length;
      if (!feed(head)) return;
      for (;;) {
        const r = await iterator.next();
        if (r.done) break;
        raw += r.value.length;
        if (!feed(r.value)) return;
      }
    } else {
      for await (const chunk of source) {
        if (!feed(chunk as Buffer)) {
          gunzip?.destroy();
          return;
        }
      }
    }
  } catch (err) {
    if (err instanceof CaptureError || err instanceof HandlerFault) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'Z_BUF_ERROR' || e.code === 'Z_DATA_ERROR') {
      throw new CaptureError(file, `gzip stream is corrupt or truncated (${e.message})`, pump.streamPos + (pump.fill - pump.pos));
    }
    throw new CaptureError(file, e.message, pump.streamPos);
  }
  head = Buffer.alloc(0);
}
