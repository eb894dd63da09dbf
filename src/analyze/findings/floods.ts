/**
 * SYN floods (many half-open connections to one service) and RST storms (one host resetting many
 * connections that carried data), judged per connection when it ends.
 */
import type { Connection } from './connections.js';
import type { Detector, FinishContext } from './detector.js';
import { allOf, firstFrames, isV6, listSome, maxInWindow, plural, sortedHosts, sortedPorts, tcpFlagTest } from './evidence.js';
import { IPPROTO_TCP as PROTO_TCP } from '../../wire/ipv4.js';
import { TCP_ACK_FLAG as TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '../../decode/tcp.js';
import type { FindingsOptions } from './options.js';
import type { Finding } from './types.js';
import type { HostIds } from './hosts.js';

/** Services as one number: host number * PORTS + port. */
const PORTS = 65536;

/** Connections a service or a host had, with a few of their frames. */
class Tally {
  readonly times: number[] = [];
  readonly frames: number[] = [];
  /** Peer host number -> connections. */
  readonly peers = new Map<number, number>();
  readonly ports = new Set<number>();
  packets = 0;
  start = Infinity;
  end = -Infinity;

  add(ts: number, frame: number, peer: number, port: number, packets: number, sampleLimit: number): void {
    this.times.push(ts);
    if (this.frames.length < sampleLimit) this.frames.push(frame);
    if (this.peers.size < 10000 || this.peers.has(peer)) this.peers.set(peer, (this.peers.get(peer) ?? 0) + 1);
    if (this.ports.size < 1000) this.ports.add(port);
    this.packets += packets;
    if (ts < this.start) this.start = ts;
    if (ts > this.end) this.end = ts;
  }

  /** The peer seen most often (the first in text order among equals). */
  topPeer(hosts: HostIds): string {
    let best = '';
    let n = -1;
    for (const [id, c] of this.peers) {
      if (c < n) continue;
      const p = hosts.name(id);
      if (c > n || p < best) (best = p), (n = c);
    }
    return best;
  }
}

export class FloodDetector implements Detector {
  /** The service (host number * PORTS + port) -> half-open connections to it. */
  private readonly halfOpen = new Map<number, Tally>();
  /** Host number -> data-carrying connections it reset. */
  private readonly resets = new Map<number, Tally>();

  constructor(
    private readonly options: FindingsOptions,
    private readonly hosts: HostIds,
  ) {}

  connection(c: Connection): void {
    if (c.proto !== PROTO_TCP || c.origPkts === 0) return;
    const limit = this.options.sampleFrames;
    const first = c.firstFlags & (TCP_SYN | TCP_ACK | TCP_FIN | TCP_RST);
    // Half-open: a SYN that never became a connection (no answer, or a SYN+ACK the client never acknowledged).
    if (first === TCP_SYN && !c.origAckedSynAck && c.origRst === 0 && c.respRst === 0 && c.origPayload === 0) {
      const key = c.respId * PORTS + c.respPort;
      let t = this.halfOpen.get(key);
      if (t === undefined) this.halfOpen.set(key, (t = new Tally()));
      t.add(c.start, c.frame0, c.origId, c.respPort, c.origPkts + c.respPkts, limit);
    }
    if (c.rstFrame !== 0 && c.origPayload + c.respPayload > 0) {
      const sender = c.rstByOrig ? c.origId : c.respId;
      const peer = c.rstByOrig ? c.respId : c.origId;
      let t = this.resets.get(sender);
      if (t === undefined) this.resets.set(sender, (t = new Tally()));
      t.add(c.rstTs, c.rstFrame, peer, c.rstByOrig ? c.respPort : c.origPort, c.origRst + c.respRst, limit);
    }
  }

  finish(_ctx: FinishContext): Finding[] {
    const o = this.options;
    const out: Finding[] = [];
    for (const [key, t] of this.halfOpen) {
      const peak = maxInWindow(t.times, o.synFloodWindowSeconds);
      if (peak < o.synFloodConnections) continue;
      const host = this.hosts.name(Math.floor(key / PORTS));
      const port = key % PORTS;
      const sources = t.peers.size;
      const v6 = isV6(host);
      out.push({
        kind: 'syn-flood',
        severity: peak >= 10 * o.synFloodConnections ? 'high' : 'medium',
        source: t.topPeer(this.hosts),
        targets: [host],
        ports: [port],
        start: t.start,
        end: t.end,
        packets: t.packets,
        frames: firstFrames(t.frames, o.sampleFrames),
        explanation:
          `${plural(t.times.length, 'connection attempt')} to ${host} port ${port} stayed half-open (SYN with no completed handshake), ` +
          `${peak} within ${o.synFloodWindowSeconds} s, from ${plural(sources, 'source')}: a SYN flood fills the server's backlog ` +
          `so real clients cannot connect${sources > 1 ? '; many sources usually means spoofed addresses' : ''}.`,
        filter: allOf([`dst host ${host}`, `dst port ${port}`, tcpFlagTest(v6, TCP_SYN | TCP_ACK | TCP_RST | TCP_FIN, TCP_SYN)]),
        details: { type: 'counts', counts: { halfOpen: t.times.length, peakInWindow: peak, sources } },
      });
    }
    for (const [senderId, t] of this.resets) {
      const peak = maxInWindow(t.times, o.rstStormWindowSeconds);
      if (peak < o.rstStormConnections) continue;
      const sender = this.hosts.name(senderId);
      const v6 = isV6(sender);
      const targets = sortedHosts([...t.peers.keys()].map((id) => this.hosts.name(id)));
      out.push({
        kind: 'rst-storm',
        severity: 'medium',
        source: sender,
        targets,
        ports: sortedPorts(t.ports),
        start: t.start,
        end: t.end,
        packets: t.packets,
        frames: firstFrames(t.frames, o.sampleFrames),
        explanation:
          `${sender} reset ${plural(t.times.length, 'connection')} that carried data, ${peak} within ${o.rstStormWindowSeconds} s, ` +
          `with ${listSome(targets, 4)}: a storm of resets means a crashing service, a middlebox or IPS tearing sessions down, ` +
          `or RST injection.`,
        filter: allOf([`src host ${sender}`, tcpFlagTest(v6, TCP_RST, TCP_RST)]),
        details: { type: 'counts', counts: { resetConnections: t.times.length, peakInWindow: peak } },
      });
    }
    return out;
  }
}
