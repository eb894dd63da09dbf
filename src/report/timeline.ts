/**
 * Counts packets and the TCP flags an analyst watches (SYN, SYN/ACK, RST, FIN) per second, in one pass and
 * bounded memory, then folds the seconds into at most MAX_TIMELINE_BUCKETS buckets of a round width
 * (sub-second buckets for captures of a minute or less).
 *
 * Seconds are counted in typed arrays indexed from the first packet's second. A capture spanning more than
 * MAX_FINE_SLOTS units coarsens the unit (1 s -> 1 min -> 1 h -> 1 day): every round width the report may
 * pick for such a span is a multiple of the coarser unit, so the fold stays exact. Out-of-order timestamps
 * (merged captures) before the first packet shift the arrays; that is rare and costs one copy.
 */
import { MAX_TIMELINE_BUCKETS, type Timeline } from './model.js';

/** TCP flag bits (RFC 9293 §3.1). */
export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_ACK = 0x10;

/** Pass as `tcpFlags` for a packet that is not a TCP segment. */
export const NOT_TCP = -1;

/** The most counting slots kept at one unit before coarsening (about 12 days of seconds). */
export const MAX_FINE_SLOTS = 1 << 20;

/** Units the counting arrays coarsen through; each divides every round width used for spans it serves. */
const UNITS = [1, 60, 3600, 86400];

/**
 * Short captures (a scan of a few seconds) are shown in fine buckets: counts are also kept per FINE_UNIT
 * (10 ms) in a window of FINE_SLOTS around the first packet, used when the whole capture spans at most
 * FINE_MAX_SPAN seconds and fits the window.
 */
export const FINE_PER_SECOND = 100;
export const FINE_SLOTS = 12_000;
/** Slots of the window before the first packet (for out-of-order timestamps). */
const FINE_LEAD = 3_000;
export const FINE_MAX_SPAN = 60;
/** Sub-second bucket widths, in fine units (0.01 s .. 0.5 s). */
export const FINE_WIDTHS = [1, 2, 5, 10, 20, 50];
/** Sub-second buckets are used up to this many: thinner spikes than that are hard to read. */
export const FINE_MAX_BUCKETS = 500;

/** Round bucket widths in seconds, finest first. */
export const BUCKET_WIDTHS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800,
  1209600, 2592000, 7776000, 31536000,
];

const SERIES = 5;
const S_PACKETS = 0;
const S_SYN = 1;
const S_SYNACK = 2;
const S_RST = 3;
const S_FIN = 4;

/** Adds one packet's counts at `slot`. */
function countInto(c: Uint32Array[], slot: number, tcpFlags: number): void {
  c[S_PACKETS]![slot]!++;
  if (tcpFlags < 0) return;
  if (tcpFlags & TCP_SYN) {
    if (tcpFlags & TCP_ACK) c[S_SYNACK]![slot]!++;
    else c[S_SYN]![slot]!++;
  }
  if (tcpFlags & TCP_RST) c[S_RST]![slot]!++;
  if (tcpFlags & TCP_FIN) c[S_FIN]![slot]!++;
}

/** Picks the round bucket width that shows `span` seconds in at most `maxBuckets` buckets. */
export function pickBucketWidth(span: number, maxBuckets = MAX_TIMELINE_BUCKETS, unit = 1): number {
  for (const w of BUCKET_WIDTHS) {
    if (w % unit !== 0) continue;
    if (Math.floor(span / w) + 1 <= maxBuckets) return w;
  }
  // A span beyond a few thousand years: fall back to whole multiples of a year.
  const year = 31536000;
  return Math.ceil((span + 1) / (maxBuckets * year)) * year;
}

export class TimelineBuilder {
  /** Seconds per counting slot. */
  private unit = 1;
  private unitIndex = 0;
  /** Epoch second of slot 0 (a multiple of unit). */
  private base = 0;
  private used = 0;
  private counts: Uint32Array[] = [];
  private minSec = Number.POSITIVE_INFINITY;
  private maxSec = Number.NEGATIVE_INFINITY;
  private packets = 0;
  /** The fine window: counts per 10 ms, slot 0 at fineBase (in fine units since the epoch). */
  private fine: Uint32Array[] | null = [];
  private fineBase = 0;
  private fineMin = Number.POSITIVE_INFINITY;
  private fineMax = Number.NEGATIVE_INFINITY;

  constructor(private readonly maxBuckets = MAX_TIMELINE_BUCKETS) {
    for (let s = 0; s < SERIES; s++) {
      this.counts.push(new Uint32Array(1024));
      this.fine!.push(new Uint32Array(FINE_SLOTS));
    }
  }

  /** Counts one packet: its timestamp (seconds, nanoseconds) and its TCP flags byte, or NOT_TCP. */
  add(tsSec: number, tsNsec: number, tcpFlags: number): void {
    if (this.packets === 0) {
      this.base = tsSec - (tsSec % this.unit);
      this.fineBase = tsSec * FINE_PER_SECOND - FINE_LEAD;
    }
    this.packets++;
    if (tsSec < this.minSec) this.minSec = tsSec;
    if (tsSec > this.maxSec) this.maxSec = tsSec;
    let slot = Math.floor((tsSec - this.base) / this.unit);
    if (slot < 0 || slot >= this.counts[0]!.length) slot = this.makeRoom(tsSec);
    if (slot >= this.used) this.used = slot + 1;
    countInto(this.counts, slot, tcpFlags);
    if (this.fine !== null) {
      const f = tsSec * FINE_PER_SECOND + Math.floor(tsNsec / (1e9 / FINE_PER_SECOND));
      const fineSlot = f - this.fineBase;
      if (fineSlot < 0 || fineSlot >= FINE_SLOTS) {
        this.fine = null;
      } else {
        if (f < this.fineMin) this.fineMin = f;
        if (f > this.fineMax) this.fineMax = f;
        countInto(this.fine, fineSlot, tcpFlags);
      }
    }
  }

  /** Returns the timeline: at most maxBuckets buckets from the first packet's bucket to the last's. */
  finish(): Timeline {
    if (this.packets === 0) return { start: 0, bucket: 1, packets: [], syn: [], synAck: [], rst: [], fin: [] };
    if (this.fine !== null && this.fineMax - this.fineMin <= FINE_MAX_SPAN * FINE_PER_SECOND) {
      const t = this.finishFine();
      if (t !== null) return t;
    }
    const span = this.maxSec - this.minSec;
    const width = pickBucketWidth(span, this.maxBuckets, this.unit);
    const start = this.minSec - (this.minSec % width);
    const n = Math.floor((this.maxSec - start) / width) + 1;
    const out: number[][] = [];
    for (let s = 0; s < SERIES; s++) out.push(new Array<number>(n).fill(0));
    for (let slot = 0; slot < this.used; slot++) {
      const sec = this.base + slot * this.unit;
      const b = Math.floor((sec - start) / width);
      if (b < 0 || b >= n) continue;
      for (let s = 0; s < SERIES; s++) out[s]![b]! += this.counts[s]![slot]!;
    }
    return { start, bucket: width, packets: out[S_PACKETS]!, syn: out[S_SYN]!, synAck: out[S_SYNACK]!, rst: out[S_RST]!, fin: out[S_FIN]! };
  }

  /** Folds the fine window into sub-second buckets, or returns null when whole seconds fit better. */
  private finishFine(): Timeline | null {
    const span = this.fineMax - this.fineMin;
    const width = FINE_WIDTHS.find((w) => Math.floor(span / w) + 1 <= Math.min(this.maxBuckets, FINE_MAX_BUCKETS));
    if (width === undefined) return null;
    const start = this.fineMin - (this.fineMin % width);
    const n = Math.floor((this.fineMax - start) / width) + 1;
    const out: number[][] = [];
    for (let s = 0; s < SERIES; s++) out.push(new Array<number>(n).fill(0));
    for (let f = this.fineMin; f <= this.fineMax; f++) {
      const slot = f - this.fineBase;
      const b = Math.floor((f - start) / width);
      for (let s = 0; s < SERIES; s++) out[s]![b]! += this.fine![s]![slot]!;
    }
    return {
      start: start / FINE_PER_SECOND,
      bucket: width / FINE_PER_SECOND,
      packets: out[S_PACKETS]!,
      syn: out[S_SYN]!,
      synAck: out[S_SYNACK]!,
      rst: out[S_RST]!,
      fin: out[S_FIN]!,
    };
  }

  /** Grows, shifts or coarsens the arrays so `tsSec` has a slot; returns that slot. */
  private makeRoom(tsSec: number): number {
    for (;;) {
      const lo = Math.min(this.base, tsSec - (tsSec % this.unit));
      const hi = Math.max(this.base + (this.used - 1) * this.unit, tsSec);
      const slotsNeeded = Math.floor((hi - lo) / this.unit) + 1;
      if (slotsNeeded <= MAX_FINE_SLOTS || this.unitIndex === UNITS.length - 1 && slotsNeeded <= MAX_FINE_SLOTS * 8) {
        const shift = (this.base - lo) / this.unit;
        const len = this.counts[0]!.length;
        let cap = len;
        while (cap < slotsNeeded) cap *= 2;
        if (shift > 0 || cap !== len) {
          for (let s = 0; s < SERIES; s++) {
            const next = new Uint32Array(cap);
            next.set(this.counts[s]!.subarray(0, this.used), shift);
            this.counts[s] = next;
          }
          this.used += shift;
          this.base = lo;
        }
        return Math.floor((tsSec - this.base) / this.unit);
      }
      if (this.unitIndex === UNITS.length - 1) {
        // Timestamps further apart than ~23000 years: a broken file; keep the count, lose the place.
        return tsSec < this.base ? 0 : this.used - 1;
      }
      this.coarsen();
    }
  }

  /** Moves the counts to the next coarser unit. */
  private coarsen(): void {
    const oldUnit = this.unit;
    this.unitIndex++;
    this.unit = UNITS[this.unitIndex]!;
    const newBase = this.base - (((this.base % this.unit) + this.unit) % this.unit);
    const lastSec = this.base + (this.used - 1) * oldUnit;
    const newUsed = Math.floor((lastSec - newBase) / this.unit) + 1;
    let cap = 1024;
    while (cap < newUsed) cap *= 2;
    for (let s = 0; s < SERIES; s++) {
      const next = new Uint32Array(cap);
      const old = this.counts[s]!;
      for (let slot = 0; slot < this.used; slot++) {
        const v = old[slot]!;
        if (v !== 0) next[Math.floor((this.base + slot * oldUnit - newBase) / this.unit)]! += v;
      }
      this.counts[s] = next;
    }
    this.base = newBase;
    this.used = newUsed;
  }
}
