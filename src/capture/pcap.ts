/**
 * The classic libpcap savefile format (https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-03.html).
 *
 *   file header (24 bytes)              record header (16 bytes; 24 in Kuznetzov's modified format)
 *   0  magic        4  version 2.4      0  ts seconds     4  ts fraction (usec or nsec)
 *   8  thiszone     12 sigfigs          8  captured len   12 original len
 *   16 snaplen      20 link type (low 26 bits; the rest are FCS flags)
 *
 * Errors use libpcap's (sf-pcap.c) words so that an analyst who knows tcpdump recognises them.
 */
import { CaptureError } from './errors.js';
import type { FormatParser, RecordSink } from './format.js';
import { INT_MAX, maxSnaplenForLinkType } from './link-types.js';
import { newPacketRecord, type CaptureInfo } from './packet.js';

export const PCAP_MAGIC_MICRO = 0xa1b2c3d4;
export const PCAP_MAGIC_NANO = 0xa1b23c4d;
/** Alexey Kuznetzov's modified format: 8 more bytes per record header (ifindex, protocol, pkt_type). */
export const PCAP_MAGIC_KUZNETZOV = 0xa1b2cd34;

export const PCAP_FILE_HEADER_LEN = 24;
export const PCAP_RECORD_HEADER_LEN = 16;

const LINKTYPE_MASK = 0x03ffffff;

/** Says whether a 32-bit value read little-endian from a file's first bytes is a pcap magic, in either order. */
export function isPcapMagic(le32: number): boolean {
  const be32 = swap32(le32);
  for (const m of [PCAP_MAGIC_MICRO, PCAP_MAGIC_NANO, PCAP_MAGIC_KUZNETZOV]) if (le32 === m || be32 === m) return true;
  return false;
}

function swap32(v: number): number {
  return (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;
}

/** Parses a pcap stream: its file header, then records. */
export class PcapParser implements FormatParser {
  need = 4;
  stopped = false;
  stopAt = Infinity;
  private headerDone = false;
  private little = true;
  private nano = false;
  private recordHeaderLen = PCAP_RECORD_HEADER_LEN;
  private snaplen = 0;
  private maxSnaplen = 262144;
  private linkType = 0;
  private frame = 0;
  private readonly record = newPacketRecord();

  constructor(
    private readonly file: string,
    private readonly sink: RecordSink,
  ) {}

  parse(buf: Buffer, pos: number, end: number, streamPos: number): number {
    if (!this.headerDone) {
      if (end - pos < PCAP_FILE_HEADER_LEN) {
        this.need = PCAP_FILE_HEADER_LEN;
        return pos;
      }
      this.parseHeader(buf, pos);
      pos += PCAP_FILE_HEADER_LEN;
      streamPos += PCAP_FILE_HEADER_LEN;
    }
    const rec = this.record;
    const little = this.little;
    const hlen = this.recordHeaderLen;
    const fracScale = this.nano ? 1 : 1000;
    const snaplen = this.snaplen;
    const maxSnaplen = this.maxSnaplen;
    const stopAt = this.stopAt;
    const sink = this.sink;
    // A DataView over the reader's buffer: V8 compiles its reads to plain loads (Buffer#readUInt32LE
    // validates its argument on every call, which dominated the loop).
    const view = this.viewFor(buf);
    let frame = this.frame;
    rec.data = buf;
    while (!this.stopped) {
      if (streamPos >= stopAt) {
        this.stopped = true;
        break;
      }
      if (end - pos < hlen) {
        this.need = hlen;
        break;
      }
      const caplen = view.getUint32(pos + 8, little);
      let keep = caplen;
      if (caplen > maxSnaplen) {
        this.frame = frame;
        throw new CaptureError(
          this.file,
          caplen > snaplen
            ? `invalid packet capture length ${caplen}, bigger than snaplen of ${snaplen}`
            : `invalid packet capture length ${caplen}, bigger than maximum of ${maxSnaplen}`,
          streamPos,
        );
      }
      // libpcap keeps at most `snaplen` bytes of an oversized record and skips the rest.
      if (caplen > snaplen) keep = snaplen;
      const total = hlen + caplen;
      if (end - pos < total) {
        this.need = total;
        break;
      }
      frame++;
      rec.offset = pos + hlen;
      rec.caplen = keep;
      rec.wirelen = view.getUint32(pos + 12, little);
      rec.tsSec = view.getUint32(pos, little);
      rec.tsNsec = view.getUint32(pos + 4, little) * fracScale;
      rec.frame = frame;
      rec.recordOffset = streamPos;
      pos += total;
      streamPos += total;
      if (sink.onPacket(rec) === false) this.stopped = true;
    }
    this.frame = frame;
    return pos;
  }

  private view: DataView | undefined;
  private viewBuf: Buffer | undefined;

  private viewFor(buf: Buffer): DataView {
    if (this.viewBuf !== buf || this.view === undefined) {
      this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
      this.viewBuf = buf;
    }
    return this.view;
  }

  private parseHeader(buf: Buffer, pos: number): void {
    const le = buf.readUInt32LE(pos);
    let magic: number;
    if (le === PCAP_MAGIC_MICRO || le === PCAP_MAGIC_NANO || le === PCAP_MAGIC_KUZNETZOV) {
      this.little = true;
      magic = le;
    } else {
      this.little = false;
      magic = buf.readUInt32BE(pos);
    }
    this.nano = magic === PCAP_MAGIC_NANO;
    if (magic === PCAP_MAGIC_KUZNETZOV) this.recordHeaderLen = 24;
    const u16 = (o: number) => (this.little ? buf.readUInt16LE(pos + o) : buf.readUInt16BE(pos + o));
    const u32 = (o: number) => (this.little ? buf.readUInt32LE(pos + o) : buf.readUInt32BE(pos + o));
    const major = u16(4);
    const minor = u16(6);
    if (major < 2) throw new CaptureError(this.file, 'archaic pcap savefile format', 4);
    if (!(major === 2 && minor <= 4) && !(major === 543 && minor === 0)) {
      throw new CaptureError(this.file, `unsupported pcap savefile version ${major}.${minor}`, 4);
    }
    this.linkType = u32(20) & LINKTYPE_MASK;
    this.maxSnaplen = maxSnaplenForLinkType(this.linkType);
    let snaplen = u32(16);
    // libpcap replaces a zero or absurd (above INT_MAX) snapshot length with the link type's maximum.
    if (snaplen === 0 || snaplen > INT_MAX) snaplen = this.maxSnaplen;
    this.snaplen = snaplen;
    this.headerDone = true;
    this.record.linkType = this.linkType;
    this.record.snaplen = snaplen;
    const info: CaptureInfo = {
      format: 'pcap',
      byteOrder: this.little ? 'little' : 'big',
      precision: this.nano ? 'nano' : 'micro',
      linkType: this.linkType,
      snaplen,
      version: `${major}.${minor}`,
      interfaces: [
        { linkType: this.linkType, snaplen, unitsPerSecond: this.nano ? 1e9 : 1e6, tsOffset: 0, section: 0 },
      ],
    };
    this.sink.onInfo(info);
  }

  finish(_buf: Buffer, pos: number, end: number, streamPos: number): void {
    const left = end - pos;
    if (!this.headerDone) {
      // libpcap reads the 4-byte magic, then the other 20 bytes of the header.
      throw new CaptureError(
        this.file,
        left < 4
          ? `truncated dump file; tried to read 4 file header bytes, only got ${left}`
          : `truncated dump file; tried to read ${PCAP_FILE_HEADER_LEN} file header bytes, only got ${left - 4}`,
        streamPos,
      );
    }
    if (left === 0 || this.stopped) return;
    if (left < this.recordHeaderLen) {
      throw new CaptureError(
        this.file,
        `truncated dump file; tried to read ${this.recordHeaderLen} header bytes, only got ${left}`,
        streamPos,
      );
    }
    const caplen = this.little ? _buf.readUInt32LE(pos + 8) : _buf.readUInt32BE(pos + 8);
    throw new CaptureError(
      this.file,
      `truncated dump file; tried to read ${caplen} captured bytes, only got ${left - this.recordHeaderLen}`,
      streamPos,
    );
  }
}
