/**
 * Splits a plain capture file into record-aligned ranges so that several threads can read it at once.
 *
 * Nothing in a pcap file marks where records start, so each cut point is moved forward to the first offset
 * where a chain of consecutive record headers is plausible (lengths within the snapshot length, fractions
 * below one second, timestamps near their neighbours) and the chain ends exactly at the file's end or runs
 * for CHAIN records. pcapng blocks repeat their length at both ends, which makes the check much stronger.
 * Readers of a pcapng range also report structure blocks they meet (ReadResult.rangeUnsafe), so a caller
 * can fall back to a sequential read and stay exact.
 */
import * as fs from 'node:fs';
import { BT_EPB, BT_IDB, BT_PB, BT_SHB, BT_SPB } from './pcapng.js';
import { PCAP_MAGIC_KUZNETZOV, PCAP_MAGIC_MICRO, PCAP_MAGIC_NANO } from './pcap.js';
import type { CaptureRange } from './reader.js';

/** Consecutive valid records required to accept a cut point. */
const CHAIN = 32;
/** How far past a cut point to look for a record boundary. */
const WINDOW = 4 << 20;
/** Larger wire lengths than this mark a false record boundary (TSO frames stay far below it). */
const MAX_PLAUSIBLE_WIRELEN = 16 << 20;
/** Below this size a file is read on one thread. */
export const MIN_SPLIT_BYTES = 16 << 20;

/**
 * Returns `parts` ranges covering every record of the file exactly once, or undefined when the file cannot
 * be split safely (gzip, too small, not a file, no boundary found).
 */
export function splitCapture(file: string, parts: number, minBytes = MIN_SPLIT_BYTES): CaptureRange[] | undefined {
  if (parts < 2 || file === '-') return undefined;
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size < minBytes) return undefined;
    const size = st.size;
    const head = Buffer.alloc(Math.min(size, 1 << 20));
    fs.readSync(fd, head, 0, head.length, 0);
    const layout = preamble(head);
    if (layout === undefined) return undefined;
    const cuts: number[] = [layout.preambleEnd];
    const window = Buffer.alloc(WINDOW);
    for (let k = 1; k < parts; k++) {
      const at = Math.max(Math.floor((size * k) / parts), cuts[cuts.length - 1]! + 1);
      const got = fs.readSync(fd, window, 0, WINDOW, at);
      const found = layout.findBoundary(window, got, at, size);
      if (found === undefined) return undefined;
      if (found <= cuts[cuts.length - 1]!) return undefined;
      cuts.push(found);
    }
    cuts.push(size);
    const ranges: CaptureRange[] = [];
    for (let i = 0; i < parts; i++) ranges.push({ preambleEnd: layout.preambleEnd, start: cuts[i]!, end: cuts[i + 1]! });
    return ranges;
  } finally {
    fs.closeSync(fd);
  }
}

interface Layout {
  preambleEnd: number;
  /** The first record boundary at or after `at`, given `len` bytes of the file from `at` in `buf`. */
  findBoundary(buf: Buffer, len: number, at: number, fileSize: number): number | undefined;
}

function preamble(head: Buffer): Layout | undefined {
  if (head.length < 24) return undefined;
  const le = head.readUInt32LE(0);
  const be = head.readUInt32BE(0);
  for (const [magic, little] of [
    [le, true],
    [be, false],
  ] as const) {
    if (magic === PCAP_MAGIC_MICRO || magic === PCAP_MAGIC_NANO) {
      const snaplen = little ? head.readUInt32LE(16) : head.readUInt32BE(16);
      return pcapLayout(little, magic === PCAP_MAGIC_NANO ? 1e9 : 1e6, snaplen === 0 || snaplen > 0x7fffffff ? 262144 : snaplen);
    }
    if (magic === PCAP_MAGIC_KUZNETZOV) return undefined;
  }
  if (le === BT_SHB) return pcapngLayout(head);
  return undefined;
}

function pcapLayout(little: boolean, fracLimit: number, snaplen: number): Layout {
  const u32 = (b: Buffer, o: number) => (little ? b.readUInt32LE(o) : b.readUInt32BE(o));
  return {
    preambleEnd: 24,
    findBoundary(buf, len, at, fileSize) {
      for (let p = 0; p + 16 <= len; p++) {
        let q = p;
        let prevSec = -1;
        let ok = true;
        let n = 0;
        for (; n < CHAIN; n++) {
          if (at + q === fileSize) break; // the chain ends exactly at the end of the file
          if (q + 16 > len) {
            ok = false;
            break;
          }
          const sec = u32(buf, q);
          const frac = u32(buf, q + 4);
          const caplen = u32(buf, q + 8);
          const wirelen = u32(buf, q + 12);
          if (frac >= fracLimit || caplen > snaplen || caplen > wirelen || wirelen > MAX_PLAUSIBLE_WIRELEN) {
            ok = false;
            break;
          }
          if (prevSec >= 0 && Math.abs(sec - prevSec) > 86400) {
            ok = false;
            break;
          }
          prevSec = sec;
          q += 16 + caplen;
          if (at + q > fileSize) {
            ok = false;
            break;
          }
        }
        if (ok && (n === CHAIN || at + q === fileSize) && n > 0) return at + p;
      }
      return undefined;
    },
  };
}

function pcapngLayout(head: Buffer): Layout | undefined {
  const bom = head.readUInt32LE(8);
  const little = bom === 0x1a2b3c4d;
  if (!little && bom !== 0x4d3c2b1a) return undefined;
  const u32 = (b: Buffer, o: number) => (little ? b.readUInt32LE(o) : b.readUInt32BE(o));
  // The preamble: every block before the first packet block.
  let p = 0;
  let preambleEnd = -1;
  while (p + 12 <= head.length) {
    const type = u32(head, p);
    const total = u32(head, p + 4);
    if (total < 12 || total % 4 !== 0) return undefined;
    if (type === BT_EPB || type === BT_SPB || type === BT_PB) {
      preambleEnd = p;
      break;
    }
    p += total;
  }
  if (preambleEnd < 0) return undefined;
  return {
    preambleEnd,
    findBoundary(buf, len, at, fileSize) {
      for (let s = (4 - (at % 4)) % 4; s + 12 <= len; s += 4) {
        let q = s;
        let n = 0;
        let ok = true;
        for (; n < CHAIN; n++) {
          if (at + q === fileSize) break;
          if (q + 12 > len) {
            ok = false;
            break;
          }
          const type = u32(buf, q);
          const total = u32(buf, q + 4);
          if (n === 0 && type !== BT_EPB && type !== BT_SPB && type !== BT_PB) {
            ok = false;
            break;
          }
          if (type === BT_SHB || type === BT_IDB || total < 12 || total % 4 !== 0 || q + total > len) {
            ok = false;
            break;
          }
          if (u32(buf, q + total - 4) !== total) {
            ok = false;
            break;
          }
          q += total;
        }
        if (ok && n > 0 && (n === CHAIN || at + q === fileSize)) return at + s;
      }
      return undefined;
    },
  };
}
