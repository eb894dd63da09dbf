/**
 * Port scans, judged per connection when it ends: what the scanner's first packet looked like (SYN, FIN,
 * none, FIN+PSH+URG, bare ACK, FIN+ACK, a UDP datagram) and how the target answered (SYN+ACK or a reply:
 * open; RST or ICMP port unreachable: closed; nothing: filtered or open|filtered). See
 * docs/CONNECTION-STATES.md for how each nmap scan looks on the wire.
 *
 * Thresholds: probes normal stacks never send count from `flagScanProbes` endpoints; SYN, connect, ACK
 * and UDP scans need `scanPorts` ports on one host or `scanHosts` hosts on one port within the window,
 * and more failed than successful attempts there, so a busy client's ordinary traffic never qualifies.
 */
import { ICMP_NONE, ICMP_PORT_UNREACHABLE, type Connection } from './connections.js';
import type { Detector, FinishContext } from './detector.js';
import { PairIndex, type HostIds } from './hosts.js';
import { KeptFlows } from './kept.js';
import {
  allOf,
  dstHosts,
  dstPorts,
  endpoint,
  firstFrames,
  isV6,
  keepFirstFrames,
  listSome,
  maxInWindow,
  plural,
  sortedHosts,
  sortedPorts,
  tcpFlagTest,
} from './evidence.js';
import { IPPROTO_TCP as PROTO_TCP, IPPROTO_UDP as PROTO_UDP } from '../../wire/ipv4.js';
import { TCP_ACK_FLAG as TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, TCP_URG } from '../../decode/tcp.js';
import { TCP_FLAG_MASK } from './odd-flags.js';
import type { FindingsOptions } from './options.js';
import type { Finding, FindingKind, ScanDetails } from './types.js';

type ScanKind = 'syn-scan' | 'connect-scan' | 'fin-scan' | 'null-scan' | 'xmas-scan' | 'ack-scan' | 'maimon-scan' | 'udp-scan';
type ProbeState = 'open' | 'closed' | 'silent';

/** A small number per scan kind, to key a scanner's groups without building text. */
const SCAN_KIND_INDEX: Readonly<Record<ScanKind, number>> = {
  'syn-scan': 0,
  'connect-scan': 1,
  'fin-scan': 2,
  'null-scan': 3,
  'xmas-scan': 4,
  'ack-scan': 5,
  'maimon-scan': 6,
  'udp-scan': 7,
};

/** A raw-socket SYN (nmap -sS, masscan): a small window and at most an MSS option. */
export const RAW_SYN_MAX_WINDOW = 4096;
export const RAW_SYN_MAX_OPTIONS = 4;

/** The first-packet flags of the probes that normal stacks never send outside a connection. */
export const XMAS_FLAGS = TCP_FIN | TCP_PSH | TCP_URG;
export const MAIMON_FLAGS = TCP_FIN | TCP_ACK;

/** The flags byte test that selects each scan's probes in the evidence filter. */
const PROBE_TEST: Readonly<Record<Exclude<ScanKind, 'udp-scan'>, [number, number]>> = {
  'syn-scan': [TCP_SYN | TCP_ACK | TCP_RST | TCP_FIN, TCP_SYN],
  'connect-scan': [TCP_SYN | TCP_ACK | TCP_RST | TCP_FIN, TCP_SYN],
  'fin-scan': [TCP_FLAG_MASK, TCP_FIN],
  'null-scan': [TCP_FLAG_MASK, 0],
  'xmas-scan': [TCP_FLAG_MASK, XMAS_FLAGS],
  'ack-scan': [TCP_FLAG_MASK, TCP_ACK],
  'maimon-scan': [TCP_FLAG_MASK, MAIMON_FLAGS],
};

/** Each scan's name, and how it works and reads, for the explanation. */
const WHAT: Readonly<Record<ScanKind, [string, string]>> = {
  'syn-scan': ['SYN (half-open) scan', '(nmap -sS, masscan): open ports answer SYN+ACK and the scanner resets instead of completing the handshake'],
  'connect-scan': ['TCP connect scan', '(nmap -sT): each open port gets a full handshake that is torn down at once with no data'],
  'fin-scan': ['FIN scan', '(nmap -sF): a FIN outside any connection is something no normal TCP stack sends; closed ports answer RST, open or filtered ones stay silent'],
  'null-scan': ['NULL scan', '(nmap -sN): TCP segments with no flags at all are something no normal stack sends; closed ports answer RST, open or filtered ones stay silent'],
  'xmas-scan': ['XMAS scan', '(nmap -sX): FIN+PSH+URG outside any connection is something no normal stack sends; closed ports answer RST, open or filtered ones stay silent'],
  'ack-scan': ['ACK scan', '(nmap -sA): bare ACKs outside any connection map a firewall; a RST means the port is unfiltered, silence that it is filtered'],
  'maimon-scan': ['Maimon scan', '(nmap -sM): FIN+ACK outside any connection; closed ports answer RST, some stacks stay silent for open ones'],
  'udp-scan': ['UDP scan', '(nmap -sU): closed ports answer ICMP port unreachable, open ones reply, others stay silent'],
};

/** Why a scan too small for the thresholds was still reported. */
const SIGNATURE: Partial<Record<ScanKind, string>> = {
  'connect-scan': 'Few ports, but handshakes torn down at once with no data, to several ports of one host, are what a connect scan leaves.',
  'udp-scan': 'Few ports, but probes to several ports of one host from a single source port, refused with ICMP port unreachable, are what nmap -sU leaves.',
};


/** Probe answers as small numbers, ranked: open over closed over silent. */
const SILENT = 0;
const CLOSED = 1;
const OPEN = 2;
const STATE_OF: Readonly<Record<ProbeState, number>> = { silent: SILENT, closed: CLOSED, open: OPEN };

/** A UDP source port and target host as one number: source port * 2^32 + host number. */
const HOSTS = 4294967296;

/**
 * What the judging asks of a group's endpoints (each endpoint counted once): per target host number and
 * per port, how many endpoints were probed, and the first failed probe's time of each failed one.
 */
interface GroupViews {
  hostPorts: Map<number, number>;
  portHosts: Map<number, number>;
  failedHostPorts: Map<number, number[]>;
  failedPortHosts: Map<number, number[]>;
}

function pushTo(m: Map<number, number[]>, key: number, v: number): void {
  const list = m.get(key);
  if (list === undefined) m.set(key, [v]);
  else list.push(v);
}

/** One scanner's probes of one kind. Hosts are kept by number (HostIds), turned into text only when judged. */
class ScanGroup {
  probes = 0;
  packets = 0;
  start = Infinity;
  end = -Infinity;
  frames: number[] = [];
  /** The group's targets numbered from 0 (host number -> slot, and back); the last one asked, at hand. */
  private readonly hostSlots = new Map<number, number>();
  readonly slotHosts: number[] = [];
  private lastHost = -1;
  private lastSlot = -1;
  /**
   * The endpoints probed, in the order first probed, in columns: target slot, port, best answer (OPEN over
   * CLOSED over SILENT), and the first failed (closed or silent, as Zeek counts scans) probe's time, NaN
   * while none failed. A scanner's hundreds of thousands of probes cost no object each.
   */
  size = 0;
  /** Endpoints with a failed probe. */
  failed = 0;
  epSlot: Int32Array = new Int32Array(8);
  epPort: Uint16Array = new Uint16Array(8);
  epState: Uint8Array = new Uint8Array(8);
  epFailed: Float64Array = new Float64Array(8);
  /** Open addressing over (slot, port): endpoint + 1 per slot, 0 when empty. */
  private index = new Int32Array(16);
  /** Connect probes torn down at once after a completed handshake. */
  immediateTeardowns = 0;
  /** UDP: source port * HOSTS + host number -> destination ports probed from that one source port. */
  readonly fromOnePort = new Map<number, Set<number>>();
  probe = '';

  constructor(
    readonly scanner: string,
    readonly scannerId: number,
    readonly kind: ScanKind,
  ) {}

  /** Built from the endpoints when the group is judged (a probe then costs one endpoint lookup). */
  get hostPorts(): Map<number, number> {
    return this.views().hostPorts;
  }
  get portHosts(): Map<number, number> {
    return this.views().portHosts;
  }
  get failedHostPorts(): Map<number, number[]> {
    return this.views().failedHostPorts;
  }
  get failedPortHosts(): Map<number, number[]> {
    return this.views().failedPortHosts;
  }

  private viewsMade: GroupViews | undefined;

  private views(): GroupViews {
    if (this.viewsMade !== undefined) return this.viewsMade;
    const v: GroupViews = { hostPorts: new Map(), portHosts: new Map(), failedHostPorts: new Map(), failedPortHosts: new Map() };
    for (let i = 0; i < this.size; i++) {
      const host = this.slotHosts[this.epSlot[i]!]!;
      const port = this.epPort[i]!;
      v.hostPorts.set(host, (v.hostPorts.get(host) ?? 0) + 1);
      v.portHosts.set(port, (v.portHosts.get(port) ?? 0) + 1);
      const time = this.epFailed[i]!;
      if (time === time) {
        pushTo(v.failedHostPorts, host, time);
        pushTo(v.failedPortHosts, port, time);
      }
    }
    return (this.viewsMade = v);
  }

  /** Adds one probe: its target host number and port, the scanner's source port, its answer and times. */
  add(host: number, port: number, srcPort: number, state: number, start: number, last: number, frame0: number, packets: number, sampleLimit: number): void {
    this.probes++;
    this.packets += packets;
    if (start < this.start) this.start = start;
    if (last > this.end) this.end = last;
    keepFirstFrames(this.frames, frame0, sampleLimit);
    let slot = this.lastSlot;
    if (host !== this.lastHost) {
      const known = this.hostSlots.get(host);
      if (known === undefined) {
        slot = this.slotHosts.length;
        this.hostSlots.set(host, slot);
        this.slotHosts.push(host);
      } else slot = known;
      this.lastHost = host;
      this.lastSlot = slot;
    }
    const e = this.endpoint(slot, port);
    if (state !== OPEN && this.epFailed[e] !== this.epFailed[e]) {
      this.epFailed[e] = start;
      this.failed++;
    }
    if (state > this.epState[e]!) this.epState[e] = state;
    if (this.kind === 'udp-scan') {
      const key = srcPort * HOSTS + host;
      let set = this.fromOnePort.get(key);
      if (set === undefined) this.fromOnePort.set(key, (set = new Set()));
      set.add(port);
    }
  }

  /** The endpoint (slot, port), added (SILENT, nothing failed) on first sight. */
  private endpoint(slot: number, port: number): number {
    const mask = this.index.length - 1;
    let i = Math.imul(slot ^ Math.imul(port, 0x9e3779b1), 0x85ebca6b) >>> 0;
    for (i &= mask; ; i = (i + 1) & mask) {
      const at = this.index[i]!;
      if (at === 0) break;
      if (this.epPort[at - 1] === port && this.epSlot[at - 1] === slot) return at - 1;
    }
    const e = this.size++;
    if (e === this.epSlot.length) this.growEndpoints(e * 2);
    this.epSlot[e] = slot;
    this.epPort[e] = port;
    this.epState[e] = SILENT;
    this.epFailed[e] = NaN;
    this.index[i] = e + 1;
    if (this.size * 2 > this.index.length) this.rehash(this.index.length * 2);
    return e;
  }

  private growEndpoints(n: number): void {
    const slot = new Int32Array(n);
    slot.set(this.epSlot);
    this.epSlot = slot;
    const port = new Uint16Array(n);
    port.set(this.epPort);
    this.epPort = port;
    const state = new Uint8Array(n);
    state.set(this.epState);
    this.epState = state;
    const failed = new Float64Array(n);
    failed.set(this.epFailed);
    this.epFailed = failed;
  }

  private rehash(n: number): void {
    this.index = new Int32Array(n);
    const mask = n - 1;
    for (let e = 0; e < this.size; e++) {
      let i = (Math.imul(this.epSlot[e]! ^ Math.imul(this.epPort[e]!, 0x9e3779b1), 0x85ebca6b) >>> 0) & mask;
      while (this.index[i] !== 0) i = (i + 1) & mask;
      this.index[i] = e + 1;
    }
  }
}

function describeProbe(kind: ScanKind, f: number, window: number, optionsLen: number): string {
  if (kind === 'udp-scan') return 'UDP datagram';
  const names: string[] = [];
  if (f & TCP_SYN) names.push('SYN');
  if (f & TCP_FIN) names.push('FIN');
  if (f & TCP_RST) names.push('RST');
  if (f & TCP_PSH) names.push('PSH');
  if (f & TCP_ACK) names.push('ACK');
  if (f & TCP_URG) names.push('URG');
  const flags = names.length === 0 ? 'no flags' : names.join('+');
  return `${flags}, win ${window}${optionsLen > 0 ? `, ${optionsLen} bytes of options` : ', no options'}`;
}

/**
 * What each TCP client's successful connections reached, weighed against its failures: counts per
 * (client, host) and per (client, port), in rows of two pair indexes, so a success costs no object.
 */
class Successes {
  private readonly hostIndex = new PairIndex();
  private readonly portIndex = new PairIndex();
  private hostCounts: Float64Array = new Float64Array(1024);
  private portCounts: Float64Array = new Float64Array(1024);

  add(client: number, host: number, port: number): void {
    const h = this.hostIndex.row(client, host);
    if (h >= this.hostCounts.length) this.hostCounts = grownF64(this.hostCounts, this.hostCounts.length * 2);
    this.hostCounts[h]++;
    const p = this.portIndex.row(client, port);
    if (p >= this.portCounts.length) this.portCounts = grownF64(this.portCounts, this.portCounts.length * 2);
    this.portCounts[p]++;
  }

  /** Successful connections of `client` to host `host` (0 when none). */
  toHost(client: number, host: number): number {
    const r = this.hostIndex.find(client, host);
    return r < 0 ? 0 : this.hostCounts[r]!;
  }

  /** Successful connections of `client` to port `port` on any host (0 when none). */
  toPort(client: number, port: number): number {
    const r = this.portIndex.find(client, port);
    return r < 0 ? 0 : this.portCounts[r]!;
  }
}

/** UDP datagrams a host answered for one client (an nmap -sU open port, or ordinary service traffic). */
class Answered {
  probes = 0;
  packets = 0;
  start = Infinity;
  end = -Infinity;
  readonly frames: number[] = [];
  readonly ports = new Set<number>();
}

function grownF64(a: Float64Array, n: number): Float64Array {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}

/**
 * What each host answered each UDP client, in columns (a row per client and host, chained per client):
 * every answered DNS query lands here, and only the clients that also sent unanswered probes are ever
 * looked at, so the rows stay numbers until `of` builds the Answered objects for one client.
 */
class AnsweredRows {
  private readonly index = new PairIndex();
  /** Client host number -> its last row; rows chain back through `prev`. */
  private readonly lastOfClient = new Map<number, number>();
  private rows = 0;
  private cap = 0;
  private server: Float64Array = new Float64Array(0);
  private prev: Float64Array = new Float64Array(0);
  private probes: Float64Array = new Float64Array(0);
  private packets: Float64Array = new Float64Array(0);
  private start: Float64Array = new Float64Array(0);
  private end: Float64Array = new Float64Array(0);
  private port: Float64Array = new Float64Array(0);
  /** The first `sampleFrames` frames of each row. */
  private frames: Float64Array = new Float64Array(0);
  /** Rows whose host answered on more than one port: all of them. */
  private readonly ports = new Map<number, Set<number>>();

  constructor(private readonly sampleFrames: number) {}

  add(c: Connection): void {
    const r = this.index.row(c.origId, c.respId);
    if (this.index.created) {
      this.rows++;
      if (r === this.cap) this.grow(Math.max(1024, r * 2));
      this.server[r] = c.respId;
      this.prev[r] = this.lastOfClient.get(c.origId) ?? -1;
      this.lastOfClient.set(c.origId, r);
      this.start[r] = Infinity;
      this.end[r] = -Infinity;
      this.port[r] = c.respPort;
    }
    const n = this.probes[r]!;
    if (n < this.sampleFrames) this.frames[r * this.sampleFrames + n] = c.frame0;
    this.probes[r] = n + 1;
    this.packets[r] += c.origPkts + c.respPkts;
    const start = c.start;
    if (start < this.start[r]!) this.start[r] = start;
    const last = c.last;
    if (last > this.end[r]!) this.end[r] = last;
    const port = c.respPort;
    if (port !== this.port[r]) {
      let set = this.ports.get(r);
      if (set === undefined) this.ports.set(r, (set = new Set([this.port[r]!])));
      if (set.size < 65536) set.add(port);
    }
  }

  /** What each host answered client `client` (by host number), or undefined when nothing. */
  of(client: number): Map<number, Answered> | undefined {
    let r = this.lastOfClient.get(client);
    if (r === undefined) return undefined;
    const out = new Map<number, Answered>();
    const rows: number[] = [];
    for (; r >= 0; r = this.prev[r]!) rows.push(r);
    for (const row of rows.reverse()) {
      const a = new Answered();
      a.probes = this.probes[row]!;
      a.packets = this.packets[row]!;
      a.start = this.start[row]!;
      a.end = this.end[row]!;
      for (let i = 0; i < Math.min(a.probes, this.sampleFrames); i++) a.frames.push(this.frames[row * this.sampleFrames + i]!);
      for (const p of this.ports.get(row) ?? [this.port[row]!]) a.ports.add(p);
      out.set(this.server[row]!, a);
    }
    return out;
  }

  private grow(n: number): void {
    this.server = grownF64(this.server, n);
    this.prev = grownF64(this.prev, n);
    this.probes = grownF64(this.probes, n);
    this.packets = grownF64(this.packets, n);
    this.start = grownF64(this.start, n);
    this.end = grownF64(this.end, n);
    this.port = grownF64(this.port, n);
    this.frames = grownF64(this.frames, n * this.sampleFrames);
    this.cap = n;
  }
}

const SCAN_KINDS = Object.keys(SCAN_KIND_INDEX) as ScanKind[];

/** Columns per pending probe: scanner, kind, host, port, source port, state, start, last, frame, packets, teardown, flags, window, options. */
const PENDING_STRIDE = 14;

/**
 * The first probe of each scanner's group, kept as numbers: most groups (a client's one unanswered datagram
 * or refused connection) never see a second probe, and one probe alone never makes a scan under thresholds
 * above 1, so the group's maps are built only when a second probe comes (or when the thresholds ask).
 */
class PendingProbes {
  private cols: Float64Array = new Float64Array(1024 * PENDING_STRIDE);
  private n = 0;

  /** Keeps a connection's probe; returns its number. */
  add(c: Connection, kind: number, state: number, teardown: boolean): number {
    const i = this.n++;
    if (i * PENDING_STRIDE === this.cols.length) this.cols = grownF64(this.cols, this.cols.length * 2);
    const a = this.cols;
    const b = i * PENDING_STRIDE;
    a[b] = c.origId;
    a[b + 1] = kind;
    a[b + 2] = c.respId;
    a[b + 3] = c.respPort;
    a[b + 4] = c.origPort;
    a[b + 5] = state;
    a[b + 6] = c.start;
    a[b + 7] = c.last;
    a[b + 8] = c.frame0;
    a[b + 9] = c.origPkts + c.respPkts;
    a[b + 10] = teardown ? 1 : 0;
    a[b + 11] = c.firstFlags;
    a[b + 12] = c.firstWindow;
    a[b + 13] = c.firstOptionsLen;
    return i;
  }

  kind(i: number): ScanKind {
    return SCAN_KINDS[this.cols[i * PENDING_STRIDE + 1]!]!;
  }

  state(i: number): number {
    return this.cols[i * PENDING_STRIDE + 5]!;
  }

  scanner(i: number): number {
    return this.cols[i * PENDING_STRIDE]!;
  }

  /** The group holding probe `i` alone. */
  group(i: number, hosts: HostIds, sampleLimit: number): ScanGroup {
    const a = this.cols;
    const b = i * PENDING_STRIDE;
    const kind = this.kind(i);
    const g = new ScanGroup(hosts.name(a[b]!), a[b]!, kind);
    g.probe = describeProbe(kind, a[b + 11]!, a[b + 12]!, a[b + 13]!);
    g.add(a[b + 2]!, a[b + 3]!, a[b + 4]!, a[b + 5]!, a[b + 6]!, a[b + 7]!, a[b + 8]!, a[b + 9]!, sampleLimit);
    if (a[b + 10] === 1) g.immediateTeardowns++;
    return g;
  }
}

/** Finds port scans of every kind. */
export class ScanDetector implements Detector {
  /** Scanner host number * 8 + scan kind index -> its probes. */
  private readonly groups = new Map<number, ScanGroup | number>();
  /** The groups of one probe so far (numbers in `groups`). */
  private readonly pending = new PendingProbes();
  /** TCP client -> the hosts (by number) and ports its successful connections reached. */
  private readonly successes = new Successes();
  /** UDP client -> host (by number) -> what that host answered. */
  private readonly answered: AnsweredRows;
  /**
   * TCP successes (client, host, port) and UDP ones met in the sweep at the end: filed in `successes` and
   * `answered` only for the clients judged as scanners (the only ones those are asked about), when the
   * groups are judged.
   */
  private readonly keptTcp = new KeptFlows({ k2: true });
  private readonly keptUdp = new KeptFlows();
  private cursor: Connection | undefined;

  constructor(
    private readonly options: FindingsOptions,
    private readonly hosts: HostIds,
  ) {
    this.answered = new AnsweredRows(options.sampleFrames);
  }

  connection(c: Connection): void {
    const probe = c.proto === PROTO_TCP ? classifyTcp(c, this.options) : c.proto === PROTO_UDP ? classifyUdp(c) : undefined;
    if (probe === undefined) return;
    if (probe === 'success') {
      if (c.kept) {
        if (this.cursor === undefined) {
          // The sweep has begun: its flows bound the notes.
          this.keptTcp.reserve(c.keptCount);
          this.keptUdp.reserve(c.keptCount);
        }
        this.cursor = c;
        if (c.proto === PROTO_UDP) this.keptUdp.push(c.origId, c.respId, 0, c.keptId, 0);
        else this.keptTcp.push(c.origId, c.respId, c.respPort, c.keptId, 0);
        return;
      }
      if (c.proto === PROTO_UDP) return this.addAnswered(c);
      this.successes.add(c.origId, c.respId, c.respPort);
      return;
    }
    const [kind, state, teardown] = probe;
    const key = c.origId * 8 + SCAN_KIND_INDEX[kind];
    const sampleLimit = this.options.sampleFrames;
    const found = this.groups.get(key);
    if (found === undefined) {
      this.groups.set(key, this.pending.add(c, SCAN_KIND_INDEX[kind], STATE_OF[state], teardown));
      return;
    }
    let g: ScanGroup;
    if (typeof found === 'number') this.groups.set(key, (g = this.pending.group(found, this.hosts, sampleLimit)));
    else g = found;
    g.add(c.respId, c.respPort, c.origPort, STATE_OF[state], c.start, c.last, c.frame0, c.origPkts + c.respPkts, sampleLimit);
    if (teardown) g.immediateTeardowns++;
  }

  private addAnswered(c: Connection): void {
    this.answered.add(c);
  }

  /**
   * Files the successes kept from the sweep for the clients whose groups will be judged: TCP ones for SYN
   * and connect scanners with enough failed probes to reach a threshold, UDP ones for UDP scanners with
   * closed ports (a UDP group without is dismissed before its targets' answers are asked for). Keeps the
   * order they came in.
   */
  private fileKept(judgeSingles: boolean): void {
    const c = this.cursor;
    if (c === undefined) return;
    const o = this.options;
    const n = this.hosts.count;
    const tcp = new Uint8Array(n);
    const udp = new Uint8Array(n);
    let anyTcp = false;
    let anyUdp = false;
    for (const [key, g] of this.groups) {
      const scanner = Math.floor(key / 8);
      const kind = SCAN_KINDS[key % 8]!;
      if (typeof g === 'number' && !judgeSingles) continue;
      if (kind === 'syn-scan' || kind === 'connect-scan') {
        // Successes weigh only against a host or port with enough failed probes.
        const failed = typeof g === 'number' ? (this.pending.state(g) === OPEN ? 0 : 1) : g.failed;
        if (failed < Math.min(o.scanPorts, o.scanHosts)) continue;
        tcp[scanner] = 1;
        anyTcp = true;
      } else if (kind === 'udp-scan') {
        let closed = false;
        if (typeof g === 'number') closed = this.pending.state(g) === CLOSED;
        else for (let e = 0; e < g.size; e++) if (g.epState[e] === CLOSED) closed = true;
        if (closed) {
          udp[scanner] = 1;
          anyUdp = true;
        }
      }
    }
    const k = this.keptTcp;
    if (anyTcp) for (let i = 0; i < k.n; i++) if (tcp[k.k0[i]!] === 1) this.successes.add(k.k0[i]!, k.k1[i]!, k.k2[i]!);
    const u = this.keptUdp;
    if (anyUdp) for (let i = 0; i < u.n; i++) if (udp[u.k0[i]!] === 1) this.answered.add(c.again(u.id[i]!, u.k0[i]!, u.k1[i]!));
  }

  finish(ctx: FinishContext): Finding[] {
    const out: Finding[] = [];
    const o = this.options;
    // One probe alone makes a scan only under a threshold of 1.
    const judgeSingles = o.flagScanProbes <= 1 || o.scanPorts <= 1 || o.scanHosts <= 1;
    this.fileKept(judgeSingles);
    // FIN, NULL and XMAS probes of one scanner are judged together: nmap users often run all three.
    const stealth = new Map<string, number>();
    const hosts = this.hosts;
    for (const g of this.groups.values()) {
      const kind = typeof g === 'number' ? this.pending.kind(g) : g.kind;
      if (kind !== 'fin-scan' && kind !== 'null-scan' && kind !== 'xmas-scan') continue;
      const scanner = typeof g === 'number' ? hosts.name(this.pending.scanner(g)) : g.scanner;
      stealth.set(scanner, (stealth.get(scanner) ?? 0) + (typeof g === 'number' ? 1 : g.size));
    }
    for (const found of this.groups.values()) {
      if (typeof found === 'number' && !judgeSingles) continue;
      const g = typeof found === 'number' ? this.pending.group(found, hosts, o.sampleFrames) : found;
      const f = this.judge(g, stealth.get(g.scanner) ?? 0);
      if (f !== undefined) {
        out.push(f);
        ctx.addScan(f);
      }
    }
    return out;
  }

  private judge(g: ScanGroup, stealthEndpoints: number): Finding | undefined {
    const o = this.options;
    let closed = 0;
    let silent = 0;
    const open: string[] = [];
    const hosts = this.hosts;
    for (let e = 0; e < g.size; e++) {
      const st = g.epState[e]!;
      if (st === OPEN) open.push(endpoint(hosts.name(g.slotHosts[g.epSlot[e]!]!), g.epPort[e]!));
      else if (st === CLOSED) closed++;
      else silent++;
    }
    // A UDP scan needs closed ports; asking first spares building what its targets answered.
    if (g.kind === 'udp-scan' && closed === 0) return undefined;
    let vertical = false;
    let horizontal = false;
    let signature = false;
    const udp = g.kind === 'udp-scan';
    const scanner = g.scannerId;
    const wins = this.successes;
    const answered = udp ? this.answered.of(scanner) : undefined;
    const answeredHostsOn = (port: number): number => {
      let n = 0;
      if (answered !== undefined) for (const a of answered.values()) if (a.ports.has(port)) n++;
      return n;
    };
    if (g.kind === 'fin-scan' || g.kind === 'null-scan' || g.kind === 'xmas-scan' || g.kind === 'maimon-scan') {
      // FIN+ACK is also how normal connections end: only probes a closed port answered with RST count.
      const counted = g.kind === 'maimon-scan' ? closed : g.size;
      const pooled = g.kind !== 'maimon-scan' && counted >= 2 && stealthEndpoints >= o.flagScanProbes;
      if (counted < o.flagScanProbes && !pooled) return undefined;
      vertical = g.hostPorts.size === 1 || [...g.hostPorts.values()].some((n) => n >= 2);
      horizontal = [...g.portHosts.values()].some((n) => n >= 2);
    } else {
      const guard = g.kind !== 'ack-scan';
      // UDP replies are successes; a TCP SYN answered SYN+ACK and then reset is not.
      for (const [hostId, ports] of g.failedHostPorts) {
        if (maxInWindow(ports, o.scanWindowSeconds) < o.scanPorts) continue;
        const ok = udp ? (answered?.get(hostId)?.ports.size ?? 0) : wins.toHost(scanner, hostId);
        if (guard && ok >= ports.length) continue;
        vertical = true;
      }
      for (const [port, hosts] of g.failedPortHosts) {
        if (maxInWindow(hosts, o.scanWindowSeconds) < o.scanHosts) continue;
        const ok = udp ? answeredHostsOn(port) : wins.toPort(scanner, port);
        if (guard && ok >= hosts.length) continue;
        horizontal = true;
      }
      if (!vertical && !horizontal && g.kind === 'connect-scan' && g.immediateTeardowns >= o.signatureProbes) {
        const multiPort = [...g.hostPorts.values()].some((n) => n >= 2);
        if (multiPort) signature = vertical = true;
      }
      if (!vertical && !horizontal && g.kind === 'udp-scan' && closed >= 2) {
        // nmap sends every UDP probe from one source port; clients use a fresh port per service.
        for (const [key, failedPorts] of g.fromOnePort) {
          if (failedPorts.size < 2) continue;
          const all = new Set([...failedPorts, ...(answered?.get(key % HOSTS)?.ports ?? [])]);
          if (all.size >= o.signatureProbes) signature = vertical = true;
        }
      }
      if (!vertical && !horizontal) return undefined;
    }
    // A UDP group holds only unanswered probes; what the targets answered joins it as open ports.
    const idOf = new Map<string, number>();
    for (const id of g.hostPorts.keys()) idOf.set(hosts.name(id), id);
    const targets = sortedHosts(idOf.keys());
    const portSet = new Set(g.portHosts.keys());
    let answeredEndpoints = 0;
    if (udp && answered !== undefined) {
      for (const host of targets) {
        const a = answered.get(idOf.get(host)!);
        if (a === undefined) continue;
        g.probes += a.probes;
        g.packets += a.packets;
        g.start = Math.min(g.start, a.start);
        g.end = Math.max(g.end, a.end);
        g.frames.push(...a.frames);
        for (const p of a.ports) {
          portSet.add(p);
          open.push(endpoint(host, p));
          answeredEndpoints++;
        }
      }
    }
    const ports = sortedPorts(portSet);
    const shape: ScanDetails['shape'] =
      targets.length === 1 ? 'vertical' : ports.length === 1 ? 'horizontal' : vertical && horizontal ? 'both' : vertical ? 'vertical' : 'horizontal';
    const endpoints = g.size + answeredEndpoints;
    const severity = signature ? 'low' : endpoints >= 100 ? 'high' : 'medium';
    const v6 = isV6(g.scanner);
    const narrow = dstHosts(targets) || dstPorts(ports);
    const test =
      g.kind === 'udp-scan' ? (v6 ? 'ip6 and udp' : 'udp') : tcpFlagTest(v6, PROBE_TEST[g.kind][0], PROBE_TEST[g.kind][1]);
    const filter = allOf([`src host ${g.scanner}`, narrow, test]);
    const seconds = Math.max(0, g.end - g.start);
    const shapeText =
      shape === 'vertical'
        ? `${plural(ports.length, 'port')} on ${targets.length === 1 ? targets[0] : plural(targets.length, 'host')}`
        : shape === 'horizontal'
          ? `port ${listSome(ports)} on ${plural(targets.length, 'host')}`
          : `${plural(ports.length, 'port')} on ${plural(targets.length, 'host')}`;
    const answers =
      g.kind === 'ack-scan'
        ? `${closed} unfiltered (RST), ${silent} filtered (no answer)`
        : g.kind === 'syn-scan' || g.kind === 'connect-scan'
          ? `${open.length} open${open.length > 0 ? ` (${listSome(sortEndpoints(open))})` : ''}, ${closed} closed (RST), ${silent} filtered (no answer)`
          : g.kind === 'udp-scan'
            ? `${open.length} open (replied)${open.length > 0 ? ` (${listSome(sortEndpoints(open))})` : ''}, ${closed} closed (ICMP port unreachable), ${silent} open|filtered (no answer)`
            : `${closed} closed (RST), ${silent} open|filtered (no answer)`;
    const explanation =
      `${g.scanner} sent ${plural(g.probes, 'probe')} (${g.probe}) to ${shapeText} in ${seconds.toFixed(1)} s: ` +
      `a ${shape} ${WHAT[g.kind][0]} ${WHAT[g.kind][1]}. Answers: ${answers}.` +
      (signature ? ` ${SIGNATURE[g.kind] ?? ''}` : '');
    const details: ScanDetails = { type: 'scan', shape, probes: g.probes, open: sortEndpoints(open), closed, silent, probe: g.probe };
    return {
      kind: g.kind as FindingKind,
      severity,
      source: g.scanner,
      targets,
      ports,
      start: g.start,
      end: g.end,
      packets: g.packets,
      frames: firstFrames(g.frames, this.options.sampleFrames),
      explanation,
      filter,
      details,
    };
  }
}

function sortEndpoints(eps: string[]): string[] {
  const port = (e: string): number => Number(e.slice(e.lastIndexOf(':') + 1));
  return [...eps].sort((a, b) => port(a) - port(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Names what a TCP connection was: a probe of some scan with its answer (and whether a connect probe was
 * torn down at once), a success (data flowed), or nothing of interest (undefined).
 */
export function classifyTcp(c: Connection, o: FindingsOptions): [ScanKind, ProbeState, boolean] | 'success' | undefined {
  const first = c.firstFlags & TCP_FLAG_MASK;
  const noData = c.origPayload === 0 && c.respPayload === 0;
  if (c.origPkts === 0) return undefined;
  if ((first & (TCP_SYN | TCP_ACK | TCP_FIN | TCP_RST)) === TCP_SYN) {
    const raw = c.firstWindow <= RAW_SYN_MAX_WINDOW && c.firstOptionsLen <= RAW_SYN_MAX_OPTIONS;
    if (c.synAck) {
      if (!noData) return 'success';
      const torn = c.origRst > 0 || c.origFin;
      const quick = c.last - c.start <= o.connectTeardownSeconds;
      // The scanner resets (or never answers) the SYN+ACK: a half-open probe of an open port.
      if (!c.origAckedSynAck) return [raw ? 'syn-scan' : 'connect-scan', 'open', !raw && torn && quick];
      if (torn && quick) return ['connect-scan', 'open', true];
      return 'success';
    }
    const kind = raw ? 'syn-scan' : 'connect-scan';
    if (c.respRst > 0 && c.respPayload === 0) return [kind, 'closed', false];
    if (c.respPkts === 0) return [kind, 'silent', false];
    return undefined;
  }
  if (c.sawSyn || c.synAck || c.origPayload > 0 || c.respPayload > 0 || !c.respOnlyRst()) return undefined;
  const state: ProbeState = c.respRst > 0 ? 'closed' : 'silent';
  if (first === TCP_FIN) return ['fin-scan', state, false];
  if (first === 0) return ['null-scan', state, false];
  if (first === XMAS_FLAGS) return ['xmas-scan', state, false];
  // Bare ACK and FIN+ACK also start captures taken mid-connection: only short, dataless exchanges count.
  if (c.origPkts > 2) return undefined;
  if (first === TCP_ACK) return ['ack-scan', state, false];
  if (first === MAIMON_FLAGS) return ['maimon-scan', state, false];
  return undefined;
}

/** Names what a UDP flow was: a probe (open when replied, closed on ICMP port unreachable) or a success. */
export function classifyUdp(c: Connection): [ScanKind, ProbeState, boolean] | 'success' | undefined {
  if (c.origPkts === 0 || c.respIsGroup) return undefined;
  if (c.respPkts > 0) return 'success';
  if (c.icmp === ICMP_PORT_UNREACHABLE) return ['udp-scan', 'closed', false];
  if (c.icmp !== ICMP_NONE) return ['udp-scan', 'silent', false];
  return ['udp-scan', 'silent', false];
}
