/**
 * Splits a plain capture file into record-aligned ranges so that several threads can read it at once.
 *
 * Nothing in a pcap file marks where records start, so a cut at any offset is moved forward to the first
 * position where a chain of consecutive record headers is plausible (lengths within the snapshot length,
 * fractions below one second, timestamps near their neighbours) and the chain ends exactly at the file's end
 * or runs for CHAIN records. pcapng blocks repeat their length at both ends, which makes the check much
 * stronger. Readers of a pcapng range also report structure blocks they meet (ReadResult.rangeUnsafe), so a
 * caller can fall back to a sequential read and stay exact.
 *
 * Whether a position starts a chain depends only on the file's bytes from there on (the search window grows
 * until the chain is decided), so the boundary found after an offset is the same whichever thread looks for
 * it, and boundaries found after increasing offsets never decrease: threads that each work out their own
 * blocks' edges (CaptureBlocks) cover every record exactly once without talking to each other.
 */
import * as fs from 'node:fs';
import { BT_EPB, BT_IDB, BT_PB, BT_SHB, BT_SPB } from './pcapng.js';
import { PCAP_MAGIC_KUZNETZOV, PCAP_MAGIC_MICRO, PCAP_MAGIC_NANO, PCAP_RECORD_HEADER_LEN } from './pcap.js';
import type { CaptureRange } from './reader.js';

/** Consecutive valid records required to accept a cut point. */
const CHAIN = 32;
/** How far past a cut point to look for a record boundary before giving up on splitting. */
const SEARCH_BYTES = 4 << 20;
/** The search window's first size: a boundary is usually found within a few records. */
const FIRST_WINDOW = 64 << 10;
/** The window never grows past this: a chain that needs more makes the file unsplittable. */
const MAX_WINDOW = 64 << 20;
/** Larger wire lengths than this mark a false record boundary (TSO frames stay far below it). */
const MAX_PLAUSIBLE_WIRELEN = 16 << 20;
/** Timestamps of neighbouring records further apart than this (seconds) mark a false boundary. */
const MAX_PLAUSIBLE_GAP = 86400;
/** Below this size a file is read on one thread. */
export const MIN_SPLIT_BYTES = 16 << 20;
/** pcapng blocks start at multiples of 4. */
const PCAPNG_ALIGN = 4;

/** What a boundary search needs to know about a file; plain data, so it can be posted to a worker. */
export type SplitLayout =
  | { kind: 'pcap'; little: boolean; fracLimit: number; snaplen: number; preambleEnd: number; size: number }
  | { kind: 'pcapng'; little: boolean; preambleEnd: number; size: number };

/**
 * Reads a file's preamble and returns its layout, or undefined when it cannot be split safely (gzip,
 * smaller than minBytes, not a regular file, Kuznetzov's format, a pcapng preamble without packets).
 */
export function splitLayout(file: string, minBytes = MIN_SPLIT_BYTES): SplitLayout | undefined {
  if (file === '-') return undefined;
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size < minBytes) return undefined;
    const head = Buffer.alloc(Math.min(st.size, 1 << 20));
    const got = fs.readSync(fd, head, 0, head.length, 0);
    return preamble(head.subarray(0, got), st.size);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Returns `parts` ranges covering every record of the file exactly once, or undefined when the file cannot
 * be split safely (gzip, too small, not a file, no boundary found).
 */
export function splitCapture(file: string, parts: number, minBytes = MIN_SPLIT_BYTES): CaptureRange[] | undefined {
  if (parts < 2) return undefined;
  const layout = splitLayout(file, minBytes);
  if (layout === undefined) return undefined;
  const finder = BoundaryFinder.open(file, layout);
  if (finder === undefined) return undefined;
  try {
    const cuts: number[] = [layout.preambleEnd];
    for (let k = 1; k < parts; k++) {
      const at = Math.max(Math.floor((layout.size * k) / parts), cuts[cuts.length - 1]! + 1);
      const found = finder.find(at);
      if (found === undefined || found >= layout.size) return undefined;
      cuts.push(found);
    }
    cuts.push(layout.size);
    const ranges: CaptureRange[] = [];
    for (let i = 0; i < parts; i++) ranges.push({ preambleEnd: layout.preambleEnd, start: cuts[i]!, end: cuts[i + 1]! });
    return ranges;
  } finally {
    finder.close();
  }
}

/**
 * A file cut into `count` blocks of about the same size, for threads that take blocks in turn: block i holds
 * the records that start in [boundary(i), boundary(i + 1)), where boundary(0) is the end of the preamble,
 * boundary(count) the end of the file, and boundary(i) otherwise the first record boundary at or after
 * preambleEnd + i * blockBytes. Plain data, so it can be posted to a worker.
 */
export interface BlockPlan {
  layout: SplitLayout;
  blockBytes: number;
  count: number;
}

/** Blocks per thread: enough that threads finishing at different times wait at most a small block. */
const BLOCKS_PER_THREAD = 24;
const MIN_BLOCK_BYTES = 64 << 10;
/** Large enough that per-block costs (two boundary searches, one partial read) stay below 1%. */
const MAX_BLOCK_BYTES = 32 << 20;

/** Plans blocks for `threads` threads (blockBytes forces a block size), or undefined when not worth it. */
export function planBlocks(file: string, threads: number, minBytes = MIN_SPLIT_BYTES, blockBytes?: number): BlockPlan | undefined {
  if (threads < 2) return undefined;
  const layout = splitLayout(file, minBytes);
  if (layout === undefined) return undefined;
  const body = layout.size - layout.preambleEnd;
  const bytes =
    blockBytes ?? Math.min(MAX_BLOCK_BYTES, Math.max(MIN_BLOCK_BYTES, Math.ceil(body / (threads * BLOCKS_PER_THREAD))));
  const count = Math.max(1, Math.ceil(body / bytes));
  if (count < 2) return undefined;
  return { layout, blockBytes: bytes, count };
}

/** Works out the record-aligned range of any block of a plan, on the thread that reads it. */
export class CaptureBlocks {
  private lastEndBlock = -1;
  private lastEnd = 0;

  private constructor(
    readonly plan: BlockPlan,
    private readonly finder: BoundaryFinder,
  ) {}

  /** Opens the file for boundary searches; undefined when it cannot be opened. */
  static open(file: string, plan: BlockPlan): CaptureBlocks | undefined {
    const finder = BoundaryFinder.open(file, plan.layout);
    return finder === undefined ? undefined : new CaptureBlocks(plan, finder);
  }

  /** Block i's range, or undefined when no record boundary was found near one of its edges. */
  range(i: number): CaptureRange | undefined {
    // A thread often takes consecutive blocks: the previous block's end is this one's start.
    const start = i === this.lastEndBlock ? this.lastEnd : this.boundary(i);
    const end = this.boundary(i + 1);
    if (start === undefined || end === undefined) return undefined;
    this.lastEndBlock = i + 1;
    this.lastEnd = end;
    return { preambleEnd: this.plan.layout.preambleEnd, start, end };
  }

  close(): void {
    this.finder.close();
  }

  private boundary(i: number): number | undefined {
    const { layout, blockBytes, count } = this.plan;
    if (i <= 0) return layout.preambleEnd;
    if (i >= count) return layout.size;
    return this.finder.find(layout.preambleEnd + i * blockBytes);
  }
}

/** What a chain of records starting at a position says about it. */
const BOUNDARY = 0;
const NOT_BOUNDARY = 1;
/** The chain runs past the bytes at hand: read more and look again. */
const NEED_MORE = 2;
type Verdict = typeof BOUNDARY | typeof NOT_BOUNDARY | typeof NEED_MORE;

/** Finds record boundaries in one open file. */
export class BoundaryFinder {
  private window = Buffer.allocUnsafe(FIRST_WINDOW);

  private constructor(
    private readonly fd: number,
    private readonly layout: SplitLayout,
  ) {}

  static open(file: string, layout: SplitLayout): BoundaryFinder | undefined {
    try {
      return new BoundaryFinder(fs.openSync(file, 'r'), layout);
    } catch {
      return undefined;
    }
  }

  close(): void {
    fs.closeSync(this.fd);
  }

  /**
   * Returns the first record boundary at or after `at`: the file's size when the rest of the file holds none
   * (`at` falls in the last record), undefined when none lies within SEARCH_BYTES or deciding would need a
   * window larger than MAX_WINDOW.
   */
  find(at: number): number | undefined {
    const { size } = this.layout;
    if (at >= size) return size;
    const step = this.layout.kind === 'pcapng' ? PCAPNG_ALIGN : 1;
    let len = this.extend(at, 0, FIRST_WINDOW);
    for (let p = at + ((step - (at % step)) % step); p < size; p += step) {
      if (p - at >= SEARCH_BYTES) return undefined;
      for (;;) {
        const v = this.judge(p - at, len, at);
        if (v === BOUNDARY) return p;
        if (v === NOT_BOUNDARY) break;
        if (len >= MAX_WINDOW) return undefined;
        len = this.extend(at, len, Math.min(MAX_WINDOW, len * 2));
      }
    }
    return size;
  }

  /**
   * Makes the window hold the file's bytes from `at` up to `want` of them, given that it holds `len`
   * already (growing it when needed, keeping those); returns how many it holds (fewer at the end of the file).
   */
  private extend(at: number, len: number, want: number): number {
    if (this.window.length < want) {
      const grown = Buffer.allocUnsafe(want);
      this.window.copy(grown, 0, 0, len);
      this.window = grown;
    }
    let got = len;
    while (got < want) {
      const n = fs.readSync(this.fd, this.window, got, want - got, at + got);
      if (n === 0) break;
      got += n;
    }
    return got;
  }

  /** Judges whether window offset r (file offset at + r) starts a chain of records. */
  private judge(r: number, len: number, at: number): Verdict {
    const layout = this.layout;
    const buf = this.window;
    // The window holds everything up to the end of the file: running past it is a verdict, not a need.
    const short = at + len >= layout.size ? NOT_BOUNDARY : NEED_MORE;
    const little = layout.little;
    const u32 = (o: number): number => (little ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
    let q = r;
    let n = 0;
    if (layout.kind === 'pcap') {
      let prevSec = -1;
      for (; n < CHAIN; n++) {
        if (at + q === layout.size) break; // the chain ends exactly at the end of the file
        if (q + PCAP_RECORD_HEADER_LEN > len) return short;
        const sec = u32(q);
        const frac = u32(q + 4);
        const caplen = u32(q + 8);
        const wirelen = u32(q + 12);
        // Runs of zeros or small numbers in a packet read as chains of empty records, 16 bytes apart: a chain
        // must hold bytes (a capture whose records are often empty is read on one thread).
        if (caplen === 0 || frac >= layout.fracLimit || caplen > layout.snaplen || caplen > wirelen || wirelen > MAX_PLAUSIBLE_WIRELEN) {
          return NOT_BOUNDARY;
        }
        if (prevSec >= 0 && Math.abs(sec - prevSec) > MAX_PLAUSIBLE_GAP) return NOT_BOUNDARY;
        prevSec = sec;
        q += PCAP_RECORD_HEADER_LEN + caplen;
        if (at + q > layout.size) return NOT_BOUNDARY;
      }
    } else {
      for (; n < CHAIN; n++) {
        if (at + q === layout.size) break;
        if (q + 8 > len) return short;
        const type = u32(q);
        const total = u32(q + 4);
        if (n === 0 && type !== BT_EPB && type !== BT_SPB && type !== BT_PB) return NOT_BOUNDARY;
        if (type === BT_SHB || type === BT_IDB || total < 12 || total % 4 !== 0) return NOT_BOUNDARY;
        if (at + q + total > layout.size) return NOT_BOUNDARY;
        if (q + total > len) return short;
        if (u32(q + total - 4) !== total) return NOT_BOUNDARY;
        q += total;
      }
    }
    return n > 0 ? BOUNDARY : NOT_BOUNDARY;
  }
}

function preamble(head: Buffer, size: number): SplitLayout | undefined {
  if (head.length < 24) return undefined;
  const le = head.readUInt32LE(0);
  const be = head.readUInt32BE(0);
  for (const [magic, little] of [
    [le, true],
    [be, false],
  ] as const) {
    if (magic === PCAP_MAGIC_MICRO || magic === PCAP_MAGIC_NANO) {
      const raw = little ? head.readUInt32LE(16) : head.readUInt32BE(16);
      const snaplen = raw === 0 || raw > 0x7fffffff ? 262144 : raw;
      return { kind: 'pcap', little, fracLimit: magic === PCAP_MAGIC_NANO ? 1e9 : 1e6, snaplen, preambleEnd: 24, size };
    }
    if (magic === PCAP_MAGIC_KUZNETZOV) return undefined;
  }
  if (le === BT_SHB) return pcapngPreamble(head, size);
  return undefined;
}

/** The pcapng preamble: every block before the first packet block. */
function pcapngPreamble(head: Buffer, size: number): SplitLayout | undefined {
  const bom = head.readUInt32LE(8);
  const little = bom === 0x1a2b3c4d;
  if (!little && bom !== 0x4d3c2b1a) return undefined;
  const u32 = (o: number): number => (little ? head.readUInt32LE(o) : head.readUInt32BE(o));
  let p = 0;
  while (p + 12 <= head.length) {
    const type = u32(p);
    const total = u32(p + 4);
    if (total < 12 || total % 4 !== 0) return undefined;
    if (type === BT_EPB || type === BT_SPB || type === BT_PB) return { kind: 'pcapng', little, preambleEnd: p, size };
    p += total;
  }
  return undefined;
}
