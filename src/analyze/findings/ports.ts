/**
 * Long connections and busy ports: one connection open for hours, or one ephemeral port of a host that
 * carries far more packets than the host's other ports (the "massive amount of packets on one ephemeral
 * port" indicator of a command-and-control channel). Only connections that really carried traffic count.
 */
import type { Connection } from './connections.js';
import { KeptFlows } from './kept.js';
import type { Detector, FinishContext } from './detector.js';
import { PairIndex, type HostIds } from './hosts.js';
import { allOf, firstFrames, isV6, isoTime, plural, sortedHosts } from './evidence.js';
import { medianSorted } from './beacons.js';
import { IPPROTO_TCP as PROTO_TCP } from '../../wire/ipv4.js';
import type { FindingsOptions } from './options.js';
import type { Finding } from './types.js';

/** Ports below this are services, not ephemeral client ports. */
export const FIRST_EPHEMERAL_PORT = 1024;

function grown(a: Float64Array, n: number): Float64Array {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}

/**
 * Each host's ephemeral TCP ports, a row per (host, port) in columns: most client connections take a
 * fresh port, so a row per port must cost no object. Most ports see one peer: the peer sets exist (keyed
 * by row) only once a second one appears.
 */
class PortUses {
  readonly index = new PairIndex();
  rows = 0;
  private cap = 0;
  host: Float64Array = new Float64Array(0);
  port: Float64Array = new Float64Array(0);
  packets: Float64Array = new Float64Array(0);
  start: Float64Array = new Float64Array(0);
  end: Float64Array = new Float64Array(0);
  /** The first peer's host number and port. */
  peer: Float64Array = new Float64Array(0);
  peerPort: Float64Array = new Float64Array(0);
  /** Frames kept per row (up to `frameSlots`), and the frames. */
  frameCount: Float64Array = new Float64Array(0);
  frames: Float64Array = new Float64Array(0);
  readonly peers = new Map<number, Set<number>>();
  readonly peerPorts = new Map<number, Set<number>>();
  /** A connection adds up to 3 frames while fewer than `sampleFrames` are kept. */
  readonly frameSlots: number;

  constructor(readonly sampleFrames: number) {
    this.frameSlots = sampleFrames + 3;
  }

  /** The row of host `host`'s port `port`, made on first sight. */
  row(host: number, port: number): number {
    const r = this.index.row(host, port);
    if (!this.index.created) return r;
    this.rows++;
    if (r === this.cap) this.grow(Math.max(1024, r * 2));
    this.host[r] = host;
    this.port[r] = port;
    this.start[r] = Infinity;
    this.end[r] = -Infinity;
    this.peer[r] = -1;
    return r;
  }

  addPeer(r: number, host: number, port: number): void {
    const first = this.peer[r]!;
    if (first < 0) {
      this.peer[r] = host;
      this.peerPort[r] = port;
      return;
    }
    if (host !== first) {
      const set = this.peers.get(r);
      if (set === undefined) this.peers.set(r, new Set([first, host]));
      else if (set.size < 100) set.add(host);
    }
    const firstPort = this.peerPort[r]!;
    if (port !== firstPort) {
      const set = this.peerPorts.get(r);
      if (set === undefined) this.peerPorts.set(r, new Set([firstPort, port]));
      else if (set.size < 100) set.add(port);
    }
  }

  /** Keeps a connection's frames while the row holds fewer than `sampleFrames`. */
  addFrames(r: number, c: Connection): void {
    let n = this.frameCount[r]!;
    if (n >= this.sampleFrames) return;
    const at = r * this.frameSlots;
    this.frames[at + n++] = c.frame0;
    const f1 = c.frame1;
    const f2 = c.frame2;
    if (f1 !== 0) this.frames[at + n++] = f1;
    if (f2 !== 0) this.frames[at + n++] = f2;
    this.frameCount[r] = n;
  }

  framesOf(r: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.frameCount[r]!; i++) out.push(this.frames[r * this.frameSlots + i]!);
    return out;
  }

  private grow(n: number): void {
    this.host = grown(this.host, n);
    this.port = grown(this.port, n);
    this.packets = grown(this.packets, n);
    this.start = grown(this.start, n);
    this.end = grown(this.end, n);
    this.peer = grown(this.peer, n);
    this.peerPort = grown(this.peerPort, n);
    this.frameCount = grown(this.frameCount, n);
    this.frames = grown(this.frames, n * this.frameSlots);
    this.cap = n;
  }
}

export class PortDetector implements Detector {
  private readonly longOnes: Finding[] = [];
  /** Each host's ephemeral TCP ports. */
  private readonly uses: PortUses;
  /** The sweep's flows (see KeptFlows), and the cursor to read them again. */
  private readonly kept = new KeptFlows({ value: true, extra: true });
  private cursor: Connection | undefined;

  constructor(
    private readonly options: FindingsOptions,
    private readonly hostIds: HostIds,
  ) {
    this.uses = new PortUses(options.sampleFrames);
  }

  connection(c: Connection): void {
    // Real two-way traffic only: scan probes and unanswered attempts say nothing about a channel.
    const established = c.proto === PROTO_TCP ? (c.synAck && c.origAckedSynAck) || (c.origPayload > 0 && c.respPayload > 0) : c.respPkts > 0;
    if (!established || c.origPkts === 0) return;
    const o = this.options;
    const seconds = c.last - c.start;
    if (seconds >= o.longConnectionSeconds) {
      const hours = seconds / 3600;
      this.longOnes.push({
        kind: 'long-connection',
        severity: hours >= 8 ? 'high' : hours >= 4 ? 'medium' : 'low',
        source: c.orig,
        targets: [c.resp],
        ports: [c.respPort],
        start: c.start,
        end: c.last,
        packets: c.origPkts + c.respPkts,
        frames: c.frames(),
        explanation:
          `One ${c.proto === PROTO_TCP ? 'TCP' : 'UDP'} connection from ${c.orig} port ${c.origPort} to ${c.resp} port ${c.respPort} ` +
          `stayed open ${(seconds / 3600).toFixed(2)} hours (${isoTime(c.start)} to ${isoTime(c.last)}), carrying ` +
          `${plural(c.origPkts + c.respPkts, 'packet')}: a session held open that long is how interactive command-and-control ` +
          `channels and tunnels look.`,
        filter: allOf([`host ${c.orig}`, `host ${c.resp}`, c.proto === PROTO_TCP ? 'tcp' : 'udp', `port ${c.origPort}`, `port ${c.respPort}`]),
        details: { type: 'counts', counts: { seconds: Math.round(seconds), originatorBytes: c.origIpBytes, responderBytes: c.respIpBytes } },
      });
    }
    // Busy ports are judged on TCP: every DNS query takes a fresh UDP port, which would swamp the tally.
    if (c.origPort < FIRST_EPHEMERAL_PORT || c.proto !== PROTO_TCP) return;
    if (c.kept) {
      // Most hosts have no busy port: note the flow, file it only if its host has one.
      if (this.cursor === undefined) this.kept.reserve(c.keptCount);
      this.cursor = c;
      this.kept.push(c.origId, c.origPort, 0, c.keptId, c.origPkts + c.respPkts, c.respId);
      return;
    }
    this.file(c);
  }

  /** Files a connection under its host's ephemeral port. */
  private file(c: Connection): void {
    const u = this.uses;
    const r = u.row(c.origId, c.origPort);
    u.packets[r] += c.origPkts + c.respPkts;
    const start = c.start;
    if (start < u.start[r]!) u.start[r] = start;
    const last = c.last;
    if (last > u.end[r]!) u.end[r] = last;
    u.addPeer(r, c.respId, c.respPort);
    u.addFrames(r, c);
  }

  /**
   * Files the flows noted in the sweep of every host with a busy port (its other ports make the median it
   * is compared with), in the order noted.
   */
  private fileKept(): void {
    const k = this.kept;
    const c = this.cursor;
    if (k.n === 0 || c === undefined) return;
    const u = this.uses;
    const busyPackets = this.options.busyPortPackets;
    const busy = new Uint8Array(this.hostIds.count);
    let any = false;
    for (let r = 0; r < u.rows; r++) {
      if (u.packets[r]! >= busyPackets) {
        busy[u.host[r]!] = 1;
        any = true;
      }
    }
    const order = k.grouped();
    for (let g = 0; g < k.n; ) {
      const first = order[g]!;
      let packets = 0;
      let e = g;
      for (; e < k.n && k.sameKey(first, order[e]!); e++) packets += k.value[order[e]!]!;
      if (u.rows > 0) {
        const r = u.index.find(k.k0[first]!, k.k1[first]!);
        if (r >= 0) packets += u.packets[r]!;
      }
      if (packets >= busyPackets) {
        busy[k.k0[first]!] = 1;
        any = true;
      }
      g = e;
    }
    if (!any) return;
    for (let i = 0; i < k.n; i++) if (busy[k.k0[i]!] === 1) this.file(c.again(k.id[i]!, k.k0[i]!, k.extra[i]!));
  }

  finish(_ctx: FinishContext): Finding[] {
    this.fileKept();
    const o = this.options;
    const out = [...this.longOnes];
    const u = this.uses;
    const hosts = this.hostIds;
    // Only hosts with a port busy enough can have a finding: find them first, then gather their rows.
    const rowsOf = new Map<number, number[]>();
    for (let r = 0; r < u.rows; r++) if (u.packets[r]! >= o.busyPortPackets) rowsOf.set(u.host[r]!, []);
    // Each candidate host's rows, in the order its ports were first seen; hosts by number.
    if (rowsOf.size > 0) for (let r = 0; r < u.rows; r++) rowsOf.get(u.host[r]!)?.push(r);
    for (const hostId of [...rowsOf.keys()].sort((a, b) => a - b)) {
      const rows = rowsOf.get(hostId)!;
      if (rows.length < o.busyPortOtherPorts + 1) continue;
      const host = hosts.name(hostId);
      const counts = rows.map((r) => u.packets[r]!).sort((a, b) => a - b);
      for (const r of rows) {
        const packets = u.packets[r]!;
        if (packets < o.busyPortPackets) continue;
        // The median of the other ports: leave this port's own count out once.
        const others = [...counts];
        others.splice(others.indexOf(packets), 1);
        const typical = medianSorted(others);
        if (packets < o.busyPortFactor * typical) continue;
        const port = u.port[r]!;
        const start = u.start[r]!;
        const end = u.end[r]!;
        const peers = u.peers.get(r);
        const peerPorts = u.peerPorts.get(r);
        const share = packets / counts.reduce((a, b) => a + b, 0);
        out.push({
          kind: 'busy-port',
          severity: share >= 0.5 ? 'medium' : 'low',
          source: host,
          targets: sortedHosts(peers === undefined ? [hosts.name(u.peer[r]!)] : [...peers].map((id) => hosts.name(id))),
          ports: [...(peerPorts ?? [u.peerPort[r]!])].sort((a, b) => a - b),
          start,
          end,
          packets,
          frames: firstFrames(u.framesOf(r), o.sampleFrames),
          explanation:
            `${host}'s ephemeral port ${port} carried ${plural(packets, 'packet')} (${(share * 100).toFixed(0)}% of the host's client traffic), ` +
            `while its other ${plural(rows.length - 1, 'port')} carried ${typical} each (median), over ${((end - start) / 60).toFixed(1)} minutes: ` +
            `one client port doing far more than the rest is what a persistent command-and-control or tunnel session looks like.`,
          filter: allOf([`host ${host}`, isV6(host) ? 'ip6' : '', `tcp port ${port}`]),
          details: { type: 'counts', counts: { port, packets, otherPortsMedian: typical, otherPorts: rows.length - 1 } },
        });
      }
    }
    return out;
  }
}
