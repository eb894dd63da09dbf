/**
 * `tally`: the general `cut | sort | uniq -c` over named fields of every packet. Each field becomes two
 * 32-bit words of a key (addresses as ids from an address table), so counting allocates nothing per packet;
 * the text of each key is made once, at the end.
 */
import { ipToString } from '../decode/address.js';
import type { DecodedPacket } from '../decode/packet.js';
import { IPPROTO_TCP, IPPROTO_UDP } from '../wire/ipv4.js';
import { analyze, type AnalysisOptions, type CaptureFacts, type PacketConsumer } from './analysis.js';
import { protocolName } from './flow-record.js';
import { sortCounted } from './host.js';
import { KeyTable } from './key-table.js';

/** The fields tally can count by, with what each means. */
export const TALLY_FIELDS = {
  src: 'source as tcpdump prints it: address.port, or the address without ports',
  dst: 'destination, likewise',
  'src.ip': 'source address',
  'dst.ip': 'destination address',
  'src.port': 'TCP/UDP source port',
  'dst.port': 'TCP/UDP destination port',
  proto: 'tcp, udp, icmp, icmp6, another IP protocol, or the link payload (arp, ether 0xNNNN)',
  flags: "TCP flags as tcpdump's letters: S, S., P., F., R., none...",
  length: 'what tcpdump prints after "length" for TCP and UDP: the payload length',
  wirelen: 'frame length on the wire',
  iplen: 'IP datagram length',
  vlan: 'outer VLAN id',
  ttl: 'IPv4 TTL or IPv6 hop limit',
  'icmp.type': 'ICMP or ICMPv6 type',
  'icmp.code': 'ICMP or ICMPv6 code',
  ethertype: 'EtherType after VLAN tags, in hex',
} as const;

export type TallyField = keyof typeof TALLY_FIELDS;

export const TALLY_FIELD_NAMES = Object.keys(TALLY_FIELDS) as TallyField[];

const ABSENT = 0xffffffff;

/** tcpdump's flag letters, in its order. */
const FLAG_LETTERS: readonly [number, string][] = [
  [0x01, 'F'],
  [0x02, 'S'],
  [0x04, 'R'],
  [0x08, 'P'],
  [0x10, '.'],
  [0x20, 'U'],
  [0x40, 'E'],
  [0x80, 'W'],
];

/** Formats a TCP flags byte as tcpdump prints it between brackets. */
export function tcpFlagLetters(flags: number): string {
  let s = '';
  for (const [bit, ch] of FLAG_LETTERS) if ((flags & bit) !== 0) s += ch;
  return s === '' ? 'none' : s;
}

const enum F {
  Src,
  Dst,
  SrcIp,
  DstIp,
  SrcPort,
  DstPort,
  Proto,
  Flags,
  Length,
  Wirelen,
  Iplen,
  Vlan,
  Ttl,
  IcmpType,
  IcmpCode,
  EtherType,
}

const FIELD_CODES: Record<TallyField, F> = {
  src: F.Src,
  dst: F.Dst,
  'src.ip': F.SrcIp,
  'dst.ip': F.DstIp,
  'src.port': F.SrcPort,
  'dst.port': F.DstPort,
  proto: F.Proto,
  flags: F.Flags,
  length: F.Length,
  wirelen: F.Wirelen,
  iplen: F.Iplen,
  vlan: F.Vlan,
  ttl: F.Ttl,
  'icmp.type': F.IcmpType,
  'icmp.code': F.IcmpCode,
  ethertype: F.EtherType,
};

export interface TallyRow {
  /** One value per field, as text ('-' when the packet has no such field). */
  values: string[];
  packets: number;
}

/** The consumer behind `tally`. */
export class TallyConsumer implements PacketConsumer {
  private readonly codes: F[];
  readonly table: KeyTable;
  /** Addresses seen, interned: version and four words. */
  readonly addresses = new KeyTable(5);
  private readonly key: Uint32Array;
  private readonly addrKey = new Uint32Array(5);

  constructor(readonly fields: readonly TallyField[]) {
    if (fields.length === 0) throw new Error('tally needs at least one field');
    for (const f of fields) if (!(f in FIELD_CODES)) throw new Error(`unknown tally field '${f}' (known: ${TALLY_FIELD_NAMES.join(', ')})`);
    this.codes = fields.map((f) => FIELD_CODES[f]);
    this.table = new KeyTable(fields.length * 2);
    this.key = new Uint32Array(fields.length * 2);
  }

  private addressId(version: number, w: Uint32Array): number {
    const k = this.addrKey;
    k[0] = version;
    k[1] = w[0]!;
    k[2] = w[1]!;
    k[3] = w[2]!;
    k[4] = w[3]!;
    return this.addresses.intern(k);
  }

  onPacket(p: DecodedPacket): void {
    const k = this.key;
    const ip = p.ipVersion !== 0;
    const hasPorts = p.srcPort >= 0 && (p.protocol === IPPROTO_TCP || p.protocol === IPPROTO_UDP);
    for (let i = 0; i < this.codes.length; i++) {
      let a = ABSENT;
      let b = 0;
      switch (this.codes[i]) {
        case F.Src:
        case F.SrcIp:
          if (ip) {
            a = this.addressId(p.ipVersion, p.src);
            if (this.codes[i] === F.Src && hasPorts) b = p.srcPort + 1;
          }
          break;
        case F.Dst:
        case F.DstIp:
          if (ip) {
            a = this.addressId(p.ipVersion, p.dst);
            if (this.codes[i] === F.Dst && hasPorts) b = p.dstPort + 1;
          }
          break;
        case F.SrcPort:
          if (hasPorts) a = p.srcPort;
          break;
        case F.DstPort:
          if (hasPorts) a = p.dstPort;
          break;
        case F.Proto:
          if (ip) a = p.protocol >= 0 ? p.protocol : ABSENT;
          else if (p.etherType >= 0) {
            a = 0x10000;
            b = p.etherType;
          }
          break;
        case F.Flags:
          if (p.tcpFlags >= 0) a = p.tcpFlags;
          break;
        case F.Length:
          if (hasPorts && p.payloadOffset >= 0) a = p.payloadLength;
          break;
        case F.Wirelen:
          a = p.wirelen;
          break;
        case F.Iplen:
          if (ip) a = p.ipLength;
          break;
        case F.Vlan:
          if (p.vlanCount > 0) a = p.vlanOuter;
          break;
        case F.Ttl:
          if (ip) a = p.ttl;
          break;
        case F.IcmpType:
          if (p.icmpType >= 0) a = p.icmpType;
          break;
        case F.IcmpCode:
          if (p.icmpCode >= 0) a = p.icmpCode;
          break;
        case F.EtherType:
          if (p.etherType >= 0) a = p.etherType;
          break;
      }
      k[2 * i] = a;
      k[2 * i + 1] = b;
    }
    this.table.add(k);
  }

  private addressText(id: number): string {
    const t = this.addresses;
    return ipToString(t.keys[id * 5]!, t.keys.subarray(id * 5 + 1, id * 5 + 5));
  }

  private valueText(code: F, a: number, b: number): string {
    if (a === ABSENT) return '-';
    switch (code) {
      case F.Src:
      case F.Dst:
        return b > 0 ? `${this.addressText(a)}.${b - 1}` : this.addressText(a);
      case F.SrcIp:
      case F.DstIp:
        return this.addressText(a);
      case F.Proto:
        if (a === 0x10000) return b === 0x0806 ? 'arp' : b === 0x8035 ? 'rarp' : `ether 0x${b.toString(16).padStart(4, '0')}`;
        return protocolName(a);
      case F.Flags:
        return tcpFlagLetters(a);
      case F.EtherType:
        return `0x${a.toString(16).padStart(4, '0')}`;
      default:
        return String(a);
    }
  }

  /** The counted rows, ordered as `sort -n` orders `uniq -c` output. */
  rows(desc = false): TallyRow[] {
    const t = this.table;
    const w = t.width;
    const out: TallyRow[] = [];
    for (let i = 0; i < t.size; i++) {
      const values = this.codes.map((c, j) => this.valueText(c, t.keys[i * w + 2 * j]!, t.keys[i * w + 2 * j + 1]!));
      out.push({ values, packets: t.counts[i]! });
    }
    return sortCounted(out, (r) => r.packets, (r) => r.values.join(' '), desc);
  }
}

export interface TallyResult {
  capture: CaptureFacts;
  fields: TallyField[];
  rows: TallyRow[];
}

/** Counts packets per combination of the named fields. */
export async function tally(file: string, fields: readonly TallyField[], options: AnalysisOptions = {}): Promise<TallyResult> {
  const c = new TallyConsumer(fields);
  const ctx = await analyze(file, [c], options);
  return { capture: ctx.capture, fields: [...fields], rows: c.rows() };
}

