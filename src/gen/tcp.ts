/**
 * TCP segments (RFC 9293) with options and a correct checksum over the IPv4 or IPv6 pseudo-header.
 *
 *   0 source port (2)   2 destination port (2)   4 sequence number (4)   8 acknowledgment number (4)
 *   12 data offset (4 bits) | reserved | AE (1 bit)   13 flags CWR ECE URG ACK PSH RST SYN FIN
 *   14 window (2)   16 checksum (2)   18 urgent pointer (2)   20 options ... data
 */
import { internetChecksum, pseudoHeaderSum } from './checksum.js';
import { IPPROTO_TCP } from '../wire/ipv4.js';
import {
  TCP_ACK, TCP_CHECKSUM, TCP_DPORT, TCP_FLAGS, TCP_MIN_HEADER_LEN, TCP_OFFSET, TCP_SEQ, TCP_SPORT, TCP_URGENT,
  TCP_WINDOW, TCPOPT_EOL, TCPOPT_MAXSEG, TCPOPT_NOP, TCPOPT_SACK, TCPOPT_SACKOK, TCPOPT_TIMESTAMP,
  TCPOPT_WSCALE, TH_ACK, TH_CWR, TH_ECE, TH_FIN, TH_PUSH, TH_RST, TH_SYN, TH_URG,
} from '../wire/tcp.js';
import type { TransportSegment } from './transport.js';

export type TcpOption =
  | { kind: 'mss'; value: number }
  | { kind: 'wscale'; shift: number }
  | { kind: 'sackOK' }
  | { kind: 'sack'; blocks: ReadonlyArray<readonly [number, number]> }
  | { kind: 'ts'; val: number; ecr: number }
  | { kind: 'nop' }
  | { kind: 'eol' }
  | { kind: 'raw'; bytes: Uint8Array };

/** Flags as a number, or as letters: F S R P A U E (ECE) W (CWR), e.g. 'SA', 'PA', 'FA', 'R'. */
export type TcpFlags = number | string;

export interface TcpSpec {
  sport: number;
  dport: number;
  seq?: number;
  ack?: number;
  flags: TcpFlags;
  window?: number;
  urgent?: number;
  options?: readonly TcpOption[];
  payload?: Uint8Array;
  /** Overrides the checksum (to build a bad one). */
  checksum?: number;
  /** Overrides the data offset field (in 32-bit words). */
  dataOffset?: number;
}

const LETTERS: Record<string, number> = { F: TH_FIN, S: TH_SYN, R: TH_RST, P: TH_PUSH, A: TH_ACK, U: TH_URG, E: TH_ECE, W: TH_CWR };

/** Converts flag letters to the flag byte. */
export function tcpFlagBits(flags: TcpFlags): number {
  if (typeof flags === 'number') return flags & 0xff;
  let v = 0;
  for (const ch of flags) {
    const bit = LETTERS[ch.toUpperCase()];
    if (bit === undefined) throw new Error(`unknown TCP flag letter '${ch}'`);
    v |= bit;
  }
  return v;
}

/** Encodes TCP options, padded with EOL to a multiple of 4 bytes. */
export function encodeTcpOptions(options: readonly TcpOption[]): Buffer {
  const parts: number[] = [];
  const u32 = (v: number) => parts.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
  for (const o of options) {
    switch (o.kind) {
      case 'mss':
        parts.push(TCPOPT_MAXSEG, 4, (o.value >> 8) & 0xff, o.value & 0xff);
        break;
      case 'wscale':
        parts.push(TCPOPT_WSCALE, 3, o.shift);
        break;
      case 'sackOK':
        parts.push(TCPOPT_SACKOK, 2);
        break;
      case 'sack':
        parts.push(TCPOPT_SACK, 2 + 8 * o.blocks.length);
        for (const [l, r] of o.blocks) {
          u32(l);
          u32(r);
        }
        break;
      case 'ts':
        parts.push(TCPOPT_TIMESTAMP, 10);
        u32(o.val);
        u32(o.ecr);
        break;
      case 'nop':
        parts.push(TCPOPT_NOP);
        break;
      case 'eol':
        parts.push(TCPOPT_EOL);
        break;
      case 'raw':
        parts.push(...o.bytes);
        break;
    }
  }
  while (parts.length % 4 !== 0) parts.push(TCPOPT_EOL);
  return Buffer.from(parts);
}

/** Linux's SYN options: mss, sackOK, TS, nop, wscale (20 bytes). */
export function linuxSynOptions(mss: number, tsVal: number, tsEcr: number, wscale: number): TcpOption[] {
  return [{ kind: 'mss', value: mss }, { kind: 'sackOK' }, { kind: 'ts', val: tsVal, ecr: tsEcr }, { kind: 'nop' }, { kind: 'wscale', shift: wscale }];
}

/** Linux's options after the handshake: nop, nop, TS (12 bytes). */
export function timestampOptions(tsVal: number, tsEcr: number): TcpOption[] {
  return [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'ts', val: tsVal, ecr: tsEcr }];
}

/** Encodes a segment into b at pos (the header and payload), checksum left zero. Returns the length. */
function encodeInto(spec: TcpSpec, opts: Buffer, b: Buffer): void {
  b.writeUInt16BE(spec.sport, TCP_SPORT);
  b.writeUInt16BE(spec.dport, TCP_DPORT);
  b.writeUInt32BE((spec.seq ?? 0) >>> 0, TCP_SEQ);
  b.writeUInt32BE((spec.ack ?? 0) >>> 0, TCP_ACK);
  const hl = TCP_MIN_HEADER_LEN + opts.length;
  b[TCP_OFFSET] = ((spec.dataOffset ?? hl / 4) & 0xf) << 4;
  b[TCP_FLAGS] = tcpFlagBits(spec.flags);
  b.writeUInt16BE((spec.window ?? 65535) & 0xffff, TCP_WINDOW);
  b.writeUInt16BE((spec.urgent ?? 0) & 0xffff, TCP_URGENT);
  opts.copy(b, TCP_MIN_HEADER_LEN);
  if (spec.payload) b.set(spec.payload, hl);
}

/** Builds a TCP segment for an IP builder. */
export function tcpSegment(spec: TcpSpec): TransportSegment {
  return {
    protocol: IPPROTO_TCP,
    encode(src, dst) {
      const opts = encodeTcpOptions(spec.options ?? []);
      if (opts.length > 40) throw new Error('tcpSegment: options longer than 40 bytes');
      const b = Buffer.alloc(TCP_MIN_HEADER_LEN + opts.length + (spec.payload?.length ?? 0));
      encodeInto(spec, opts, b);
      const sum = internetChecksum(b, 0, b.length, pseudoHeaderSum(src, dst, IPPROTO_TCP, b.length));
      b.writeUInt16BE(spec.checksum ?? sum, TCP_CHECKSUM);
      return b;
    },
  };
}
