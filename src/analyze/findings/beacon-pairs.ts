/**
 * Collects, for every source -> destination pair, what RITA scores beacons from (connection start times
 * in whole seconds and originator IP bytes, as Zeek's conn.log gives them), then scores each pair with
 * `scoreBeacon` when the capture ends. Pairs a reported scan already explains are dropped afterwards
 * (pair-detectors.ts).
 */
import { scoreBeacon, beaconLevel, STROBE_CONNECTIONS } from './beacons.js';
import type { Connection } from './connections.js';
import { KeptFlows } from './kept.js';
import type { Detector, FinishContext } from './detector.js';
import { isPrivate, PairIndex, type HostIds } from './hosts.js';
import { allOf, dstPorts, firstFrames, isoTime, keepFirstFrames, sortedPorts } from './evidence.js';
import { IPPROTO_TCP as PROTO_TCP } from '../../wire/ipv4.js';
import type { FindingsOptions } from './options.js';
import type { BeaconDetails, Finding } from './types.js';

export { isPrivate } from './hosts.js';

/** RITA's histogram has a bin per hour of a day's dataset. */
export const SECONDS_PER_DAY = 86400;

function grownF64(a: Float64Array, n: number): Float64Array {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}

function grownI32(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

/**
 * Every source -> destination pair in columns (a row per pair), and each pair's connections as a linked
 * list in columns too: most pairs see one or two connections, and tens of thousands of small objects
 * would cost more to collect than to fill.
 */
class PairRows {
  readonly index = new PairIndex();
  rows = 0;
  src: Int32Array = new Int32Array(1024);
  dst: Int32Array = new Int32Array(1024);
  packets: Float64Array = new Float64Array(1024);
  start: Float64Array = new Float64Array(1024).fill(Infinity);
  end: Float64Array = new Float64Array(1024).fill(-Infinity);
  /** The first destination port; the set of them once a second one appears (in `ports`). */
  port: Int32Array = new Int32Array(1024);
  readonly ports = new Map<number, Set<number>>();
  tcp: Int32Array = new Int32Array(1024);
  udp: Int32Array = new Int32Array(1024);
  count: Int32Array = new Int32Array(1024);
  head: Int32Array = new Int32Array(1024);
  tail: Int32Array = new Int32Array(1024);
  // ---- connections: start second, originator IP bytes, first frame, next connection of the pair (-1)
  conns = 0;
  second: Float64Array = new Float64Array(4096);
  bytes: Float64Array = new Float64Array(4096);
  frame: Float64Array = new Float64Array(4096);
  next: Int32Array = new Int32Array(4096);

  /** The row of a pair, made on first sight. */
  row(src: number, dst: number): number {
    const r = this.index.row(src, dst);
    if (!this.index.created) return r;
    this.rows++;
    if (r === this.src.length) this.grow(r * 2);
    this.src[r] = src;
    this.dst[r] = dst;
    this.port[r] = -1;
    this.head[r] = -1;
    return r;
  }

  /** Appends a connection to a pair's list. */
  addConnection(r: number, second: number, bytes: number, frame: number): void {
    const i = this.conns++;
    if (i === this.second.length) {
      const n = i * 2;
      this.second = grownF64(this.second, n);
      this.bytes = grownF64(this.bytes, n);
      this.frame = grownF64(this.frame, n);
      this.next = grownI32(this.next, n);
    }
    this.second[i] = second;
    this.bytes[i] = bytes;
    this.frame[i] = frame;
    this.next[i] = -1;
    if (this.head[r] === -1) this.head[r] = i;
    else this.next[this.tail[r]!] = i;
    this.tail[r] = i;
    this.count[r]!++;
  }

  private grow(n: number): void {
    const old = this.src.length;
    this.src = grownI32(this.src, n);
    this.dst = grownI32(this.dst, n);
    this.packets = grownF64(this.packets, n);
    this.start = grownF64(this.start, n);
    this.start.fill(Infinity, old);
    this.end = grownF64(this.end, n);
    this.end.fill(-Infinity, old);
    this.port = grownI32(this.port, n);
    this.tcp = grownI32(this.tcp, n);
    this.udp = grownI32(this.udp, n);
    this.count = grownI32(this.count, n);
    this.head = grownI32(this.head, n);
    this.tail = grownI32(this.tail, n);
  }
}

export class BeaconDetector implements Detector {
  private readonly pairs = new PairRows();
  private datasetMin = Infinity;
  private datasetMax = -Infinity;
  /** The sweep's flows (see KeptFlows), and the cursor to read them again. */
  private readonly kept = new KeptFlows();
  private cursor: Connection | undefined;

  constructor(
    private readonly options: FindingsOptions,
    private readonly hosts: HostIds,
  ) {}

  connection(c: Connection): void {
    if (c.origPkts === 0) return;
    // Crafted probes (odd flags, no answer) are not a program's connections; RITA's input, Zeek, would
    // log them, but they belong to the odd-flags and scan findings.
    if (c.proto === PROTO_TCP && !c.sawSyn && c.origPayload + c.respPayload === 0) return;
    const start = c.start;
    const second = Math.floor(start);
    if (second < this.datasetMin) this.datasetMin = second;
    if (second > this.datasetMax) this.datasetMax = second;
    // Pairs inside the private space are never scored (unless asked): keep nothing for them.
    if (!this.options.beaconPrivatePairs && this.hosts.isPrivate(c.origId) && this.hosts.isPrivate(c.respId)) return;
    if (c.kept) {
      // Most pairs see too few connections to be scored: note the flow, file it only if its pair can be.
      if (this.cursor === undefined) this.kept.reserve(c.keptCount);
      this.cursor = c;
      this.kept.push(c.origId, c.respId, 0, c.keptId);
      return;
    }
    this.file(c, start, second);
  }

  /** Files a connection under its pair. */
  private file(c: Connection, start: number, second: number): void {
    const r = this.pairs.row(c.origId, c.respId);
    this.fileInto(r, start, second, c.last, c.origPkts + c.respPkts, c.origIpBytes, c.frame0, c.respPort, c.proto === PROTO_TCP);
  }

  /** Files a connection, given by its numbers, under pair row `r`. */
  private fileInto(r: number, start: number, second: number, last: number, packets: number, bytes: number, frame: number, port: number, tcp: boolean): void {
    const p = this.pairs;
    p.packets[r] += packets;
    if (start < p.start[r]!) p.start[r] = start;
    if (last > p.end[r]!) p.end[r] = last;
    if (p.count[r]! >= STROBE_CONNECTIONS) return;
    p.addConnection(r, second, bytes, frame);
    if (p.port[r]! < 0) p.port[r] = port;
    else if (port !== p.port[r]) {
      let set = p.ports.get(r);
      if (set === undefined) p.ports.set(r, (set = new Set([p.port[r]!])));
      if (set.size < 100) set.add(port);
    }
    if (tcp) p.tcp[r]!++;
    else p.udp[r]!++;
  }

  /**
   * Files the flows noted in the sweep of the pairs that reach the connection threshold, pairs in the order
   * they first appeared (as their rows would have been numbered), each pair's flows in order. The flows
   * are read in row order first (notes are in row order: the table's rows stream by, where reading them
   * pair by pair jumps across the table for every flow), then filed pair by pair from what was read.
   */
  private fileKept(): void {
    const k = this.kept;
    const c = this.cursor;
    if (k.n === 0 || c === undefined) return;
    const order = k.grouped();
    const threshold = this.options.beaconScoring.uniqueConnectionThreshold;
    const rows = this.pairs;
    const scored: number[] = [];
    const chosen = new Uint8Array(k.n);
    let count = 0;
    for (let g = 0; g < k.n; ) {
      const first = order[g]!;
      let e = g + 1;
      while (e < k.n && k.sameKey(first, order[e]!)) e++;
      let total = e - g;
      if (total < threshold && rows.rows > 0) {
        const r = rows.index.find(k.k0[first]!, k.k1[first]!);
        if (r >= 0) total += rows.count[r]!;
      }
      if (total >= threshold) {
        scored.push(g);
        for (let i = g; i < e; i++) chosen[order[i]!] = 1;
        count += e - g;
      }
      g = e;
    }
    if (count === 0) return;
    // What filing needs of each chosen flow, by its place among the chosen (in note order).
    const slotOf = new Int32Array(k.n);
    const start = new Float64Array(count);
    const last = new Float64Array(count);
    const packets = new Float64Array(count);
    const bytes = new Float64Array(count);
    const frame = new Float64Array(count);
    const port = new Int32Array(count);
    const tcp = new Uint8Array(count);
    for (let note = 0, slot = 0; note < k.n; note++) {
      if (chosen[note] === 0) continue;
      const t = c.keptTable(k.id[note]!);
      const id = c.keptRow(k.id[note]!);
      slotOf[note] = slot;
      start[slot] = t.start(id);
      last[slot] = t.last(id);
      packets[slot] = t.totalPackets(id);
      bytes[slot] = t.ipBytes(id, 0);
      frame[slot] = t.firstFrame(id);
      port[slot] = t.respPort(id);
      tcp[slot] = t.proto(id) === PROTO_TCP ? 1 : 0;
      slot++;
    }
    scored.sort((x, y) => order[x]! - order[y]!);
    for (const g of scored) {
      const first = order[g]!;
      const r = rows.row(k.k0[first]!, k.k1[first]!);
      for (let e = g; e < k.n && k.sameKey(first, order[e]!); e++) {
        const s = slotOf[order[e]!]!;
        this.fileInto(r, start[s]!, Math.floor(start[s]!), last[s]!, packets[s]!, bytes[s]!, frame[s]!, port[s]!, tcp[s] === 1);
      }
    }
  }

  finish(_ctx: FinishContext): Finding[] {
    this.fileKept();
    const o = this.options;
    const out: Finding[] = [];
    const rows = this.pairs;
    for (let row = 0; row < rows.rows; row++) {
      if (rows.count[row]! < o.beaconScoring.uniqueConnectionThreshold) continue;
      const src = this.hosts.name(rows.src[row]!);
      const dst = this.hosts.name(rows.dst[row]!);
      if (!o.beaconPrivatePairs && isPrivate(src) && isPrivate(dst)) continue;
      const starts: number[] = [];
      const bytes: number[] = [];
      const frames: number[] = [];
      for (let i = rows.head[row]!; i >= 0; i = rows.next[i]!) {
        starts.push(rows.second[i]!);
        bytes.push(rows.bytes[i]!);
        keepFirstFrames(frames, rows.frame[i]!, o.sampleFrames);
      }
      const p = {
        packets: rows.packets[row]!,
        start: rows.start[row]!,
        end: rows.end[row]!,
        port: rows.port[row]!,
        ports: rows.ports.get(row),
        tcp: rows.tcp[row]!,
        udp: rows.udp[row]!,
      };
      const r = scoreBeacon(starts, bytes, this.datasetMin, this.datasetMax, o.beaconScoring);
      if (!r.scored || r.score < o.beaconMinScore) continue;
      if (this.datasetMax - this.datasetMin < SECONDS_PER_DAY && r.timestamp < o.beaconMinTimingScore) continue;
      const level = beaconLevel(r.score);
      const ports = sortedPorts(p.ports ?? [p.port]);
      const details: BeaconDetails = {
        type: 'beacon',
        score: r.score,
        level,
        subscores: { timestamp: r.timestamp, dataSize: r.dataSize, histogram: r.histogram, duration: r.duration },
        connections: r.connections,
        uniqueTimestamps: r.uniqueTimestamps,
        datasetStart: this.datasetMin,
        datasetEnd: this.datasetMax,
        intervalMedian: r.intervalMedian,
        intervalMad: r.intervalMad,
        intervalSkew: r.intervalSkew,
        intervalMode: r.intervalMode,
        intervalModeCount: r.intervalModeCount,
        bytesMedian: r.bytesMedian,
        bytesMad: r.bytesMad,
        bytesMode: r.bytesMode,
        bytesModeCount: r.bytesModeCount,
        histogram: r.bins,
        histogramBars: r.bars,
        longestRun: r.longestRun,
      };
      const proto = p.tcp > 0 && p.udp === 0 ? 'TCP ' : p.udp > 0 && p.tcp === 0 ? 'UDP ' : '';
      out.push({
        kind: 'beacon',
        severity: level === 'High' || level === 'Critical' ? 'high' : level === 'Medium' ? 'medium' : 'low',
        source: src,
        targets: [dst],
        ports,
        start: p.start,
        end: p.end,
        packets: p.packets,
        frames: firstFrames(frames, o.sampleFrames),
        explanation:
          `${src} opened ${r.connections} ${proto}connections to ${dst} from ${isoTime(p.start)} to ${isoTime(p.end)}, ` +
          `typically every ${r.intervalMedian} s (jitter ${r.intervalMad} s; most common interval ${r.intervalMode} s, ${r.intervalModeCount} times), ` +
          `sending ${r.bytesMedian} bytes each (most often ${r.bytesMode}, ${r.bytesModeCount} times), across ${r.bars} of 24 slices of the capture. ` +
          `Software that calls home on a clock, with the same amount of data each time, is how malware keeps in touch with ` +
          `its command-and-control server. RITA v5 score ${r.score} (${level}): timestamps ${r.timestamp}, data size ${r.dataSize}, ` +
          `histogram ${r.histogram}, duration ${r.duration}.`,
        filter: allOf([`src host ${src}`, `dst host ${dst}`, dstPorts(ports)]),
        details,
      });
    }
    return out;
  }
}
