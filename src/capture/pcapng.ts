/**
 * The pcapng format (draft-ietf-opsawg-pcapng): a sequence of blocks, each
 *
 *   0 block type   4 block total length   8 body ...   (total length - 4) block total length again
 *
 * Section Header Block (0x0A0D0D0A): byte-order magic 0x1A2B3C4D, version, section length, options. Each
 * section has its own byte order and its own interfaces. Interface Description Block (1): link type, snaplen,
 * options (if_name 2, if_tsresol 9, if_tsoffset 14). Enhanced Packet Block (6): interface, timestamp (high,
 * low), captured and original lengths, data. Simple Packet Block (3): original length, data (interface 0).
 * Obsolete Packet Block (2): interface (16 bits), drops, timestamp, lengths, data. Other blocks are skipped.
 *
 * Unlike libpcap, which refuses a file whose interfaces differ in link type or snaplen, or whose sections
 * differ in byte order, this reader accepts them and gives each packet its own interface's link type.
 * Errors use libpcap's (sf-pcapng.c) words.
 */
import { CaptureError } from './errors.js';
import type { FormatParser, RecordSink } from './format.js';
import { INT_MAX, maxSnaplenForLinkType } from './link-types.js';
import { newPacketRecord, type CaptureInfo, type InterfaceInfo } from './packet.js';
import { splitTimestamp64 } from './timestamp.js';

export const BT_SHB = 0x0a0d0d0a;
export const BT_IDB = 0x00000001;
export const BT_PB = 0x00000002;
export const BT_SPB = 0x00000003;
export const BT_EPB = 0x00000006;
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

const OPT_ENDOFOPT = 0;
const IF_NAME = 2;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

/** libpcap's initial limit on a block's size; it grows with the largest snapshot length seen. */
const MAX_BLOCK_SIZE = 16 * 1024 * 1024;

/** Parses a pcapng stream block by block. */
export class PcapngParser implements FormatParser {
  need = 12;
  stopped = false;
  stopAt = Infinity;
  /** Section and interface blocks seen after `stopAt` was set (a range reader must then fall back). */
  structureBlocksSeen = 0;
  private little = true;
  private section = -1;
  /** Interfaces of the current section. */
  private interfaces: InterfaceInfo[] = [];
  private globalInterfaceBase = 0;
  private allInterfaces: InterfaceInfo[] = [];
  private info: CaptureInfo | undefined;
  private frame = 0;
  private readonly record = newPacketRecord();
  private readonly ts = new Float64Array(2);

  constructor(
    private readonly file: string,
    private readonly sink: RecordSink,
  ) {}

  parse(buf: Buffer, pos: number, end: number, streamPos: number): number {
    while (!this.stopped) {
      if (streamPos >= this.stopAt) {
        this.stopped = true;
        break;
      }
      if (end - pos < 12) {
        this.need = 12;
        return pos;
      }
      let type = this.u32(buf, pos);
      if (type === BT_SHB) {
        // The byte-order magic decides how to read this block's own length.
        const bom = buf.readUInt32LE(pos + 8);
        if (bom === BYTE_ORDER_MAGIC) this.little = true;
        else if (bom === 0x4d3c2b1a) this.little = false;
        else if (this.section < 0) throw new CaptureError(this.file, 'unknown file format', streamPos);
        else throw new CaptureError(this.file, `section header block has a bad byte-order magic 0x${bom.toString(16)}`, streamPos);
        type = BT_SHB;
      } else if (this.section < 0) {
        throw new CaptureError(this.file, 'unknown file format', streamPos);
      }
      const total = this.u32(buf, pos + 4);
      if (total < 12) {
        throw new CaptureError(this.file, `block in pcapng dump file has a length of ${total} < 12`, streamPos);
      }
      if (total % 4 !== 0) {
        throw new CaptureError(this.file, `block in pcapng dump file has a length of ${total} that is not a multiple of 4`, streamPos);
      }
      if (total > MAX_BLOCK_SIZE) {
        throw new CaptureError(this.file, `pcapng block size ${total} > maximum ${MAX_BLOCK_SIZE}`, streamPos);
      }
      if (end - pos < total) {
        this.need = total;
        return pos;
      }
      if (this.u32(buf, pos + total - 4) !== total) {
        throw new CaptureError(this.file, "block total length in header and trailer don't match", streamPos);
      }
      const body = pos + 8;
      const bodyEnd = pos + total - 4;
      if ((type === BT_SHB || type === BT_IDB) && this.stopAt !== Infinity) this.structureBlocksSeen++;
      switch (type) {
        case BT_SHB:
          this.sectionHeader(buf, body, bodyEnd, streamPos);
          break;
        case BT_IDB:
          this.interfaceDescription(buf, body, bodyEnd, streamPos);
          break;
        case BT_EPB:
        case BT_PB:
        case BT_SPB:
          this.packetBlock(type, buf, body, bodyEnd, streamPos);
          break;
        default:
          break; // Name resolution, statistics, decryption secrets, custom blocks: not needed to read packets.
      }
      pos += total;
      streamPos += total;
    }
    return pos;
  }

  private u32(buf: Buffer, at: number): number {
    return this.little ? buf.readUInt32LE(at) : buf.readUInt32BE(at);
  }

  private u16(buf: Buffer, at: number): number {
    return this.little ? buf.readUInt16LE(at) : buf.readUInt16BE(at);
  }

  private sectionHeader(buf: Buffer, body: number, bodyEnd: number, streamPos: number): void {
    if (bodyEnd - body < 16) throw new CaptureError(this.file, 'section header block is too short', streamPos);
    const major = this.u16(buf, body + 4);
    const minor = this.u16(buf, body + 6);
    if (major !== 1) {
      if (this.section < 0) throw new CaptureError(this.file, `unsupported pcapng savefile version ${major}.${minor}`, streamPos);
      throw new CaptureError(this.file, `unknown pcapng savefile major version number ${major}`, streamPos);
    }
    this.section++;
    this.globalInterfaceBase = this.allInterfaces.length;
    this.interfaces = [];
    if (this.section === 0) this.version = `${major}.${minor}`;
  }

  private version = '1.0';

  private interfaceDescription(buf: Buffer, body: number, bodyEnd: number, streamPos: number): void {
    if (bodyEnd - body < 8) {
      throw new CaptureError(this.file, 'block of type 1 in pcapng dump file is too short', streamPos);
    }
    const linkType = this.u16(buf, body);
    let snaplen = this.u32(buf, body + 4);
    const max = maxSnaplenForLinkType(linkType);
    if (snaplen === 0 || snaplen > INT_MAX) snaplen = max;
    const iface: InterfaceInfo = { linkType, snaplen, unitsPerSecond: 1e6, tsOffset: 0, section: this.section };
    let opt = body + 8;
    while (opt + 4 <= bodyEnd) {
      const code = this.u16(buf, opt);
      const len = this.u16(buf, opt + 2);
      const val = opt + 4;
      if (code === OPT_ENDOFOPT) break;
      if (val + len > bodyEnd) throw new CaptureError(this.file, 'option in an interface description block goes past the end of the block', streamPos);
      if (code === IF_TSRESOL && len === 1) {
        const r = buf[val]!;
        const exp = r & 0x7f;
        iface.unitsPerSecond = r & 0x80 ? 2 ** exp : 10 ** exp;
        if (!(iface.unitsPerSecond >= 1) || !Number.isFinite(iface.unitsPerSecond) || exp > (r & 0x80 ? 63 : 19)) {
          throw new CaptureError(this.file, `if_tsresol ${r} is out of range`, streamPos);
        }
      } else if (code === IF_TSOFFSET && len === 8) {
        const lo = this.u32(buf, this.little ? val : val + 4);
        const hi = this.little ? buf.readInt32LE(val + 4) : buf.readInt32BE(val);
        iface.tsOffset = hi * 4294967296 + lo;
      } else if (code === IF_NAME) {
        iface.name = buf.toString('utf8', val, val + len).replace(/\0+$/, '');
      }
      opt = val + ((len + 3) & ~3);
    }
    this.interfaces.push(iface);
    this.allInterfaces.push(iface);
    if (this.info === undefined) {
      this.info = {
        format: 'pcapng',
        byteOrder: this.little ? 'little' : 'big',
        precision: iface.unitsPerSecond > 1e6 ? 'nano' : 'micro',
        linkType,
        snaplen,
        version: this.version,
        interfaces: this.allInterfaces,
      };
      this.sink.onInfo(this.info);
    }
  }

  private packetBlock(type: number, buf: Buffer, body: number, bodyEnd: number, streamPos: number): void {
    if (this.info === undefined) {
      throw new CaptureError(this.file, 'the capture file has a packet block before any Interface Description Blocks', streamPos);
    }
    const rec = this.record;
    let ifId: number;
    let dataAt: number;
    let caplen: number;
    let wirelen: number;
    let tsHi = 0;
    let tsLo = 0;
    const fixed = type === BT_SPB ? 4 : 20;
    if (bodyEnd - body < fixed) {
      throw new CaptureError(this.file, `block of type ${type} in pcapng dump file is too short`, streamPos);
    }
    if (type === BT_EPB) {
      ifId = this.u32(buf, body);
      tsHi = this.u32(buf, body + 4);
      tsLo = this.u32(buf, body + 8);
      caplen = this.u32(buf, body + 12);
      wirelen = this.u32(buf, body + 16);
      dataAt = body + 20;
    } else if (type === BT_PB) {
      ifId = this.u16(buf, body);
      tsHi = this.u32(buf, body + 4);
      tsLo = this.u32(buf, body + 8);
      caplen = this.u32(buf, body + 12);
      wirelen = this.u32(buf, body + 16);
      dataAt = body + 20;
    } else {
      ifId = 0;
      wirelen = this.u32(buf, body);
      dataAt = body + 4;
      caplen = Math.min(wirelen, bodyEnd - dataAt);
    }
    const iface = this.interfaces[ifId];
    if (iface === undefined) {
      throw new CaptureError(
        this.file,
        `a packet arrived on interface ${ifId}, but there's no Interface Description Block for that interface`,
        streamPos,
      );
    }
    if (type === BT_SPB) caplen = Math.min(caplen, iface.snaplen);
    if (caplen > maxSnaplenForLinkType(iface.linkType)) {
      throw new CaptureError(
        this.file,
        caplen > iface.snaplen
          ? `invalid packet capture length ${caplen}, bigger than snaplen of ${iface.snaplen}`
          : `invalid packet capture length ${caplen}, bigger than maximum of ${maxSnaplenForLinkType(iface.linkType)}`,
        streamPos,
      );
    }
    if (dataAt + caplen > bodyEnd) {
      throw new CaptureError(this.file, `block of type ${type} in pcapng dump file is too short`, streamPos);
    }
    this.frame++;
    rec.data = buf;
    rec.offset = dataAt;
    rec.caplen = caplen;
    rec.wirelen = wirelen;
    if (type === BT_SPB) {
      rec.tsSec = 0;
      rec.tsNsec = 0;
    } else {
      splitTimestamp64(tsHi, tsLo, iface.unitsPerSecond, this.ts);
      rec.tsSec = this.ts[0]! + iface.tsOffset;
      rec.tsNsec = this.ts[1]!;
    }
    rec.linkType = iface.linkType;
    rec.snaplen = iface.snaplen;
    rec.interfaceId = ifId;
    rec.globalInterfaceId = this.globalInterfaceBase + ifId;
    rec.frame = this.frame;
    rec.recordOffset = streamPos;
    if (this.sink.onPacket(rec) === false) this.stopped = true;
  }

  finish(_buf: Buffer, pos: number, end: number, streamPos: number): void {
    const left = end - pos;
    if (this.stopped) return;
    if (this.section < 0) {
      throw new CaptureError(this.file, `truncated dump file; tried to read 4 file header bytes, only got ${left}`, streamPos);
    }
    if (left > 0) {
      if (left < 12) {
        throw new CaptureError(this.file, `truncated pcapng dump file; tried to read 8 bytes, only got ${left}`, streamPos);
      }
      const total = this.u32(_buf, pos + 4);
      throw new CaptureError(
        this.file,
        `truncated pcapng dump file; tried to read ${total - 8} bytes, only got ${left - 8}`,
        streamPos,
      );
    }
    if (this.info === undefined) {
      throw new CaptureError(this.file, 'the capture file has no Interface Description Blocks', -1);
    }
  }
}
