/**
 * `handshakes`: every TCP connection attempt (a flow whose originator sent a SYN without ACK) and how it
 * went: established (SYN, SYN/ACK, then the client's ACK), synack-only (no final ACK), rejected (RST before
 * any SYN/ACK) or unanswered. Also the SYN/ACK segments themselves, the number
 *   tcpdump -nn -r F 'tcp[tcpflags] == (tcp-syn|tcp-ack)' | wc -l
 * prints (pcapsift also counts VLAN-tagged and IPv6 ones, which that filter cannot see).
 */
import { ipTextAt } from '../decode/address.js';
import type { DecodedPacket } from '../decode/packet.js';
import { IPPROTO_TCP } from '../wire/ipv4.js';
import { TCP_ACK_FLAG, TCP_SYN } from '../decode/tcp.js';
import { DIR_RESP, type FlowTable } from '../flows/flow-table.js';
import { HS_SYN } from '../flows/tcp-state.js';
import { analyze, type AnalysisContext, type AnalysisOptions, type CaptureFacts, type PacketConsumer } from './analysis.js';
import { orderedFlows } from './conversations.js';
import { compareRecords, FlowRecords, handshakeOutcome, type FlowRecord, type HandshakeOutcome } from './flow-record.js';
import { KeyTable } from './key-table.js';

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

/** The order of the server list: most attempts first, then most established, then address and port. */
function compareServers(a: HandshakeServer, b: HandshakeServer): number {
  return b.attempts - a.attempts || b.established - a.established || (a.server < b.server ? -1 : a.server > b.server ? 1 : a.port - b.port);
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
  return [...map.values()].sort(compareServers);
}

/** Says whether an evicted flow's record comes before row `id` of `t` (start, then first frame). */
function before(r: FlowRecord, t: FlowTable, id: number): boolean {
  return (r.startSec - t.startSec(id) || r.startNsec - t.startNsec(id) || r.firstFrame - t.firstFrame(id)) < 0;
}

const OUTCOMES: readonly HandshakeOutcome[] = ['established', 'synack-only', 'rejected', 'unanswered'];

/**
 * Attempts and outcomes per server endpoint, tallied straight from the flow rows: no record, string or
 * object per connection (82 k connections of 1 M packets made 0.26 s of garbage collection alone). Only
 * the servers get names, when the list is built.
 */
class ServerTally {
  /** Key: version, the responder's four address words, its port. Counts are attempts. */
  private readonly table = new KeyTable(6, 1024);
  /** Per entry, connections by outcome (OUTCOMES order). */
  private outcomes = new Float64Array(4 * 1024);
  private readonly key = new Uint32Array(6);

  add(t: FlowTable, id: number): void {
    const k = this.key;
    k[0] = t.version(id);
    const a = t.addrIndex(id, DIR_RESP);
    for (let i = 0; i < 4; i++) k[1 + i] = t.words[a + i]!;
    k[5] = t.respPort(id);
    const idx = this.table.add(k);
    if (idx * 4 >= this.outcomes.length) {
      const grown = new Float64Array(this.outcomes.length * 2);
      grown.set(this.outcomes);
      this.outcomes = grown;
    }
    this.outcomes[idx * 4 + OUTCOMES.indexOf(handshakeOutcome(t.handshake(id))!)]!++;
  }

  /** Every server, in the list's order, and the totals by outcome. */
  servers(): { servers: HandshakeServer[]; totals: Float64Array } {
    const t = this.table;
    const totals = new Float64Array(4);
    const servers: HandshakeServer[] = new Array<HandshakeServer>(t.size);
    for (let i = 0; i < t.size; i++) {
      const o = this.outcomes;
      for (let k = 0; k < 4; k++) totals[k]! += o[i * 4 + k]!;
      servers[i] = {
        server: ipTextAt(t.keys[i * 6]!, t.keys, i * 6 + 1),
        port: t.keys[i * 6 + 5]!,
        attempts: t.counts[i]!,
        established: o[i * 4]!,
        synAckOnly: o[i * 4 + 1]!,
        rejected: o[i * 4 + 2]!,
        unanswered: o[i * 4 + 3]!,
      };
    }
    servers.sort(compareServers);
    return { servers, totals };
  }
}

/** A connection attempt as `handshakes` lists it, from its flow's record. */
function connectionOf(r: FlowRecord): HandshakeConnection {
  return { client: r.orig.ip, clientPort: r.orig.port, server: r.resp.ip, serverPort: r.resp.port, outcome: r.handshake!, firstFrame: r.firstFrame, start: r.start };
}

/** A connection attempt straight from its flow's row. */
function connectionAt(t: FlowTable, id: number): HandshakeConnection {
  const v = t.version(id);
  return {
    client: ipTextAt(v, t.words, t.addrIndex(id, 0)),
    clientPort: t.origPort(id),
    server: ipTextAt(v, t.words, t.addrIndex(id, DIR_RESP)),
    serverPort: t.respPort(id),
    outcome: handshakeOutcome(t.handshake(id))!,
    firstFrame: t.firstFrame(id),
    start: t.start(id),
  };
}

/**
 * The consumer behind `handshakes`. With `connections` (the default) it lists every connection attempt;
 * without, only the totals and the servers, tallied from the flow rows (the table, `summary` and the
 * report need no more), and `connectionsInOrder` yields the attempts one at a time from the rows.
 */
export class HandshakesConsumer implements PacketConsumer {
  readonly needsFlows = true;
  synAcks = 0;
  private readonly records = new FlowRecords(keepAttempt);
  private readonly tally: ServerTally | undefined;
  private tables: readonly FlowTable[] = [];
  result: HandshakesResult = { synAcks: 0, established: 0, attempts: 0, synAckOnly: 0, rejected: 0, unanswered: 0, connections: [], servers: [] };

  constructor(options: { connections?: boolean } = {}) {
    this.tally = options.connections === false ? new ServerTally() : undefined;
  }

  onPacket(p: DecodedPacket): void {
    if (p.tcpFlags === (TCP_SYN | TCP_ACK_FLAG) && p.protocol === IPPROTO_TCP) this.synAcks++;
  }

  onFlowEvicted(t: FlowTable, id: number): void {
    this.records.onEvicted(t, id);
    if (this.tally !== undefined && keepAttempt(t, id)) this.tally.add(t, id);
  }

  /**
   * Without `connections`: every attempt, in the order the list has (start, then first frame), made one at
   * a time from the flow rows (and the records of flows evicted during the pass).
   */
  *connectionsInOrder(): Generator<HandshakeConnection> {
    const evicted = this.records.evicted.slice().sort(compareRecords);
    const o = orderedFlows(this.tables);
    let e = 0;
    for (let i = 0; i < o.ids.length; i++) {
      const t = o.tables[o.table[i]!]!;
      const id = o.ids[i]!;
      if (!keepAttempt(t, id)) continue;
      for (; e < evicted.length && before(evicted[e]!, t, id); e++) yield connectionOf(evicted[e]!);
      yield connectionAt(t, id);
    }
    for (; e < evicted.length; e++) yield connectionOf(evicted[e]!);
  }

  finish(ctx: AnalysisContext): void {
    const tally = this.tally;
    if (tally !== undefined) {
      this.tables = ctx.tables;
      for (const t of ctx.tables) t.forEach((id) => keepAttempt(t, id) && tally.add(t, id));
      const { servers, totals } = tally.servers();
      this.result = {
        synAcks: this.synAcks,
        established: totals[0]!,
        attempts: totals[0]! + totals[1]! + totals[2]! + totals[3]!,
        synAckOnly: totals[1]!,
        rejected: totals[2]!,
        unanswered: totals[3]!,
        connections: [],
        servers,
      };
      return;
    }
    const connections: HandshakeConnection[] = this.records.all(ctx.tables).map(connectionOf);
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

/**
 * Lists a capture's TCP connection attempts and their outcomes; with `connections: false` only the totals
 * and the servers (`connections` is then empty).
 */
export async function handshakes(file: string, options: AnalysisOptions & { connections?: boolean } = {}): Promise<HandshakesResult & { capture: CaptureFacts }> {
  const c = new HandshakesConsumer({ connections: options.connections !== false });
  const ctx = await analyze(file, [c], options);
  return { ...c.result, capture: ctx.capture };
}
