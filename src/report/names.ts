/**
 * Collects the names a capture carries for the report: DNS questions (with the answer's response code) and
 * HTTP request lines (with their Host header). These strings are attacker-controlled: they are turned into
 * text with every byte outside printable ASCII written as \xHH (no control characters, no bidirectional
 * overrides), and the page shows them with textContent only.
 *
 * Memory is bounded: at most MAX_DISTINCT_NAMES distinct keys are kept per kind; later new keys are counted
 * as dropped. Only DNS and HTTP-looking payloads allocate (the name string); other packets cost a few
 * comparisons.
 */
import type { DecodedPacket } from '../decode/packet.js';
import { IPPROTO_TCP, IPPROTO_UDP } from '../wire/ipv4.js';
import { u16 } from '../decode/read.js';
import {
  DNS_FLAGS,
  DNS_HEADER_LEN,
  DNS_QDCOUNT,
  DNS_TCP_PREFIX_LEN,
  FLAG_QR,
  LABEL_POINTER,
  LABEL_TYPE_MASK,
  RCODE_MASK,
} from '../wire/dns.js';
import type { NameCount } from './model.js';

/** Ports whose payload is DNS: DNS itself and mDNS. */
export const DNS_PORT = 53;
export const MDNS_PORT = 5353;
/** The most distinct names (or request lines) kept per kind. */
export const MAX_DISTINCT_NAMES = 50_000;
/** The longest request line or name kept, in output characters. */
export const MAX_TEXT_LENGTH = 300;
/** Compression pointers followed before giving up on a name (a loop otherwise). */
const MAX_POINTER_HOPS = 32;

/** Response code names as dig and tcpdump print them. */
export const RCODE_NAMES: readonly string[] = [
  'NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE',
];

/** Question types by number, for the few an analyst meets every day. */
const QTYPE_NAMES: Record<number, string> = {
  1: 'A', 2: 'NS', 5: 'CNAME', 6: 'SOA', 12: 'PTR', 15: 'MX', 16: 'TXT', 28: 'AAAA', 33: 'SRV', 35: 'NAPTR', 43: 'DS',
  48: 'DNSKEY', 64: 'SVCB', 65: 'HTTPS', 252: 'AXFR', 255: 'ANY',
};

/** HTTP methods that open a request line (RFC 9110 §9 plus WebDAV's common ones). */
const HTTP_METHODS = ['GET ', 'POST ', 'HEAD ', 'PUT ', 'DELETE ', 'OPTIONS ', 'PATCH ', 'CONNECT ', 'TRACE ', 'PROPFIND '];
/** First bytes of those methods, for a cheap first test. */
const HTTP_FIRST = new Set(HTTP_METHODS.map((m) => m.charCodeAt(0)));

const CR = 0x0d;
const LF = 0x0a;

/** Turns bytes into safe display text: printable ASCII as is, everything else as \xHH. */
export function safeText(data: Uint8Array, start: number, end: number, max = MAX_TEXT_LENGTH): string {
  let out = '';
  for (let i = start; i < end; i++) {
    if (out.length >= max) return out + '…';
    const b = data[i]!;
    out += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '\\x' + b.toString(16).padStart(2, '0');
  }
  return out;
}

interface Entry {
  queries: number;
  responses: number;
  note: string;
}

/** Counts DNS questions and HTTP request lines over a capture's decoded packets. */
export class NamesCollector {
  private readonly dns = new Map<string, Entry>();
  private readonly http = new Map<string, Entry>();
  /** New keys not kept because the maps were full. */
  dropped = 0;

  /** Looks at one decoded packet. */
  add(p: DecodedPacket): void {
    if (p.payloadOffset < 0 || p.payloadLength <= 0) return;
    const end = Math.min(p.capEnd, p.payloadOffset + p.payloadLength);
    if (p.protocol === IPPROTO_UDP) {
      if (p.srcPort === DNS_PORT || p.dstPort === DNS_PORT || p.srcPort === MDNS_PORT || p.dstPort === MDNS_PORT) {
        this.addDns(p.data, p.payloadOffset, end);
      }
    } else if (p.protocol === IPPROTO_TCP) {
      if (p.srcPort === DNS_PORT || p.dstPort === DNS_PORT) {
        // DNS over TCP: a 2-byte length, then the message (only segments that start a message are read).
        this.addDns(p.data, p.payloadOffset + DNS_TCP_PREFIX_LEN, end);
      } else if (HTTP_FIRST.has(p.data[p.payloadOffset]!)) {
        this.addHttp(p.data, p.payloadOffset, end);
      }
    }
  }

  /** Returns the DNS questions, most asked first. */
  dnsNames(top: number): NameCount[] {
    return topOf(this.dns, top).map((n) => (n.note === '' ? { ...n, note: 'no answer' } : n));
  }

  /** Returns the HTTP request lines, most frequent first. */
  httpRequests(top: number): NameCount[] {
    return topOf(this.http, top);
  }

  private addDns(d: Buffer, msg: number, end: number): void {
    if (end - msg < DNS_HEADER_LEN) return;
    const flags = u16(d, msg + DNS_FLAGS);
    if (u16(d, msg + DNS_QDCOUNT) === 0) return;
    const qname = readName(d, msg, msg + DNS_HEADER_LEN, end);
    if (qname === null) return;
    const qtypeAt = qname.next;
    const qtype = qtypeAt + 2 <= end ? u16(d, qtypeAt) : -1;
    const key = qname.name + ' ' + (QTYPE_NAMES[qtype] ?? (qtype < 0 ? '?' : 'TYPE' + qtype));
    const e = this.entry(this.dns, key);
    if (e === undefined) return;
    if (flags & FLAG_QR) {
      e.responses++;
      const rcode = flags & RCODE_MASK;
      e.note = RCODE_NAMES[rcode] ?? 'RCODE' + rcode;
    } else {
      e.queries++;
    }
  }

  private addHttp(d: Buffer, start: number, end: number): void {
    let matched = false;
    for (const m of HTTP_METHODS) {
      if (end - start < m.length) continue;
      let ok = true;
      for (let i = 0; i < m.length; i++) {
        if (d[start + i] !== m.charCodeAt(i)) {
          ok = false;
          break;
        }
      }
      if (ok) {
        matched = true;
        break;
      }
    }
    if (!matched) return;
    const lineEnd = findLineEnd(d, start, end);
    const key = safeText(d, start, lineEnd);
    const e = this.entry(this.http, key);
    if (e === undefined) return;
    e.queries++;
    if (e.note === '') e.note = findHost(d, lineEnd, end);
  }

  private entry(map: Map<string, Entry>, key: string): Entry | undefined {
    let e = map.get(key);
    if (e === undefined) {
      if (map.size >= MAX_DISTINCT_NAMES) {
        this.dropped++;
        return undefined;
      }
      e = { queries: 0, responses: 0, note: '' };
      map.set(key, e);
    }
    return e;
  }
}

function topOf(map: Map<string, Entry>, top: number): NameCount[] {
  const all: NameCount[] = [];
  for (const [name, e] of map) all.push({ name, count: e.queries > 0 ? e.queries : e.responses, note: e.note });
  all.sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return all.slice(0, top);
}

/** Reads a (possibly compressed) domain name; null when it is cut or malformed. */
export function readName(d: Uint8Array, msg: number, at: number, end: number): { name: string; next: number } | null {
  let name = '';
  let pos = at;
  let next = -1;
  for (let hops = 0; ; ) {
    if (pos >= end) return null;
    const len = d[pos]!;
    if (len === 0) {
      if (next < 0) next = pos + 1;
      return { name: name === '' ? '.' : name, next };
    }
    const kind = len & LABEL_TYPE_MASK;
    if (kind === LABEL_POINTER) {
      if (pos + 2 > end || ++hops > MAX_POINTER_HOPS) return null;
      if (next < 0) next = pos + 2;
      pos = msg + (((len & ~LABEL_TYPE_MASK) << 8) | d[pos + 1]!);
      continue;
    }
    if (kind !== 0) return null;
    if (pos + 1 + len > end) return null;
    if (name.length > 0) name += '.';
    name += safeText(d, pos + 1, pos + 1 + len, 64 * 4);
    if (name.length > MAX_TEXT_LENGTH) return null;
    pos += 1 + len;
  }
}

function findLineEnd(d: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) if (d[i] === CR || d[i] === LF) return i;
  return end;
}

/** Finds the Host header's value in the captured part of a request head; '' when absent. */
function findHost(d: Uint8Array, from: number, end: number): string {
  let i = from;
  while (i < end) {
    // Skip the line break(s) to the start of the next header line.
    while (i < end && (d[i] === CR || d[i] === LF)) {
      if (d[i] === LF && i + 1 < end && (d[i + 1] === CR || d[i + 1] === LF)) return '';
      i++;
    }
    const lineEnd = findLineEnd(d, i, end);
    if (lineEnd - i > 5 && (d[i]! | 0x20) === 0x68 && (d[i + 1]! | 0x20) === 0x6f && (d[i + 2]! | 0x20) === 0x73 && (d[i + 3]! | 0x20) === 0x74 && d[i + 4] === 0x3a) {
      let v = i + 5;
      while (v < lineEnd && (d[v] === 0x20 || d[v] === 0x09)) v++;
      return safeText(d, v, lineEnd);
    }
    i = lineEnd;
  }
  return '';
}
