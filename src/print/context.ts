/**
 * The state one PacketPrinter reuses for every packet: the line being built, the packet's bytes, the end
 * of the captured bytes as the current layer sees it (tcpdump's snapend), the address-string caches and
 * the TCP sequence-number table. Printers are plain functions over this context; reads go through the
 * checked fetches below, which throw the one TRUNCATED sentinel past `end`.
 */
import { hexAsciiText } from './hexdump.js';
import { Line, TRUNCATED, TRUNCATED_SOFT } from './line.js';
import type { PrintOptions } from './options.js';
import { TcpSeqTable } from './tcp-seq.js';

const EMPTY = Buffer.alloc(0);

/** Two lowercase hex digits for every octet value. */
export const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export class PrintContext {
  readonly line = new Line();
  data: Buffer = EMPTY;
  /** First byte of the packet in `data`. */
  start = 0;
  /** End (exclusive) of the bytes the current layer may read: narrowed by IP lengths, as tcpdump's snapend. */
  end = 0;
  /** Length of the link-layer header(s), for -x/-X/-A without the link header. */
  linkHeaderLen = 0;
  private readonly v6Names = new Map<string, string>();
  /** tcpdump's tcp_seq_hash: TCP conversations and their sequence-number bases, IPv4 and IPv6 apart. */
  readonly tcpSeq4 = new TcpSeqTable(3);
  readonly tcpSeq6 = new TcpSeqTable(9);

  constructor(readonly opts: PrintOptions) {}

  /**
   * Appends tcpdump's default printer output (hex and ASCII) for bytes no printer decodes, unless -q, -x or
   * -X suppress it (the dump those print follows anyway).
   */
  defaultPrint(at: number, length: number): void {
    const o = this.opts;
    if (o.quiet || o.hex || o.hexAscii) return;
    this.line.text += hexAsciiText(this.data, at, length, this.end, '\n\t');
  }

  /** Appends text to the line. */
  out(text: string): void {
    this.line.text += text;
  }

  /**
   * Returns the dotted-quad text of the IPv4 address at `at` (checked). Not cached: a cache of 131 k names
   * was cleared and refilled on captures with more hosts, so its strings lived long enough to reach the old
   * generation and died there (10 M packets: peak RSS 203 MB with it, 154 MB without), and building the
   * text from V8's cached small-number strings measured faster than the Map lookup.
   */
  ipv4(at: number): string {
    if (at + 4 > this.end) throw TRUNCATED;
    const d = this.data;
    return `${d[at]}.${d[at + 1]}.${d[at + 2]}.${d[at + 3]}`;
  }

  /** Returns the RFC 5952-style text tcpdump prints for the IPv6 address at `at` (checked), cached. */
  ipv6(at: number): string {
    if (at + 16 > this.end) throw TRUNCATED;
    const key = this.data.toString('latin1', at, at + 16);
    let s = this.v6Names.get(key);
    if (s === undefined) {
      s = formatIpv6(this.data, at);
      if (this.v6Names.size > 1 << 16) this.v6Names.clear();
      this.v6Names.set(key, s);
    }
    return s;
  }

  /** Returns the `aa:bb:cc:dd:ee:ff` text of the MAC address at `at` (checked). */
  mac(at: number): string {
    if (at + 6 > this.end) throw TRUNCATED;
    const d = this.data;
    return `${HEX2[d[at]!]}:${HEX2[d[at + 1]!]}:${HEX2[d[at + 2]!]}:${HEX2[d[at + 3]!]}:${HEX2[d[at + 4]!]}:${HEX2[d[at + 5]!]}`;
  }
}

/** Reads one octet, or throws TRUNCATED past the captured end. */
export function u8(c: PrintContext, at: number): number {
  if (at >= c.end) throw TRUNCATED;
  return c.data[at]!;
}

/** Reads a big-endian 16-bit value, or throws TRUNCATED. */
export function u16(c: PrintContext, at: number): number {
  if (at + 2 > c.end) throw TRUNCATED;
  const d = c.data;
  return (d[at]! << 8) | d[at + 1]!;
}

/** Reads a big-endian unsigned 32-bit value, or throws TRUNCATED. */
export function u32(c: PrintContext, at: number): number {
  if (at + 4 > c.end) throw TRUNCATED;
  const d = c.data;
  return ((d[at]! << 24) | (d[at + 1]! << 16) | (d[at + 2]! << 8) | d[at + 3]!) >>> 0;
}

/** Throws TRUNCATED unless `n` bytes at `at` were captured (tcpdump's ND_TCHECK_LEN). */
export function check(c: PrintContext, at: number, n: number): void {
  if (at + n > c.end || n < 0) throw TRUNCATED_SOFT;
}

/** Says whether `n` bytes at `at` were captured (tcpdump's ND_TTEST_LEN). */
export function has(c: PrintContext, at: number, n: number): boolean {
  return at + n <= c.end && n >= 0;
}

/** Formats an IPv6 address as tcpdump's addrtostr6 (inet_ntop): longest zero run of 2+ as `::`. */
export function formatIpv6(d: Uint8Array, at: number): string {
  const w = [0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < 8; i++) w[i] = (d[at + 2 * i]! << 8) | d[at + 2 * i + 1]!;
  let bestBase = -1;
  let bestLen = 0;
  let curBase = -1;
  let curLen = 0;
  for (let i = 0; i < 8; i++) {
    if (w[i] === 0) {
      if (curBase === -1) {
        curBase = i;
        curLen = 1;
      } else curLen++;
    } else if (curBase !== -1) {
      if (bestBase === -1 || curLen > bestLen) {
        bestBase = curBase;
        bestLen = curLen;
      }
      curBase = -1;
    }
  }
  if (curBase !== -1 && (bestBase === -1 || curLen > bestLen)) {
    bestBase = curBase;
    bestLen = curLen;
  }
  if (bestBase !== -1 && bestLen < 2) bestBase = -1;
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase !== -1 && i >= bestBase && i < bestBase + bestLen) {
      if (i === bestBase) s += ':';
      continue;
    }
    if (i !== 0) s += ':';
    if (i === 6 && bestBase === 0 && (bestLen === 6 || (bestLen === 5 && w[5] === 0xffff))) {
      s += `${d[at + 12]}.${d[at + 13]}.${d[at + 14]}.${d[at + 15]}`;
      break;
    }
    s += w[i]!.toString(16);
  }
  if (bestBase !== -1 && bestBase + bestLen === 8) s += ':';
  return s;
}

// The same checked reads for printers handed (data, offset, end) rather than a PrintContext: the
// application-layer printers (DNS, NTP, BOOTP, DHCPv6, ZEP), which tcpdump's UDP/TCP code also calls that way.

/** Reads the octet at `at` of data[..end), or throws TRUNCATED. */
export function u8At(data: Uint8Array, at: number, end: number): number {
  if (at >= end) throw TRUNCATED;
  return data[at]!;
}

/** Reads a big-endian 16-bit value at `at` of data[..end), or throws TRUNCATED. */
export function u16At(data: Uint8Array, at: number, end: number): number {
  if (at + 2 > end) throw TRUNCATED;
  return readU16(data, at);
}

/** Reads a big-endian unsigned 32-bit value at `at` of data[..end), or throws TRUNCATED. */
export function u32At(data: Uint8Array, at: number, end: number): number {
  if (at + 4 > end) throw TRUNCATED;
  return readU32(data, at);
}

/** Reads a big-endian 16-bit value the caller has bounds-checked. */
export function readU16(data: Uint8Array, at: number): number {
  return (data[at]! << 8) | data[at + 1]!;
}

/** Reads a big-endian unsigned 32-bit value the caller has bounds-checked. */
export function readU32(data: Uint8Array, at: number): number {
  return ((data[at]! << 24) | (data[at + 1]! << 16) | (data[at + 2]! << 8) | data[at + 3]!) >>> 0;
}
