/**
 * A TCP connection played out packet by packet with consistent sequence and acknowledgment numbers,
 * Linux-like options (mss, sackOK, timestamps, window scale) and timing from a round-trip time.
 * `t` is the time of the next packet; each change of direction adds half the round-trip time.
 */
import { isIpv6 } from './addr.js';
import type { CaptureBuilder, PacketOptions, Time } from './capture-builder.js';
import { linuxSynOptions, timestampOptions, type TcpOption } from './tcp.js';

export interface TcpConnectionSpec {
  /** Time of the first packet (the SYN). */
  t: Time;
  client: string;
  cport: number;
  server: string;
  sport: number;
  /** Round-trip time in seconds (default 0.02). */
  rtt?: number;
  /** Initial sequence numbers (default: from the builder's rng). */
  clientIsn?: number;
  serverIsn?: number;
  /** MSS both sides announce (default 1460, 1440 over IPv6). */
  mss?: number;
  /** Window scale shift both sides announce (default 7). */
  wscale?: number;
  /** Send TCP timestamps (default true). */
  timestamps?: boolean;
  /** TTL / hop limit of the client's and the server's packets (default 64 and 56: the server is hops away). */
  clientTtl?: number;
  serverTtl?: number;
  /** Options applied to the client's and server's IP packets (e.g. VLAN tags). */
  clientPacket?: PacketOptions;
  serverPacket?: PacketOptions;
}

export type Side = 'client' | 'server';

export class TcpConnection {
  /** Time of the next packet. */
  t: Time;
  /** Next sequence number each side sends. */
  clientSeq: number;
  serverSeq: number;
  readonly clientIsn: number;
  readonly serverIsn: number;
  /** Packets this connection added to the capture. */
  packets = 0;
  /** Payload bytes each side sent. */
  clientBytes = 0;
  serverBytes = 0;
  readonly rtt: number;
  readonly mss: number;
  private readonly t0: Time;
  private readonly wscale: number;
  private readonly ts: boolean;
  private readonly tsBase: { client: number; server: number };
  private readonly ipId: { client: number; server: number };
  /** Whether each side has seen the other's SYN (so its ACK field is meaningful). */
  private serverSynSent = false;

  constructor(
    private readonly cap: CaptureBuilder,
    readonly spec: TcpConnectionSpec,
  ) {
    const rng = cap.rng;
    this.t = spec.t;
    this.t0 = spec.t;
    this.rtt = spec.rtt ?? 0.02;
    this.clientIsn = spec.clientIsn ?? rng.u32();
    this.serverIsn = spec.serverIsn ?? rng.u32();
    this.clientSeq = this.clientIsn;
    this.serverSeq = this.serverIsn;
    this.mss = spec.mss ?? (isIpv6(spec.client) ? 1440 : 1460);
    this.wscale = spec.wscale ?? 7;
    this.ts = spec.timestamps ?? true;
    this.tsBase = { client: rng.u32(), server: rng.u32() };
    this.ipId = { client: rng.int(1, 65535), server: rng.int(1, 65535) };
  }

  /** Client SYN (again, with the same ISN, for a retransmission). */
  syn(retransmit = false): this {
    if (retransmit) this.clientSeq = this.clientIsn;
    const opts = this.ts ? linuxSynOptions(this.mss, this.tsval('client'), 0, this.wscale) : [{ kind: 'mss', value: this.mss } as const];
    this.emit('client', 'S', 0, opts, 64240);
    this.clientSeq = (this.clientIsn + 1) >>> 0;
    return this;
  }

  /** Server SYN/ACK, half a round trip after the SYN. */
  synAck(): this {
    this.t += this.rtt / 2;
    const opts = this.ts
      ? linuxSynOptions(this.mss, this.tsval('server'), this.tsval('client', -this.rtt / 2), this.wscale)
      : [{ kind: 'mss', value: this.mss } as const];
    this.serverSeq = this.serverIsn;
    this.emit('server', 'SA', 0, opts, 65160);
    this.serverSeq = (this.serverIsn + 1) >>> 0;
    this.serverSynSent = true;
    return this;
  }

  /** Server RST/ACK refusing the SYN (a closed port): sequence 0, acknowledging the SYN. */
  refuse(): this {
    this.t += this.rtt / 2;
    this.cap.tcp(this.t, this.spec.server, this.spec.client, { sport: this.spec.sport, dport: this.spec.cport, seq: 0, ack: this.clientSeq, flags: 'RA', window: 0 }, this.ipOpts('server', false));
    this.packets++;
    return this;
  }

  /** The three-way handshake: SYN, SYN/ACK, ACK. */
  handshake(): this {
    this.syn();
    this.synAck();
    this.t += this.rtt / 2;
    this.emit('client', 'A', 0);
    return this;
  }

  /**
   * Sends data from one side, cut into MSS-sized segments (PSH on the last), and has the other side
   * acknowledge it (every second segment and the last) half a round trip later unless ack is false.
   */
  send(from: Side, data: Uint8Array, ack = true): this {
    const max = this.mss - (this.ts ? 12 : 0);
    let sent = 0;
    let unacked = 0;
    const acks: number[] = [];
    if (data.length === 0) return this;
    const start = this.t;
    for (let off = 0; off < data.length; off += max) {
      const chunk = data.subarray(off, Math.min(off + max, data.length));
      const last = off + max >= data.length;
      this.emit(from, last ? 'PA' : 'A', 0, undefined, undefined, chunk);
      sent++;
      unacked++;
      if (unacked === 2 || last) {
        acks.push(from === 'client' ? this.clientSeq : this.serverSeq);
        unacked = 0;
      }
      if (!last) this.t += 0.00004;
    }
    if (ack) {
      const other: Side = from === 'client' ? 'server' : 'client';
      const base = start + this.rtt / 2;
      for (let i = 0; i < acks.length; i++) {
        this.t = Math.max(this.t + 0.000001, base + i * 0.00008);
        this.emit(other, 'A', 0, undefined, undefined, undefined, acks[i]);
      }
    }
    void sent;
    return this;
  }

  /**
   * A request/response round: the client sends request, the server answers after serverTime (its data
   * acknowledging the request), and the client acknowledges the answer.
   */
  exchange(request: Uint8Array, response: Uint8Array, serverTime = 0.004): this {
    this.send('client', request, false);
    this.t += this.rtt / 2 + serverTime;
    this.send('server', response, true);
    this.t += 0.001;
    return this;
  }

  /** Waits (advances the clock) before the next packet. */
  wait(seconds: number): this {
    this.t += seconds;
    return this;
  }

  /** Orderly close: FIN/ACK from `by`, FIN/ACK back, final ACK. */
  close(by: Side = 'client'): this {
    const other: Side = by === 'client' ? 'server' : 'client';
    this.emit(by, 'FA', 1);
    this.t += this.rtt / 2;
    this.emit(other, 'FA', 1);
    this.t += this.rtt / 2;
    this.emit(by, 'A', 0);
    return this;
  }

  /** Abort with RST/ACK from one side. */
  reset(by: Side = 'client'): this {
    this.emit(by, 'RA', 0, [], 0);
    return this;
  }

  /** The TCP timestamp value a side would send at time t + delta (milliseconds since the connection began). */
  private tsval(side: Side, delta = 0): number {
    return (this.tsBase[side] + Math.max(0, Math.round((this.t + delta - this.t0) * 1000))) >>> 0;
  }

  private ipOpts(side: Side, df = true): PacketOptions {
    const id = this.ipId[side];
    this.ipId[side] = (id + 1) & 0xffff;
    const base = side === 'client' ? this.spec.clientPacket : this.spec.serverPacket;
    const ttl = side === 'client' ? (this.spec.clientTtl ?? 64) : (this.spec.serverTtl ?? 56);
    return { ttl, id: isIpv6(this.spec.client) ? 0 : id, df, ...(base ?? {}) };
  }

  /**
   * Emits one segment from a side at this.t; `consumes` is the sequence space it uses beyond its payload
   * (1 for FIN). ackOverride sets the acknowledgment number (for delayed ACKs of earlier data).
   */
  private emit(from: Side, flags: string, consumes: number, options?: TcpOption[], window?: number, payload?: Uint8Array, ackOverride?: number): void {
    const client = from === 'client';
    const seq = client ? this.clientSeq : this.serverSeq;
    const hasAck = flags.includes('A');
    const ack = ackOverride ?? (client ? (this.serverSynSent ? this.serverSeq : 0) : this.clientSeq);
    const other: Side = client ? 'server' : 'client';
    const opts = options ?? (this.ts ? timestampOptions(this.tsval(from), this.tsval(other, -this.rtt / 2)) : []);
    this.cap.tcp(
      this.t,
      client ? this.spec.client : this.spec.server,
      client ? this.spec.server : this.spec.client,
      {
        sport: client ? this.spec.cport : this.spec.sport,
        dport: client ? this.spec.sport : this.spec.cport,
        seq,
        ack: hasAck ? ack : 0,
        flags,
        window: window ?? (client ? 502 : 509),
        options: opts,
        ...(payload ? { payload } : {}),
      },
      this.ipOpts(from),
    );
    this.packets++;
    const len = (payload?.length ?? 0) + consumes;
    if (client) {
      this.clientSeq = (this.clientSeq + len) >>> 0;
      this.clientBytes += payload?.length ?? 0;
    } else {
      this.serverSeq = (this.serverSeq + len) >>> 0;
      this.serverBytes += payload?.length ?? 0;
    }
  }
}
