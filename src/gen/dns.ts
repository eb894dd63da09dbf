/**
 * DNS messages (RFC 1035) with name compression, for queries and responses.
 *
 *   0 id (2)   2 flags: QR opcode(4) AA TC RD | RA Z AD CD rcode(4)   4 QDCOUNT   6 ANCOUNT   8 NSCOUNT
 *   10 ARCOUNT   12 questions (name, type, class), then resource records (name, type, class, TTL, RDLENGTH, RDATA)
 */
import { C_IN, DNS_TCP_PREFIX_LEN, FLAG_AA, FLAG_AD, FLAG_CD, FLAG_QR, FLAG_RA, FLAG_RD, FLAG_TC, LABEL_POINTER, OPCODE_MASK, OPCODE_SHIFT, RCODE_MASK, RCODE_NOERROR, RCODE_NXDOMAIN, T_A, T_AAAA, T_CNAME, T_MX, T_NS, T_OPT, T_PTR, T_SOA, T_TXT } from '../wire/dns.js';
import { ipv4Bytes, ipv6Bytes } from './addr.js';

/** Re-exported under the generator's names for the rcode argument of dnsResponse and the builders. */
export { RCODE_NOERROR as DNS_RCODE_NOERROR, RCODE_NXDOMAIN as DNS_RCODE_NXDOMAIN };


const TYPE_BY_NAME: Record<string, number> = {
  A: T_A, NS: T_NS, CNAME: T_CNAME, SOA: T_SOA, PTR: T_PTR, MX: T_MX, TXT: T_TXT, AAAA: T_AAAA, OPT: T_OPT,
};

/** A record type by number or by name ('A', 'AAAA', 'CNAME', 'TXT'...). */
export type DnsType = number | keyof typeof TYPE_BY_NAME | string;

export function dnsTypeNumber(t: DnsType): number {
  if (typeof t === 'number') return t;
  const v = TYPE_BY_NAME[t.toUpperCase()];
  if (v === undefined) throw new Error(`unknown DNS type ${t}`);
  return v;
}

export interface DnsQuestion {
  name: string;
  type: DnsType;
  class?: number;
}

export interface SoaData {
  mname: string;
  rname: string;
  serial: number;
  refresh: number;
  retry: number;
  expire: number;
  minimum: number;
}

/**
 * A resource record. data by type: A/AAAA an address; CNAME/NS/PTR a name; TXT a list of strings;
 * MX {preference, exchange}; SOA SoaData; any type raw bytes.
 */
export interface DnsRecord {
  name: string;
  type: DnsType;
  class?: number;
  ttl?: number;
  data: string | readonly string[] | { preference: number; exchange: string } | SoaData | Uint8Array;
}

export interface DnsMessageSpec {
  id: number;
  /** Response (true) or query. */
  qr?: boolean;
  opcode?: number;
  aa?: boolean;
  tc?: boolean;
  /** Recursion desired (default true). */
  rd?: boolean;
  /** Recursion available (default: same as qr). */
  ra?: boolean;
  ad?: boolean;
  cd?: boolean;
  rcode?: number;
  questions?: readonly DnsQuestion[];
  answers?: readonly DnsRecord[];
  authority?: readonly DnsRecord[];
  additional?: readonly DnsRecord[];
  /** Compress names (default true). */
  compress?: boolean;
}

/** Writes a message into a growing byte list, remembering where each name suffix was written. */
class DnsEncoder {
  bytes: number[] = [];
  private names = new Map<string, number>();

  constructor(private readonly compress: boolean) {}

  u8(v: number): void {
    this.bytes.push(v & 0xff);
  }
  u16(v: number): void {
    this.bytes.push((v >>> 8) & 0xff, v & 0xff);
  }
  u32(v: number): void {
    this.u16(v >>> 16);
    this.u16(v & 0xffff);
  }
  raw(b: Uint8Array): void {
    for (const v of b) this.bytes.push(v);
  }

  name(name: string): void {
    const labels = name.replace(/\.$/, '').split('.').filter((l) => l !== '');
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.').toLowerCase();
      const at = this.names.get(suffix);
      if (this.compress && at !== undefined) {
        this.u16((LABEL_POINTER << 8) | at);
        return;
      }
      if (this.bytes.length < 0x3fff) this.names.set(suffix, this.bytes.length);
      const label = Buffer.from(labels[i]!, 'utf8');
      if (label.length > 63) throw new Error(`DNS label too long in ${name}`);
      this.u8(label.length);
      this.raw(label);
    }
    this.u8(0);
  }

  record(r: DnsRecord): void {
    const type = dnsTypeNumber(r.type);
    this.name(r.name);
    this.u16(type);
    this.u16(r.class ?? C_IN);
    this.u32((r.ttl ?? 300) >>> 0);
    const lenAt = this.bytes.length;
    this.u16(0);
    const d = r.data;
    if (d instanceof Uint8Array) this.raw(d);
    else if (type === T_A) this.raw(ipv4Bytes(d as string));
    else if (type === T_AAAA) this.raw(ipv6Bytes(d as string));
    else if (type === T_CNAME || type === T_NS || type === T_PTR) this.name(d as string);
    else if (type === T_TXT) {
      for (const s of typeof d === 'string' ? [d] : (d as readonly string[])) {
        const b = Buffer.from(s, 'utf8');
        this.u8(b.length);
        this.raw(b.subarray(0, 255));
      }
    } else if (type === T_MX) {
      const mx = d as { preference: number; exchange: string };
      this.u16(mx.preference);
      this.name(mx.exchange);
    } else if (type === T_SOA) {
      const s = d as SoaData;
      this.name(s.mname);
      this.name(s.rname);
      for (const v of [s.serial, s.refresh, s.retry, s.expire, s.minimum]) this.u32(v >>> 0);
    } else throw new Error(`DNS record data for type ${type} must be bytes`);
    const len = this.bytes.length - lenAt - 2;
    this.bytes[lenAt] = len >>> 8;
    this.bytes[lenAt + 1] = len & 0xff;
  }
}

/** Builds a DNS message (the UDP payload; prefix a 2-byte length for TCP with `dnsOverTcp`). */
export function dnsMessage(spec: DnsMessageSpec): Buffer {
  const e = new DnsEncoder(spec.compress ?? true);
  const qr = spec.qr ?? false;
  e.u16(spec.id);
  e.u16(
    (qr ? FLAG_QR : 0) | (((spec.opcode ?? 0) & OPCODE_MASK) << OPCODE_SHIFT) | (spec.aa ? FLAG_AA : 0) | (spec.tc ? FLAG_TC : 0) |
      ((spec.rd ?? true) ? FLAG_RD : 0) | ((spec.ra ?? qr) ? FLAG_RA : 0) | (spec.ad ? FLAG_AD : 0) | (spec.cd ? FLAG_CD : 0) |
      ((spec.rcode ?? 0) & RCODE_MASK),
  );
  const q = spec.questions ?? [];
  const an = spec.answers ?? [];
  const ns = spec.authority ?? [];
  const ar = spec.additional ?? [];
  for (const n of [q.length, an.length, ns.length, ar.length]) e.u16(n);
  for (const x of q) {
    e.name(x.name);
    e.u16(dnsTypeNumber(x.type));
    e.u16(x.class ?? C_IN);
  }
  for (const r of [...an, ...ns, ...ar]) e.record(r);
  return Buffer.from(e.bytes);
}

/** Builds a standard recursive query for one name. */
export function dnsQuery(id: number, name: string, type: DnsType = 'A'): Buffer {
  return dnsMessage({ id, questions: [{ name, type }] });
}

/** Builds the response to a one-question query with the given answers (and rcode, e.g. NXDOMAIN). */
export function dnsResponse(id: number, name: string, type: DnsType, answers: readonly DnsRecord[], rcode = RCODE_NOERROR, authority: readonly DnsRecord[] = []): Buffer {
  return dnsMessage({ id, qr: true, rcode, questions: [{ name, type }], answers, authority });
}

/** Prefixes a message with the 2-byte length DNS over TCP uses. */
export function dnsOverTcp(message: Uint8Array): Buffer {
  const b = Buffer.alloc(DNS_TCP_PREFIX_LEN + message.length);
  b.writeUInt16BE(message.length, 0);
  b.set(message, DNS_TCP_PREFIX_LEN);
  return b;
}
