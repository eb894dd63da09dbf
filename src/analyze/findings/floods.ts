/**
 * SYN floods (many half-open connections to one service) and RST storms (one host resetting many
 * connections that carried data), judged per connection when it ends.
 */
import type { Connection } from './connections.js';
import type { Detector, FinishContext } from './detector.js';
import { allOf, firstFrames, isV6, listSome, maxInWindow, plural, sortedHosts, sortedPorts, tcpFlagTest } from './evidence.js';
import { IPPROTO_TCP as PROTO_TCP } from '../../decode/packet.js';
import { TCP_ACK_FLAG as TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '../../decode/tcp.js';
import type { FindingsOptions } from './options.js';
import type { Finding } from './types.js';

/** Connections a service or a host had, with a few of their frames. */
class Tally {
  readonly times: number[] = [];
  readonly frames: number[] = [];
  readonly peers = new Map<string, number>();
  readonly ports = new Set<number>();
  packets = 0;
  start = Infinity;
  end = -Infinity;

  add(ts: number, frame: number, peer: string, port: number, packets: number, sampleLimit: number): void {
    this.times.push(ts);
    if (this.frames.length < sampleLimit) this.frames.push(frame);
    if (this.peers.size < 10000 || this.peers.has(peer)) this.peers.set(peer, (this.peers.get(peer) ?? 0) + 1);
    if (this.ports.size < 1000) this.ports.add(port);
    this.packets += packets;
    if (ts < this.start) this.start = ts;
    if (ts > this.end) this.end = ts;
  }

  /** The peer seen most often. */
  topPeer(): string {
    let best = '';
    let n = -1;
    for (const [p, c] of this.peers) if (c > n || (c === n && p < best)) (best = p), (n = c);
    return best;
  }
}

export class FloodDetector implements Detector {
  /** `host|port` of the service -> half-open connections to it. */
  private readonly halfOpen = new Map<string, Tally>();
  /** host -> data-carrying connections it reset. */
  private readonly resets = new Map<string, Tally>();

  constructor(private readonly options: FindingsOptions) {}

  connection(c: Connection): void {
    if (c.proto !== PROTO_TCP || c.origPkts === 0) return;
    const limit = this.options.sampleFrames;
    const first = c.firstFlags & (TCP_SYN | TCP_ACK | TCP_FIN | TCP_RST);
    // Half-open: a SYN that never became a connection (no answer, or a SYN+ACK the client never acknowledged).
    if (first === TCP_SYN && !c.origAckedSynAck && c.origRst === 0 && c.respRst === 0 && c.origPayload === 0) {
      const key = `${c.resp}|${c.respPort}`;
      let t = this.halfOpen.get(key);
      if (t === undefined) this.halfOpen.set(key, (t = new Tally()));
      t.add(c.start, c.frame0, c.orig, c.respPort, c.origPkts + c.respPkts, limit);
    }
    if (c.rstFrame !== 0 && c.origPayload + c.respPayload > 0) {
      const sender = c.rstByOrig ? c.orig : c.resp;
      const peer = c.rstByOrig ? c.resp : c.orig;
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
      const bar = key.lastIndexOf('|');
      const host = key.slice(0, bar);
      const port = Number(key.slice(bar + 1));
      const sources = t.peers.size;
      const v6 = isV6(host);
      out.push({
        kind: 'syn-flood',
        severity: peak >= 10 * o.synFloodConnections ? 'high' : 'medium',
        source: t.topPeer(),
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
    for (const [sender, t] of this.resets) {
      const peak = maxInWindow(t.times, o.rstStormWindowSeconds);
      if (peak < o.rstStormConnections) continue;
      const v6 = isV6(sender);
      const targets = sortedHosts(t.peers.keys());
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
