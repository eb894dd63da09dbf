/**
 * `ports`: the source ports a host sent from, with the packets sent from each, per protocol. The tcpdump
 * pipeline it replaces, for IPv4:
 *   tcpdump -nn -r F 'src host H' | cut -f 3 -d " " | cut -f 5 -d "." | sort | uniq -c
 */
import type { DecodedPacket } from '../decode/packet.js';
import { IPPROTO_TCP } from '../wire/ipv4.js';
import { analyze, type AnalysisOptions, type CaptureFacts, type PacketConsumer } from './analysis.js';
import { hasTransportPorts, HostMatcher, sortCounted, type EndpointOptions } from './host.js';

export interface PortRow {
  proto: 'tcp' | 'udp';
  port: number;
  packets: number;
}

/** Counts packets per (protocol, port) in two flat arrays: no lookup, no allocation per packet. */
export class PortCounts {
  /** Index proto*65536 + port, proto 0 for TCP and 1 for UDP. */
  readonly counts = new Float64Array(2 * 65536);

  add(proto: number, port: number): void {
    this.counts[(proto === IPPROTO_TCP ? 0 : 65536) + port]++;
  }

  /** The non-zero entries as rows, ordered as `sort -n` would. */
  rows(desc = false): PortRow[] {
    const out: PortRow[] = [];
    for (let i = 0; i < this.counts.length; i++) {
      const n = this.counts[i]!;
      if (n > 0) out.push({ proto: i < 65536 ? 'tcp' : 'udp', port: i & 0xffff, packets: n });
    }
    return sortCounted(out, (r) => r.packets, (r) => `${r.proto} ${r.port}`, desc);
  }
}

/** The consumer behind `ports`: source ports of one host's packets. */
export class SourcePortsConsumer implements PacketConsumer {
  readonly counts = new PortCounts();
  private readonly host: HostMatcher;
  private readonly tcpdumpView: boolean;

  constructor(host: string, options: EndpointOptions = {}) {
    this.host = new HostMatcher(host);
    this.tcpdumpView = options.tcpdumpView === true;
  }

  onPacket(p: DecodedPacket): void {
    if (hasTransportPorts(p, this.tcpdumpView) && this.host.isSource(p)) this.counts.add(p.protocol, p.srcPort);
  }
}

export interface PortsResult {
  capture: CaptureFacts;
  host: string;
  ports: PortRow[];
}

/** Lists the source ports `host` sent TCP and UDP packets from, with the packets sent from each. */
export async function ports(file: string, options: EndpointOptions & AnalysisOptions & { host: string }): Promise<PortsResult> {
  const c = new SourcePortsConsumer(options.host, options);
  const ctx = await analyze(file, [c], options);
  return { capture: ctx.capture, host: options.host, ports: c.counts.rows() };
}
