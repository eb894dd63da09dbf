/**
 * Host selection (`--host IP`) and the rules every endpoint analysis shares for which packets carry ports.
 */
import { parseIp } from '../decode/address.js';
import type { DecodedPacket } from '../decode/packet.js';
import { IPPROTO_TCP, IPPROTO_UDP } from '../wire/ipv4.js';

/** An IP address to compare decoded packets against without allocating. */
export class HostMatcher {
  readonly words = new Uint32Array(4);
  readonly version: number;

  /** Parses the address; throws a plain Error with a one-line message when it is not an IP address. */
  constructor(readonly text: string) {
    this.version = parseIp(text, this.words);
    if (this.version === 0) throw new Error(`not an IP address: '${text}'`);
  }

  /** Says whether the packet's source is this host. */
  isSource(p: DecodedPacket): boolean {
    const w = this.words;
    const s = p.src;
    return p.ipVersion === this.version && s[3] === w[3] && s[2] === w[2] && s[1] === w[1] && s[0] === w[0];
  }

  /** Says whether the words (4) at `a[o]` are this host. */
  isAt(version: number, a: Uint32Array, o: number): boolean {
    const w = this.words;
    return version === this.version && a[o] === w[0] && a[o + 1] === w[1] && a[o + 2] === w[2] && a[o + 3] === w[3];
  }
}

/** Options shared by ports, services and dports. */
export interface EndpointOptions {
  /** Only packets sent by this host. */
  host?: string;
  /**
   * Count only what tcpdump's filter language treats as TCP/UDP with ports: IPv6 packets with extension
   * headers are left out (libpcap's `port` and `tcp[]` do not walk them). Off by default: pcapsift walks
   * the headers and counts those packets too.
   */
  tcpdumpView?: boolean;
}

/**
 * Says whether a packet counts as TCP or UDP with ports: the transport header's ports were captured. A
 * non-first fragment has no ports (tcpdump prints it without any); an ICMP error quoting a UDP datagram is
 * ICMP, not the quoted ports (tcpdump prints it as ICMP too).
 */
export function hasTransportPorts(p: DecodedPacket, tcpdumpView: boolean): boolean {
  if (p.srcPort < 0) return false;
  if (p.protocol !== IPPROTO_TCP && p.protocol !== IPPROTO_UDP) return false;
  return !(tcpdumpView && p.extHeaders > 0);
}

/** The protocol word a row shows. */
export function protoName(proto: number): 'tcp' | 'udp' {
  return proto === IPPROTO_TCP ? 'tcp' : 'udp';
}

/** UTF-16 code units packed per word of a sort key: 3 x 16 bits stay exact in a double. */
const UNITS_PER_WORD = 3;
/** Words of each key compared as numbers; longer keys that tie on them fall back to comparing strings. */
const MAX_KEY_WORDS = 16;

/**
 * Orders rows as `sort -n` orders `uniq -c` output: by count, then by the printed key (JavaScript's string
 * order, by UTF-16 code unit); `desc` reverses. Rows with equal count and key keep their order.
 */
export function sortCounted<T>(rows: T[], count: (r: T) => number, key: (r: T) => string, desc = false): T[] {
  const n = rows.length;
  const counts = new Float64Array(n);
  const keys: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i]!;
    counts[i] = count(r);
    keys[i] = key(r);
  }
  const order = countedOrder(counts, keys);
  if (order !== undefined) {
    const copy = rows.slice();
    for (let i = 0; i < n; i++) rows[i] = copy[order[i]!]!;
  }
  if (desc) rows.reverse();
  return rows;
}

/**
 * The order of entries i (0..n-1) by counts[i], then keys[i] as strings, stable; undefined when they are
 * in order already (a second sort of the same rows). Comparing hundreds of thousands of strings that share
 * long prefixes ("10.20.") costs more than the whole packet pass, so each key is packed once into numbers,
 * three code units per word, padded with zeros (a shorter key sorts first, as a string prefix does), and
 * the sort compares numbers.
 */
export function countedOrder(counts: Float64Array, keys: readonly string[]): Int32Array | undefined {
  const n = keys.length;
  let width = 1;
  for (let i = 0; i < n; i++) if (keys[i]!.length > width) width = keys[i]!.length;
  const words = Math.min(MAX_KEY_WORDS, Math.ceil(width / UNITS_PER_WORD));
  const packed = new Float64Array(n * words);
  const lengths = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    const len = k.length;
    lengths[i] = len;
    const base = i * words;
    for (let w = 0, c = 0; w < words; w++, c += UNITS_PER_WORD) {
      const u0 = c < len ? k.charCodeAt(c) : 0;
      const u1 = c + 1 < len ? k.charCodeAt(c + 1) : 0;
      const u2 = c + 2 < len ? k.charCodeAt(c + 2) : 0;
      packed[base + w] = (u0 * 65536 + u1) * 65536 + u2;
    }
  }
  // Keys longer than the packed words and equal on them fall back to comparing the strings.
  const tie = width > words * UNITS_PER_WORD ? (a: number, b: number) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0) : undefined;
  return packedOrder(counts, n, packed, words, lengths, tie);
}

/**
 * Writes entry i's key as ASCII bytes at b[p] and returns the end (at most KEY_BYTES_MAX bytes): how a
 * table of hundreds of thousands of rows is sorted and printed without a string per row.
 */
export type KeyWriter = (i: number, b: Uint8Array, p: number) => number;

/** The longest key a KeyWriter may write (two IPv6 addresses of 45 characters, a protocol and a port fit). */
export const KEY_BYTES_MAX = 120;

/**
 * Every entry's key written once, back to back: sorted from and printed from (a key writer costs more than
 * copying its bytes, and the sort and the output both need every key).
 */
export class KeyBytes {
  /** Entry i's key is bytes[start[i], start[i + 1]). */
  readonly start: Int32Array;
  bytes: Uint8Array;
  /** The longest key's length. */
  longest = 0;

  constructor(n: number, writeKey: KeyWriter) {
    this.start = new Int32Array(n + 1);
    let bytes = new Uint8Array(Math.max(256, n * 40));
    let p = 0;
    for (let i = 0; i < n; i++) {
      if (p + KEY_BYTES_MAX > bytes.length) {
        const grown = new Uint8Array(bytes.length * 2);
        grown.set(bytes.subarray(0, p));
        bytes = grown;
      }
      const end = writeKey(i, bytes, p);
      if (end - p > this.longest) this.longest = end - p;
      p = end;
      this.start[i + 1] = p;
    }
    this.bytes = bytes;
  }

  /** Copies entry i's key to b[p] and returns the end. */
  copy(i: number, b: Uint8Array, p: number): number {
    const k = this.bytes;
    for (let j = this.start[i]!, end = this.start[i + 1]!; j < end; j++) b[p++] = k[j]!;
    return p;
  }
}

/** Like `countedOrder`, for keys written as ASCII bytes (six to a word: exact, and no key is longer). */
export function countedOrderBytes(counts: Float64Array, keys: KeyBytes): Int32Array | undefined {
  const n = keys.start.length - 1;
  const { bytes, start } = keys;
  // Packed as wide as the longest key, no wider: the sort reads entries at random, and 20 words an entry
  // for keys of ~35 bytes made every comparison two cache misses.
  const words = Math.max(1, Math.ceil(keys.longest / 6));
  const packed = new Float64Array(n * words);
  const lengths = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const from = start[i]!;
    const end = start[i + 1]!;
    lengths[i] = end - from;
    const base = i * words;
    for (let w = 0, c = from; c < end; w++, c += 6) {
      let v = 0;
      // Bytes past the key's end count as zero (a shorter key sorts first, as a prefix does).
      for (let j = c; j < c + 6; j++) v = v * 256 + (j < end ? bytes[j]! : 0);
      packed[base + w] = v;
    }
  }
  return packedOrder(counts, n, packed, words, lengths, undefined);
}

/** Sorts entry ids by count, then packed key words, then key length (stable); undefined when in order. */
function packedOrder(counts: Float64Array, n: number, packed: Float64Array, words: number, lengths: Int32Array, tie: ((a: number, b: number) => number) | undefined): Int32Array | undefined {
  let ordered = true;
  for (let i = 1; i < n && ordered; i++) {
    const c = comparePacked(counts, packed, words, lengths, i - 1, i);
    if (c > 0 || (c === 0 && tie !== undefined && tie(i - 1, i) > 0)) ordered = false;
  }
  if (ordered) return undefined;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  if (tie === undefined) {
    sortByCountThenKey(order, counts, packed, words, lengths);
    return order;
  }
  // Long string keys (rare): Array#sort with the string tie-break; it is stable, so equal entries keep their order.
  const list = Array.from(order);
  list.sort((a, b) => comparePacked(counts, packed, words, lengths, a, b) || tie(a, b));
  return Int32Array.from(list);
}

/** Entry a against entry b: count, then packed words, then length (equal words: the shorter key first). */
function comparePacked(counts: Float64Array, packed: Float64Array, words: number, lengths: Int32Array, a: number, b: number): number {
  const d = counts[a]! - counts[b]!;
  if (d !== 0) return d;
  const ab = a * words;
  const bb = b * words;
  for (let w = 0; w < words; w++) {
    const x = packed[ab + w]!;
    const y = packed[bb + w]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  // Equal words: equal keys, but for trailing NUL units the padding hides (the shorter sorts first).
  return lengths[a]! - lengths[b]!;
}

/**
 * Sorts ids 0..n-1 as `comparePacked` orders them, stably: a counting sort by count when the counts are
 * small integers (they are packet counts), then each count's keys apart, their words first copied together.
 * A count's keys fit in the cache where all the keys did not: sorting every id by reading the words through
 * it missed the cache at nearly every comparison (106 k service rows: ~90 ms, this ~30 ms).
 */
function sortByCountThenKey(order: Int32Array, counts: Float64Array, packed: Float64Array, words: number, lengths: Int32Array): void {
  const n = order.length;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const c = counts[i]!;
    if (!(c >= 0 && Number.isInteger(c)) || c > 4 * n + 1024) {
      mergeSortPacked(order, counts, packed, words, lengths);
      return;
    }
    if (c > max) max = c;
  }
  const starts = new Int32Array(max + 2);
  for (let i = 0; i < n; i++) starts[counts[i]! + 1]!++;
  for (let c = 1; c < starts.length; c++) starts[c]! += starts[c - 1]!;
  const at = starts.slice(0, max + 1);
  for (let i = 0; i < n; i++) order[at[counts[i]!]!++] = i;
  let biggest = 0;
  for (let c = 0; c <= max; c++) biggest = Math.max(biggest, starts[c + 1]! - starts[c]!);
  const local = new Float64Array(biggest * words);
  const localLengths = new Int32Array(biggest);
  const localIds = new Int32Array(biggest);
  const same = new Float64Array(biggest);
  const idx = new Int32Array(biggest);
  for (let c = 0; c <= max; c++) {
    const lo = starts[c]!;
    const m = starts[c + 1]! - lo;
    if (m < 2) continue;
    for (let j = 0; j < m; j++) {
      const id = order[lo + j]!;
      localIds[j] = id;
      localLengths[j] = lengths[id]!;
      for (let w = 0; w < words; w++) local[j * words + w] = packed[id * words + w]!;
      idx[j] = j;
    }
    const sub = idx.subarray(0, m);
    mergeSortPacked(sub, same, local, words, localLengths);
    for (let j = 0; j < m; j++) order[lo + j] = localIds[sub[j]!]!;
  }
}

/** Runs sorted by insertion before merging (short runs, few moves). */
const INSERTION_RUN = 12;

/**
 * A stable bottom-up merge sort of entry ids (`comparePacked` order): Array#sort through a comparator
 * closure took ~140 ms for the 106 k rows of `services` on the 1 M-packet capture, this about a third.
 */
function mergeSortPacked(ids: Int32Array, counts: Float64Array, packed: Float64Array, words: number, lengths: Int32Array): void {
  const n = ids.length;
  for (let lo = 0; lo < n; lo += INSERTION_RUN) {
    const hi = Math.min(n, lo + INSERTION_RUN);
    for (let i = lo + 1; i < hi; i++) {
      const v = ids[i]!;
      let j = i - 1;
      while (j >= lo && comparePacked(counts, packed, words, lengths, ids[j]!, v) > 0) {
        ids[j + 1] = ids[j]!;
        j--;
      }
      ids[j + 1] = v;
    }
  }
  let from: Int32Array = ids;
  let to: Int32Array = new Int32Array(n);
  for (let width = INSERTION_RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(n, lo + width);
      const hi = Math.min(n, lo + 2 * width);
      let i = lo;
      let j = mid;
      let k = lo;
      // Already in order across the seam: copy the pair of runs as it is.
      if (mid < hi && comparePacked(counts, packed, words, lengths, from[mid - 1]!, from[mid]!) <= 0) {
        to.set(from.subarray(lo, hi), lo);
        continue;
      }
      while (i < mid && j < hi) {
        // Ties take the left run's entry first: stable.
        if (comparePacked(counts, packed, words, lengths, from[j]!, from[i]!) < 0) to[k++] = from[j++]!;
        else to[k++] = from[i++]!;
      }
      while (i < mid) to[k++] = from[i++]!;
      while (j < hi) to[k++] = from[j++]!;
    }
    const t = from;
    from = to;
    to = t;
  }
  if (from !== ids) ids.set(from);
}

/**
 * The entries of counts/keys as `sortCounted` and `keepTop` order and keep rows, without a row object per
 * entry: the ids of the `top` largest counts (all without top), in `sort -n` order, reversed with `desc`.
 */
export function countedIds(counts: Float64Array, keys: readonly string[], top: number | undefined, desc: boolean): Int32Array {
  return keepCounted(counts, countedOrder(counts, keys) ?? Int32Array.from({ length: keys.length }, (_, i) => i), top, desc);
}

/** Like `countedIds`, for keys written as bytes. */
export function countedIdsBytes(counts: Float64Array, keys: KeyBytes, top: number | undefined, desc: boolean): Int32Array {
  return keepCounted(counts, countedOrderBytes(counts, keys) ?? Int32Array.from({ length: keys.start.length - 1 }, (_, i) => i), top, desc);
}

/** Keeps the ids (in `sort -n` order) of the `top` largest counts, in their order; reversed with `desc`. */
function keepCounted(counts: Float64Array, ordered: Int32Array, top: number | undefined, desc: boolean): Int32Array {
  const n = ordered.length;
  let ids = ordered;
  if (top !== undefined && n > top) {
    const threshold = Float64Array.from(counts.subarray(0, n)).sort()[n - top]!;
    let above = 0;
    for (let i = 0; i < n; i++) if (counts[i]! > threshold) above++;
    const kept = new Int32Array(Math.min(n, top));
    let k = 0;
    for (let i = 0; i < n; i++) {
      const c = counts[ids[i]!]!;
      if (c > threshold || (c === threshold && above < top && ++above)) kept[k++] = ids[i]!;
    }
    ids = kept.subarray(0, k);
  }
  if (desc) ids.reverse();
  return ids;
}

/** Keeps the `top` rows with the largest counts (all when top is undefined), in their current order. */
export function keepTop<T>(rows: T[], count: (r: T) => number, top: number | undefined): T[] {
  if (top === undefined || rows.length <= top) return rows;
  const threshold = [...rows].map(count).sort((a, b) => b - a)[top - 1]!;
  const out: T[] = [];
  let above = rows.filter((r) => count(r) > threshold).length;
  for (const r of rows) {
    const c = count(r);
    if (c > threshold) out.push(r);
    else if (c === threshold && above < top) {
      out.push(r);
      above++;
    }
  }
  return out;
}
