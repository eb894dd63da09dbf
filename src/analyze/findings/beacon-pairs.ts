/**
 * Collects, for every source -> destination pair, what RITA scores beacons from (connection start times
 * in whole seconds and originator IP bytes, as Zeek's conn.log gives them), then scores each pair with
 * `scoreBeacon` when the capture ends. Pairs a reported scan already explains are not scored.
 */
import { scoreBeacon, beaconLevel, STROBE_CONNECTIONS } from './beacons.js';
import type { Connection } from './connections.js';
import type { Detector, FinishContext } from './detector.js';
import { HostMap, isPrivate, type HostIds } from './hosts.js';
import { allOf, dstPorts, firstFrames, isoTime, isV6, keepFirstFrames, sortedPorts } from './evidence.js';
import { IPPROTO_TCP as PROTO_TCP } from '../../decode/packet.js';
import type { FindingsOptions } from './options.js';
import type { BeaconDetails, Finding } from './types.js';

export { isPrivate } from './hosts.js';

/** RITA's histogram has a bin per hour of a day's dataset. */
export const SECONDS_PER_DAY = 86400;

class Pair {
  /** Per connection: start second, originator IP bytes, first frame (three numbers each, one array per pair). */
  readonly conns: number[] = [];
  /** Destination ports: the first one, then a set once a second appears. */
  port = -1;
  ports: Set<number> | undefined;
  packets = 0;
  tcp = 0;
  udp = 0;
  start = Infinity;
  end = -Infinity;
}

export class BeaconDetector implements Detector {
  /** source -> destination host number -> pair. */
  private readonly pairs: HostMap<Map<number, Pair>>;
  private datasetMin = Infinity;
  private datasetMax = -Infinity;

  constructor(
    private readonly options: FindingsOptions,
    private readonly hosts: HostIds,
  ) {
    this.pairs = new HostMap(hosts);
  }

  connection(c: Connection): void {
    if (c.origPkts === 0) return;
    // Crafted probes (odd flags, no answer) are not a program's connections; RITA's input, Zeek, would
    // log them, but they belong to the odd-flags and scan findings.
    if (c.proto === PROTO_TCP && !c.sawSyn && c.origPayload + c.respPayload === 0) return;
    const second = Math.floor(c.start);
    if (second < this.datasetMin) this.datasetMin = second;
    if (second > this.datasetMax) this.datasetMax = second;
    // Pairs inside the private space are never scored (unless asked): keep nothing for them.
    if (!this.options.beaconPrivatePairs && this.hosts.isPrivate(c.origId) && this.hosts.isPrivate(c.respId)) return;
    let byDst = this.pairs.get(c.origId);
    if (byDst === undefined) this.pairs.set(c.origId, (byDst = new Map()));
    let p = byDst.get(c.respId);
    if (p === undefined) byDst.set(c.respId, (p = new Pair()));
    p.packets += c.origPkts + c.respPkts;
    if (c.start < p.start) p.start = c.start;
    if (c.last > p.end) p.end = c.last;
    if (p.conns.length >= 3 * STROBE_CONNECTIONS) return;
    p.conns.push(second, c.origIpBytes, c.frame0);
    if (p.port < 0) p.port = c.respPort;
    else if (c.respPort !== p.port && (p.ports === undefined || p.ports.size < 100)) (p.ports ??= new Set([p.port])).add(c.respPort);
    if (c.proto === PROTO_TCP) p.tcp++;
    else p.udp++;
  }

  finish(ctx: FinishContext): Finding[] {
    const o = this.options;
    const out: Finding[] = [];
    for (const [src, byDst] of this.pairs.entries()) for (const [dstId, p] of byDst) {
      if (p.conns.length < 3 * o.beaconScoring.uniqueConnectionThreshold) continue;
      const dst = this.hosts.names[dstId]!;
      if (!o.beaconPrivatePairs && isPrivate(src) && isPrivate(dst)) continue;
      if (ctx.scanned(src, dst)) continue;
      const starts: number[] = [];
      const bytes: number[] = [];
      const frames: number[] = [];
      for (let i = 0; i < p.conns.length; i += 3) {
        starts.push(p.conns[i]!);
        bytes.push(p.conns[i + 1]!);
        keepFirstFrames(frames, p.conns[i + 2]!, o.sampleFrames);
      }
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
