/**
 * Plain records of flows, read out of the flow table's arrays once per flow (at the end of the pass, or
 * when a flow is evicted): what `conversations` prints and what handshakes and services aggregate.
 */
import { ipTextAt } from '../decode/address.js';
import { IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_TCP, IPPROTO_UDP } from '../wire/ipv4.js';
import { FLOW_ICMP_REJECTED, type FlowTable } from '../flows/flow-table.js';
import { connState, type ConnState } from '../flows/states.js';
import { HS_ACK, HS_REJECTED, HS_SYN, HS_SYNACK } from '../flows/tcp-state.js';

export interface Endpoint {
  ip: string;
  /** The port (TCP, UDP); for ICMP the type (originator) and code or reply type (responder); 0 otherwise. */
  port: number;
}

export type HandshakeOutcome = 'established' | 'synack-only' | 'rejected' | 'unanswered';

export interface FlowRecord {
  /** tcp, udp, icmp, icmp6, or the IP protocol number as text. */
  proto: string;
  /** The IP protocol number. */
  protocol: number;
  ipVersion: number;
  orig: Endpoint;
  resp: Endpoint;
  /** Seconds since the epoch of the first packet. */
  start: number;
  /** The same, exactly: whole seconds and nanoseconds. */
  startSec: number;
  startNsec: number;
  /** Seconds from the first packet to the last. */
  duration: number;
  /** The same, exactly, in nanoseconds. */
  durationNs: number;
  packets: { orig: number; resp: number };
  /** IP bytes (headers included) each way. */
  bytes: { orig: number; resp: number };
  /** Transport payload bytes each way. */
  payload: { orig: number; resp: number };
  /** Zeek's conn_state. */
  state: ConnState;
  /** Zeek's history letters. */
  history: string;
  /** True when the responder sent anything back. */
  answered: boolean;
  /** True when an ICMP error (port unreachable...) quoted one of the originator's packets. */
  rejected: boolean;
  /** Frame number of the flow's first packet. */
  firstFrame: number;
  /** For TCP flows where the originator sent a SYN: how the handshake went; null otherwise. */
  handshake: HandshakeOutcome | null;
}

/** Names an IP protocol as the analyses print it. */
export function protocolName(proto: number): string {
  switch (proto) {
    case IPPROTO_TCP:
      return 'tcp';
    case IPPROTO_UDP:
      return 'udp';
    case IPPROTO_ICMP:
      return 'icmp';
    case IPPROTO_ICMPV6:
      return 'icmp6';
    case 2:
      return 'igmp';
    case 132:
      return 'sctp';
    case 47:
      return 'gre';
    case 50:
      return 'esp';
    case 51:
      return 'ah';
    default:
      return String(proto);
  }
}

/** The handshake outcome of a TCP flow from its progress bits, or null when the originator sent no SYN. */
export function handshakeOutcome(bits: number): HandshakeOutcome | null {
  if ((bits & HS_SYN) === 0) return null;
  if ((bits & HS_ACK) !== 0) return 'established';
  if ((bits & HS_SYNACK) !== 0) return 'synack-only';
  if ((bits & HS_REJECTED) !== 0) return 'rejected';
  return 'unanswered';
}

/** Reads one flow out of the table. */
export function flowRecord(t: FlowTable, id: number): FlowRecord {
  const v = t.version(id);
  const proto = t.proto(id);
  const history = t.historyString(id);
  const origPayload = t.payloadBytes(id, 0);
  const respPayload = t.payloadBytes(id, 1);
  return {
    proto: protocolName(proto),
    protocol: proto,
    ipVersion: v,
    orig: { ip: ipTextAt(v, t.words, t.addrIndex(id, 0)), port: t.origPort(id) },
    resp: { ip: ipTextAt(v, t.words, t.addrIndex(id, 1)), port: t.respPort(id) },
    start: t.start(id),
    startSec: t.startSec(id),
    startNsec: t.startNsec(id),
    duration: t.duration(id),
    durationNs: t.durationNs(id),
    packets: { orig: t.packets(id, 0), resp: t.packets(id, 1) },
    bytes: { orig: t.ipBytes(id, 0), resp: t.ipBytes(id, 1) },
    payload: { orig: origPayload, resp: respPayload },
    state: connState(t.transport(id), t.endpointState(id, 0), t.endpointState(id, 1), origPayload, respPayload, history),
    history,
    answered: t.packets(id, 1) > 0,
    rejected: (t.flags(id) & FLOW_ICMP_REJECTED) !== 0,
    firstFrame: t.firstFrame(id),
    handshake: proto === IPPROTO_TCP ? handshakeOutcome(t.handshake(id)) : null,
  };
}

/**
 * Collects every flow's record: those evicted during the pass (kept as they left) and those still in the
 * table at the end, ordered by start time then first frame.
 */
export class FlowRecords {
  readonly evicted: FlowRecord[] = [];
  private readonly keep: ((t: FlowTable, id: number) => boolean) | undefined;

  constructor(keep?: (t: FlowTable, id: number) => boolean) {
    this.keep = keep;
  }

  /** Records a flow about to be evicted (when it passes the `keep` test). */
  onEvicted(t: FlowTable, id: number): void {
    if (this.keep === undefined || this.keep(t, id)) this.evicted.push(flowRecord(t, id));
  }

  /** All records (of every table), in order. */
  all(tables: readonly FlowTable[]): FlowRecord[] {
    const out = this.evicted.slice();
    for (const t of tables) {
      t.forEach((id) => {
        if (this.keep === undefined || this.keep(t, id)) out.push(flowRecord(t, id));
      });
    }
    out.sort(compareRecords);
    return out;
  }
}

/** Orders records by start time (exactly), then first frame. */
export function compareRecords(a: FlowRecord, b: FlowRecord): number {
  return a.startSec - b.startSec || a.startNsec - b.startNsec || a.firstFrame - b.firstFrame;
}
