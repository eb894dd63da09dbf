/**
 * `dports`: packets per destination port, per protocol, optionally only those a host sent:
 *   tcpdump -nn -r F 'src host H and (tcp or udp)' | cut -f 5 -d " " | cut -f 5 -d "." | sort | uniq -c
 */
import type { DecodedPacket } from '../decode/packet.js';
import { analyze, type AnalysisOptions, type CaptureFacts, type PacketConsumer } from './analysis.js';
import { hasTransportPorts, HostMatcher, type EndpointOptions } from './host.js';
import { PortCounts, type PortRow } from './ports.js';

/** The consumer behind `dports`. */
export class DestinationPortsConsumer implements PacketConsumer {
  readonly counts = new PortCounts();
  private readonly host: HostMatcher | undefined;
  private readonly tcpdumpView: boolean;

  constructor(options: EndpointOptions = {}) {
    this.host = options.host === undefined ? undefined : new HostMatcher(options.host);
    this.tcpdumpView = options.tcpdumpView === true;
  }

  onPacket(p: DecodedPacket): void {
    if (!hasTransportPorts(p, this.tcpdumpView)) return;
    if (this.host !== undefined && !this.host.isSource(p)) return;
    this.counts.add(p.protocol, p.dstPort);
  }
}

export interface DportsResult {
  capture: CaptureFacts;
  host: string | null;
  ports: PortRow[];
}

/** Counts TCP and UDP packets per destination port (only those `host` sent, when given). */
export async function dports(file: string, options: EndpointOptions & AnalysisOptions = {}): Promise<DportsResult> {
  const c = new DestinationPortsConsumer(options);
  const ctx = await analyze(file, [c], options);
  return { capture: ctx.capture, host: options.host ?? null, ports: c.counts.rows() };
}
