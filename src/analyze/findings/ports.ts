/**
 * Long connections and busy ports: one connection open for hours, or one ephemeral port of a host that
 * carries far more packets than the host's other ports (the "massive amount of packets on one ephemeral
 * port" indicator of a command-and-control channel). Only connections that really carried traffic count.
 */
import type { Connection } from './connections.js';
import type { Detector, FinishContext } from './detector.js';
import { HostMap, type HostIds } from './hosts.js';
import { allOf, firstFrames, isV6, isoTime, plural, sortedHosts } from './evidence.js';
import { medianSorted } from './beacons.js';
import { IPPROTO_TCP as PROTO_TCP } from '../../decode/packet.js';
import type { FindingsOptions } from './options.js';
import type { Finding } from './types.js';

/** Ports below this are services, not ephemeral client ports. */
export const FIRST_EPHEMERAL_PORT = 1024;

/** One ephemeral port's use. Most ports see one peer: the sets exist only once a second one appears. */
class PortUse {
  packets = 0;
  start = Infinity;
  end = -Infinity;
  peer = '';
  peerPort = 0;
  peers: Set<string> | undefined;
  peerPorts: Set<number> | undefined;
  frames: number[] | undefined;
  tcp = false;

  addPeer(host: string, port: number): void {
    if (this.peer === '') {
      this.peer = host;
      this.peerPort = port;
      return;
    }
    if (host !== this.peer && (this.peers === undefined || this.peers.size < 100)) (this.peers ??= new Set([this.peer])).add(host);
    if (port !== this.peerPort && (this.peerPorts === undefined || this.peerPorts.size < 100)) (this.peerPorts ??= new Set([this.peerPort])).add(port);
  }
}

export class PortDetector implements Detector {
  private readonly longOnes: Finding[] = [];
  /** host -> its ephemeral port -> use. */
  private readonly hosts: HostMap<Map<number, PortUse>>;

  constructor(
    private readonly options: FindingsOptions,
    hostIds: HostIds,
  ) {
    this.hosts = new HostMap(hostIds);
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
    let ports = this.hosts.get(c.origId);
    if (ports === undefined) this.hosts.set(c.origId, (ports = new Map()));
    let u = ports.get(c.origPort);
    if (u === undefined) ports.set(c.origPort, (u = new PortUse()));
    u.packets += c.origPkts + c.respPkts;
    if (c.start < u.start) u.start = c.start;
    if (c.last > u.end) u.end = c.last;
    u.addPeer(c.resp, c.respPort);
    if (u.frames === undefined) u.frames = c.frames();
    else if (u.frames.length < o.sampleFrames) u.frames.push(...c.frames());
    u.tcp ||= c.proto === PROTO_TCP;
  }

  finish(_ctx: FinishContext): Finding[] {
    const o = this.options;
    const out = [...this.longOnes];
    for (const [host, ports] of this.hosts.entries()) {
      if (ports.size < o.busyPortOtherPorts + 1) continue;
      const counts = [...ports.values()].map((u) => u.packets).sort((a, b) => a - b);
      for (const [port, u] of ports) {
        if (u.packets < o.busyPortPackets) continue;
        // The median of the other ports: leave this port's own count out once.
        const others = [...counts];
        others.splice(others.indexOf(u.packets), 1);
        const typical = medianSorted(others);
        if (u.packets < o.busyPortFactor * typical) continue;
        const share = u.packets / counts.reduce((a, b) => a + b, 0);
        out.push({
          kind: 'busy-port',
          severity: share >= 0.5 ? 'medium' : 'low',
          source: host,
          targets: sortedHosts(u.peers ?? [u.peer]),
          ports: [...(u.peerPorts ?? [u.peerPort])].sort((a, b) => a - b),
          start: u.start,
          end: u.end,
          packets: u.packets,
          frames: firstFrames(u.frames ?? [], o.sampleFrames),
          explanation:
            `${host}'s ephemeral port ${port} carried ${plural(u.packets, 'packet')} (${(share * 100).toFixed(0)}% of the host's client traffic), ` +
            `while its other ${plural(ports.size - 1, 'port')} carried ${typical} each (median), over ${((u.end - u.start) / 60).toFixed(1)} minutes: ` +
            `one client port doing far more than the rest is what a persistent command-and-control or tunnel session looks like.`,
          filter: allOf([`host ${host}`, isV6(host) ? 'ip6' : '', `${u.tcp ? 'tcp' : 'udp'} port ${port}`]),
          details: { type: 'counts', counts: { port, packets: u.packets, otherPortsMedian: typical, otherPorts: ports.size - 1 } },
        });
      }
    }
    return out;
  }
}
