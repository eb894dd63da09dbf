/**
 * `handshakes`: every TCP connection attempt (a flow whose originator sent a SYN without ACK) and how it
 * went: established (SYN, SYN/ACK, then the client's ACK), synack-only (no final ACK), rejected (RST before
 * any SYN/ACK) or unanswered. Also the SYN/ACK segments themselves, the number
 *   tcpdump -nn -r F 'tcp[tcpflags] == (tcp-syn|tcp-ack)' | wc -l
 * prints (pcapsift also counts VLAN-tagged and IPv6 ones, which that filter cannot see).
 */
import { IPPROTO_TCP, type DecodedPacket } from '../decode/packet.js';
import { TCP_ACK_FLAG, TCP_SYN } from '../decode/tcp.js';
import type { FlowTable } from '../flows/flow-table.js';
import { HS_SYN } from '../flows/tcp-state.js';
import { analyze, type AnalysisContext, type AnalysisOptions, type CaptureFacts, type PacketConsumer } from './analysis.js';
import { FlowRecords, type HandshakeOutcome } from './flow-record.js';

export interface HandshakeConnection {
  client: string;
  clientPort: number;
  server: string;
  serverPort: number;
  outcome: HandshakeOutcome;
  firstFrame: number;
  /** Seconds since the epoch of the first SYN. */
  start: number;
}

export interface HandshakeServer {
  server: string;
  port: number;
  attempts: number;
  established: number;
  synAckOnly: number;
  rejected: number;
  unanswered: number;
}

export interface HandshakesResult {
  /** TCP segments with exactly SYN and ACK set (tcp[13] == 0x12). */
  synAcks: number;
  established: number;
  attempts: number;
  synAckOnly: number;
  rejected: number;
  unanswered: number;
  connections: HandshakeConnection[];
  /** Attempts per server endpoint, most attempts first. */
  servers: HandshakeServer[];
}

function keepAttempt(t: FlowTable, id: number): boolean {
  return t.proto(id) === IPPROTO_TCP && (t.handshake(id) & HS_SYN) !== 0;
}

/** Sums connections per server endpoint. */
export function serversOf(connections: readonly HandshakeConnection[]): HandshakeServer[] {
  const map = new Map<string, HandshakeServer>();
  for (const c of connections) {
    const key = `${c.server}|${c.serverPort}`;
    let s = map.get(key);
    if (s === undefined) {
      s = { server: c.server, port: c.serverPort, attempts: 0, established: 0, synAckOnly: 0, rejected: 0, unanswered: 0 };
      map.set(key, s);
    }
    s.attempts++;
    if (c.outcome === 'established') s.established++;
    else if (c.outcome === 'synack-only') s.synAckOnly++;
    else if (c.outcome === 'rejected') s.rejected++;
    else s.unanswered++;
  }
  return [...map.values()].sort((a, b) => b.attempts - a.attempts || b.established - a.established || (a.server < b.server ? -1 : a.server > b.server ? 1 : a.port - b.port));
}

/** The consumer behind `handshakes`. */
export class HandshakesConsumer implements PacketConsumer {
  readonly needsFlows = true;
  synAcks = 0;
  private readonly records = new FlowRecords(keepAttempt);
  result: HandshakesResult = { synAcks: 0, established: 0, attempts: 0, synAckOnly: 0, rejected: 0, unanswered: 0, connections: [], servers: [] };

  onPacket(p: DecodedPacket): void {
    if (p.tcpFlags === (TCP_SYN | TCP_ACK_FLAG) && p.protocol === IPPROTO_TCP) this.synAcks++;
  }

  onFlowEvicted(t: FlowTable, id: number): void {
    this.records.onEvicted(t, id);
  }

  finish(ctx: AnalysisContext): void {
    const connections: HandshakeConnection[] = this.records.all(ctx.tables).map((r) => ({
      client: r.orig.ip,
      clientPort: r.orig.port,
      server: r.resp.ip,
      serverPort: r.resp.port,
      outcome: r.handshake!,
      firstFrame: r.firstFrame,
      start: r.start,
    }));
    const count = (o: HandshakeOutcome): number => connections.filter((c) => c.outcome === o).length;
    this.result = {
      synAcks: this.synAcks,
      established: count('established'),
      attempts: connections.length,
      synAckOnly: count('synack-only'),
      rejected: count('rejected'),
      unanswered: count('unanswered'),
      connections,
      servers: serversOf(connections),
    };
  }
}

/** Lists a capture's TCP connection attempts and their outcomes. */
export async function handshakes(file: string, options: AnalysisOptions = {}): Promise<HandshakesResult & { capture: CaptureFacts }> {
  const c = new HandshakesConsumer();
  const ctx = await analyze(file, [c], options);
  return { ...c.result, capture: ctx.capture };
}
