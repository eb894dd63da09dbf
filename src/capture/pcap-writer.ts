/**
 * Writes classic libpcap savefiles (the format `pcap.ts` reads), streaming through one large buffer to a
 * file descriptor or to a writable stream, so memory stays bounded however many packets go out.
 *
 *   file header (24 bytes)              record header (16 bytes)
 *   0  magic        4  version 2.4      0  ts seconds     4  ts fraction (usec or nsec)
 *   8  thiszone     12 sigfigs          8  captured len   12 original len
 *   16 snaplen      20 link type
 *
 * Every header field is a parameter because `tcpdump -r IN -w OUT` must be reproducible byte for byte:
 * tcpdump 4.99.3 writes host-order (little-endian here) magic, version 2.4, thiszone 0, sigfigs 0, the
 * input's snaplen and link type, and microsecond timestamps (nanosecond input is truncated, not rounded,
 * to microseconds) unless run with `--nano`.
 */
import * as fs from 'node:fs';
import { writeFullySync } from '../bytes/write-sync.js';
import { PCAP_FILE_HEADER_LEN, PCAP_MAGIC_MICRO, PCAP_MAGIC_NANO, PCAP_RECORD_HEADER_LEN } from './pcap.js';

// File header field offsets.
export const PCAP_HDR_MAGIC = 0;
export const PCAP_HDR_VERSION_MAJOR = 4;
export const PCAP_HDR_VERSION_MINOR = 6;
export const PCAP_HDR_THISZONE = 8;
export const PCAP_HDR_SIGFIGS = 12;
export const PCAP_HDR_SNAPLEN = 16;
export const PCAP_HDR_LINKTYPE = 20;

// Record header field offsets.
export const PCAP_REC_TS_SEC = 0;
export const PCAP_REC_TS_FRAC = 4;
export const PCAP_REC_CAPLEN = 8;
export const PCAP_REC_WIRELEN = 12;

/** libpcap's default snapshot length (what tcpdump uses with no -s). */
export const DEFAULT_SNAPLEN = 262144;

export type TimestampPrecision = 'micro' | 'nano';

/** The file header's fields. */
export interface PcapHeaderOptions {
  /** Link-layer header type (LINKTYPE_*). */
  linkType: number;
  /** Snapshot length stored in the header (default 262144). Records are not cut to it: pass caplen. */
  snaplen?: number;
  /** Timestamp precision: the magic number and what the fraction field holds (default 'micro'). */
  precision?: TimestampPrecision;
  /** Byte order of the file (default little-endian, as tcpdump writes on x86). */
  byteOrder?: 'little' | 'big';
  thiszone?: number;
  sigfigs?: number;
  versionMajor?: number;
  versionMinor?: number;
}

export interface PcapWriterOptions extends PcapHeaderOptions {
  /** Bytes gathered before a write (default 1 MiB). A larger packet is written directly. */
  bufferSize?: number;
}

/** Anything that takes chunks of bytes: a Node Writable (file stream, process.stdout, a socket...). */
export interface ByteStream {
  write(chunk: Buffer): boolean;
  once(event: 'drain', listener: () => void): unknown;
}

/** Where a writer's bytes go: a file descriptor (written synchronously) or a stream. */
export type PcapDestination = number | ByteStream;

export { BrokenPipeError, writeFullySync } from '../bytes/write-sync.js';

/** Encodes the 24-byte file header into buf at pos. */
export function encodePcapHeader(buf: Buffer, pos: number, opts: PcapHeaderOptions): void {
  const little = (opts.byteOrder ?? 'little') === 'little';
  const magic = (opts.precision ?? 'micro') === 'nano' ? PCAP_MAGIC_NANO : PCAP_MAGIC_MICRO;
  const u32 = little ? buf.writeUInt32LE.bind(buf) : buf.writeUInt32BE.bind(buf);
  const u16 = little ? buf.writeUInt16LE.bind(buf) : buf.writeUInt16BE.bind(buf);
  const i32 = little ? buf.writeInt32LE.bind(buf) : buf.writeInt32BE.bind(buf);
  u32(magic, pos + PCAP_HDR_MAGIC);
  u16(opts.versionMajor ?? 2, pos + PCAP_HDR_VERSION_MAJOR);
  u16(opts.versionMinor ?? 4, pos + PCAP_HDR_VERSION_MINOR);
  i32(opts.thiszone ?? 0, pos + PCAP_HDR_THISZONE);
  u32(opts.sigfigs ?? 0, pos + PCAP_HDR_SIGFIGS);
  u32((opts.snaplen ?? DEFAULT_SNAPLEN) >>> 0, pos + PCAP_HDR_SNAPLEN);
  u32(opts.linkType >>> 0, pos + PCAP_HDR_LINKTYPE);
}

/**
 * Streams a pcap file. Create it (the header is buffered at once), call `writePacket` per record, then
 * `close()` (or `flush()` and keep the destination open). Errors from the destination propagate as thrown
 * exceptions (fd) or through the stream's own 'error' event (stream).
 */
export class PcapWriter {
  private buf: Buffer;
  private fill = 0;
  private readonly little: boolean;
  private readonly nano: boolean;
  private pendingDrain: Promise<void> | undefined;
  private readonly reserved: { buf: Buffer; at: number } = { buf: Buffer.alloc(0), at: 0 };
  /** Records written so far. */
  packets = 0;
  /** Bytes produced so far (header included). */
  bytes = 0;

  constructor(
    private readonly dest: PcapDestination,
    readonly options: PcapWriterOptions,
  ) {
    this.little = (options.byteOrder ?? 'little') === 'little';
    this.nano = (options.precision ?? 'micro') === 'nano';
    this.buf = Buffer.allocUnsafe(Math.max(options.bufferSize ?? 1 << 20, 4096));
    encodePcapHeader(this.buf, 0, options);
    this.fill = PCAP_FILE_HEADER_LEN;
    this.bytes = PCAP_FILE_HEADER_LEN;
  }

  /** Writes a record header at p in the buffer (the fraction in the file's precision, truncated as libpcap does). */
  private recordHeader(p: number, caplen: number, wirelen: number, tsSec: number, tsNsec: number): void {
    const b = this.buf;
    const frac = this.nano ? tsNsec : Math.floor(tsNsec / 1000);
    if (this.little) {
      b.writeUInt32LE(tsSec >>> 0, p + PCAP_REC_TS_SEC);
      b.writeUInt32LE(frac >>> 0, p + PCAP_REC_TS_FRAC);
      b.writeUInt32LE(caplen >>> 0, p + PCAP_REC_CAPLEN);
      b.writeUInt32LE(wirelen >>> 0, p + PCAP_REC_WIRELEN);
    } else {
      b.writeUInt32BE(tsSec >>> 0, p + PCAP_REC_TS_SEC);
      b.writeUInt32BE(frac >>> 0, p + PCAP_REC_TS_FRAC);
      b.writeUInt32BE(caplen >>> 0, p + PCAP_REC_CAPLEN);
      b.writeUInt32BE(wirelen >>> 0, p + PCAP_REC_WIRELEN);
    }
  }

  /**
   * Appends one record: caplen bytes of data from offset, with the original length and a timestamp given as
   * seconds and nanoseconds (microsecond files store floor(tsNsec / 1000), as libpcap does).
   */
  writePacket(data: Uint8Array, offset: number, caplen: number, wirelen: number, tsSec: number, tsNsec: number): void {
    if (offset < 0 || caplen < 0 || offset + caplen > data.length) {
      throw new RangeError(`packet bytes [${offset}, ${offset + caplen}) are outside a buffer of ${data.length}`);
    }
    const recordLen = PCAP_RECORD_HEADER_LEN + caplen;
    if (this.fill + recordLen > this.buf.length) this.flush();
    const b = this.buf;
    const p = this.fill;
    this.recordHeader(p, caplen, wirelen, tsSec, tsNsec);
    if (recordLen <= b.length) {
      b.set(data.subarray(offset, offset + caplen), p + PCAP_RECORD_HEADER_LEN);
      this.fill += recordLen;
    } else {
      // A record larger than the whole buffer: header from the buffer, then the bytes straight out.
      this.fill += PCAP_RECORD_HEADER_LEN;
      this.flush();
      this.emit(Buffer.from(data.buffer, data.byteOffset + offset, caplen), true);
    }
    this.packets++;
    this.bytes += recordLen;
  }

  /**
   * Reserves room for a packet of up to maxCaplen bytes (at most the buffer size less 16) and returns the
   * buffer and the position its first byte goes at, so a generator can write the packet in place; then
   * call `commit`. Nothing else may be written in between.
   */
  reserve(maxCaplen: number): { buf: Buffer; at: number } {
    const need = PCAP_RECORD_HEADER_LEN + maxCaplen;
    if (need > this.buf.length) throw new RangeError(`a reserved packet of ${maxCaplen} bytes does not fit the writer's buffer`);
    if (this.fill + need > this.buf.length) this.flush();
    this.reserved.buf = this.buf;
    this.reserved.at = this.fill + PCAP_RECORD_HEADER_LEN;
    return this.reserved;
  }

  /** Completes the packet written in place after `reserve` (caplen bytes at the reserved position). */
  commit(caplen: number, wirelen: number, tsSec: number, tsNsec: number): void {
    this.recordHeader(this.fill, caplen, wirelen, tsSec, tsNsec);
    this.fill += PCAP_RECORD_HEADER_LEN + caplen;
    this.packets++;
    this.bytes += PCAP_RECORD_HEADER_LEN + caplen;
  }

  /** Writes out everything buffered. */
  flush(): void {
    if (this.fill === 0) return;
    const chunk = this.buf.subarray(0, this.fill);
    this.fill = 0;
    this.emit(chunk, false);
  }

  /**
   * Resolves when the stream destination has taken what it was given (always at once for a descriptor).
   * Await it between batches to keep memory bounded when the stream's consumer is slower than the writer.
   */
  drained(): Promise<void> {
    return this.pendingDrain ?? Promise.resolve();
  }

  /** Flushes, and closes the destination when it is a descriptor this writer was told it owns. */
  close(closeFd = false): void {
    this.flush();
    if (closeFd && typeof this.dest === 'number') fs.closeSync(this.dest);
  }

  private emit(chunk: Buffer, borrowed: boolean): void {
    if (typeof this.dest === 'number') {
      writeFullySync(this.dest, chunk);
      return;
    }
    // A stream keeps the Buffer it is given until written, so it gets its own bytes and we take a fresh buffer.
    let own: Buffer;
    if (borrowed) {
      own = Buffer.from(chunk);
    } else {
      own = chunk;
      this.buf = Buffer.allocUnsafe(this.buf.length);
    }
    if (!this.dest.write(own) && this.pendingDrain === undefined) {
      const s = this.dest;
      this.pendingDrain = new Promise<void>((resolve) => {
        s.once('drain', () => {
          this.pendingDrain = undefined;
          resolve();
        });
      });
    }
  }
}

/** One record for `pcapBytes`: data is the whole captured packet. */
export interface PcapRecordInput {
  data: Uint8Array;
  tsSec: number;
  /** Fraction of the second in nanoseconds (default 0). */
  tsNsec?: number;
  /** Length on the wire (default data.length). */
  wirelen?: number;
}

/** Returns a whole (small) pcap file as one Buffer: handy for tests. */
export function pcapBytes(records: readonly PcapRecordInput[], header: PcapHeaderOptions = { linkType: 1 }): Buffer {
  let size = PCAP_FILE_HEADER_LEN;
  for (const r of records) size += PCAP_RECORD_HEADER_LEN + r.data.length;
  const chunks: Buffer[] = [];
  const sink: ByteStream = {
    write: (c) => (chunks.push(c), true),
    once: () => undefined,
  };
  const w = new PcapWriter(sink, { ...header, bufferSize: size });
  for (const r of records) w.writePacket(r.data, 0, r.data.length, r.wirelen ?? r.data.length, r.tsSec, r.tsNsec ?? 0);
  w.flush();
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** Writes a pcap file of the given records to path. */
export function writePcapFile(path: string, records: readonly PcapRecordInput[], header: PcapHeaderOptions = { linkType: 1 }): void {
  fs.writeFileSync(path, pcapBytes(records, header));
}
