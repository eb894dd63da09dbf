/**
 * Builds small pcapng files in memory (draft-ietf-opsawg-pcapng), mainly to test the reader: Section
 * Header Blocks in either byte order, Interface Description Blocks with if_name, if_tsresol and if_tsoffset,
 * Enhanced and Simple Packet Blocks.
 *
 *   0 block type   4 block total length   8 body (padded to 32 bits)   total-4 block total length
 *
 * Not a hot path: timestamps are converted with bigint so any resolution (10^-n or 2^-n) is exact.
 */
import { BT_EPB, BT_IDB, BT_SHB, BT_SPB, BYTE_ORDER_MAGIC } from './pcapng.js';

export const OPT_ENDOFOPT = 0;
export const OPT_COMMENT = 1;
export const IF_NAME = 2;
export const IF_TSRESOL = 9;
export const IF_TSOFFSET = 14;

export interface PcapngInterfaceOptions {
  linkType: number;
  /** Snapshot length (default 262144; 0 means "no limit" in the format). */
  snaplen?: number;
  /** if_tsresol byte: n for 10^-n seconds, 0x80|n for 2^-n (default 6, microseconds; omitted when 6). */
  tsresol?: number;
  /** if_tsoffset in seconds. */
  tsOffset?: number;
  name?: string;
}

export interface PcapngSectionOptions {
  byteOrder?: 'little' | 'big';
  /** shb_comment. */
  comment?: string;
}

/** Accumulates the blocks of a pcapng file. */
export class PcapngWriter {
  private readonly blocks: Buffer[] = [];
  private little = true;
  private units: bigint[] = [];

  constructor(section: PcapngSectionOptions = {}) {
    this.section(section);
  }

  /** Starts a new section (an SHB); interfaces are numbered from 0 again. */
  section(opts: PcapngSectionOptions = {}): this {
    {
      this.little = (opts.byteOrder ?? 'little') === 'little';
      this.units = [];
      const opt = opts.comment !== undefined ? [this.option(OPT_COMMENT, Buffer.from(opts.comment, 'utf8'))] : [];
      const fixed = Buffer.alloc(16);
      this.u32(fixed, 0, BYTE_ORDER_MAGIC);
      this.u16(fixed, 4, 1);
      this.u16(fixed, 6, 0);
      // Section length -1: unknown.
      fixed.writeInt32LE(-1, 8);
      fixed.writeInt32LE(-1, 12);
      this.block(BT_SHB, [fixed, ...this.withEnd(opt)]);
    }
    return this;
  }

  /** Adds an Interface Description Block and returns its interface number within the section. */
  addInterface(opts: PcapngInterfaceOptions): number {
    const fixed = Buffer.alloc(8);
    this.u16(fixed, 0, opts.linkType);
    this.u32(fixed, 4, opts.snaplen ?? 262144);
    const opt: Buffer[] = [];
    if (opts.name !== undefined) opt.push(this.option(IF_NAME, Buffer.from(opts.name, 'utf8')));
    const r = opts.tsresol ?? 6;
    if (r !== 6) opt.push(this.option(IF_TSRESOL, Buffer.from([r])));
    if (opts.tsOffset !== undefined) {
      const v = Buffer.alloc(8);
      if (this.little) v.writeBigInt64LE(BigInt(opts.tsOffset));
      else v.writeBigInt64BE(BigInt(opts.tsOffset));
      opt.push(this.option(IF_TSOFFSET, v));
    }
    this.block(BT_IDB, [fixed, ...this.withEnd(opt)]);
    this.units.push(r & 0x80 ? 1n << BigInt(r & 0x7f) : 10n ** BigInt(r & 0x7f));
    return this.units.length - 1;
  }

  /**
   * Adds an Enhanced Packet Block. The timestamp (seconds, nanoseconds) is converted to the interface's
   * units, truncating what the resolution cannot hold.
   */
  writePacket(interfaceId: number, data: Uint8Array, tsSec: number, tsNsec = 0, wirelen = data.length): this {
    const perSec = this.units[interfaceId];
    if (perSec === undefined) throw new RangeError(`no interface ${interfaceId} in this section`);
    const ts = BigInt(tsSec) * perSec + (BigInt(tsNsec) * perSec) / 1_000_000_000n;
    const fixed = Buffer.alloc(20);
    this.u32(fixed, 0, interfaceId);
    this.u32(fixed, 4, Number(ts >> 32n));
    this.u32(fixed, 8, Number(ts & 0xffffffffn));
    this.u32(fixed, 12, data.length);
    this.u32(fixed, 16, wirelen);
    this.block(BT_EPB, [fixed, Buffer.from(data), pad(data.length)]);
    return this;
  }

  /** Adds a Simple Packet Block (interface 0, no timestamp). */
  writeSimplePacket(data: Uint8Array, wirelen = data.length): this {
    const fixed = Buffer.alloc(4);
    this.u32(fixed, 0, wirelen);
    this.block(BT_SPB, [fixed, Buffer.from(data), pad(data.length)]);
    return this;
  }

  /** Adds an arbitrary block (for tests of unknown-block skipping); body is padded here. */
  writeRawBlock(type: number, body: Uint8Array): this {
    this.block(type, [Buffer.from(body), pad(body.length)]);
    return this;
  }

  /** Returns the file built so far. */
  toBuffer(): Buffer {
    return Buffer.concat(this.blocks);
  }

  private block(type: number, parts: Buffer[]): void {
    let bodyLen = 0;
    for (const p of parts) bodyLen += p.length;
    const total = 12 + bodyLen;
    const head = Buffer.alloc(8);
    this.u32(head, 0, type);
    this.u32(head, 4, total);
    const tail = Buffer.alloc(4);
    this.u32(tail, 0, total);
    this.blocks.push(head, ...parts, tail);
  }

  private option(code: number, value: Buffer): Buffer {
    const b = Buffer.alloc(4 + ((value.length + 3) & ~3));
    this.u16(b, 0, code);
    this.u16(b, 2, value.length);
    value.copy(b, 4);
    return b;
  }

  private withEnd(opts: Buffer[]): Buffer[] {
    return opts.length === 0 ? [] : [...opts, Buffer.alloc(4)];
  }

  private u16(b: Buffer, at: number, v: number): void {
    if (this.little) b.writeUInt16LE(v, at);
    else b.writeUInt16BE(v, at);
  }

  private u32(b: Buffer, at: number, v: number): void {
    if (this.little) b.writeUInt32LE(v >>> 0, at);
    else b.writeUInt32BE(v >>> 0, at);
  }
}

function pad(len: number): Buffer {
  return Buffer.alloc((4 - (len & 3)) & 3);
}
