/**
 * Streams the large, deterministic, realistic capture the benchmark runs on: many hosts in 10.20.0.0/16
 * (plus 2001:db8:20::/64) browsing the web over HTTP and TLS (handshakes, data, teardowns, the odd refused,
 * unanswered or half-open connection), asking DNS (some NXDOMAIN, some unanswered), polling NTP (one server
 * silent), two scanners (TCP SYN and UDP) and one host beaconing every 60 s +- 3 s.
 *
 * Speed comes from never building a packet from scratch: headers are written field by field straight
 * into the pcap writer's buffer, payloads are copied from one pre-built pool (templates for HTTP, TLS,
 * DNS and NTP, then random bytes), and checksums are computed arithmetically from the header values plus a
 * prefix sum over the pool's 16-bit words, so a payload's sum costs two array reads. Memory is bounded:
 * a fixed set of concurrent sessions and one output buffer.
 *
 * Every choice comes from one seeded Random, so the output is a pure function of (packets, seed).
 */
import { PcapWriter, type PcapDestination } from '../capture/pcap-writer.js';
import { LINKTYPE_ETHERNET } from '../capture/link-types.js';
import { foldComplement } from '../wire/checksum.js';
import { ETH_HEADER_LEN, ETH_TYPE, ETHERTYPE_IPV4, ETHERTYPE_IPV6 } from '../wire/ethernet.js';
import {
  IP_DF, IPPROTO_TCP, IPPROTO_UDP, IPV4_CHECKSUM, IPV4_DST, IPV4_FRAG, IPV4_ID, IPV4_MIN_HEADER_LEN,
  IPV4_PROTO, IPV4_SRC, IPV4_TOS, IPV4_TOTAL_LEN, IPV4_TTL, IPV4_VER_IHL,
} from '../wire/ipv4.js';
import { IPV6_DST, IPV6_HEADER_LEN, IPV6_HOP_LIMIT, IPV6_NEXT_HEADER, IPV6_PAYLOAD_LEN, IPV6_SRC, IPV6_VTC_FLOW } from '../wire/ipv6.js';
import {
  TCP_ACK, TCP_CHECKSUM, TCP_DPORT, TCP_MIN_HEADER_LEN, TCP_OFFSET, TCP_SEQ, TCP_SPORT, TCP_URGENT, TCP_WINDOW,
  TH_ACK, TH_FIN, TH_PUSH, TH_RST, TH_SYN,
} from '../wire/tcp.js';
import { UDP_CHECKSUM, UDP_DPORT, UDP_HEADER_LEN, UDP_LENGTH, UDP_SPORT } from '../wire/udp.js';
import { dnsMessage, DNS_RCODE_NXDOMAIN } from './dns.js';
import { Random } from './random.js';

export interface BenchOptions {
  /** Packets to write (default 10 M). */
  packets?: number;
  /** Seed (default 'pcapsift-bench'). */
  seed?: string;
  /** Unix time of the first packet (default 2026-03-18 10:00:00 UTC). */
  start?: number;
  /** Called every 2^20 packets with the count so far. */
  onProgress?: (packets: number) => void;
}

/** What the generator wrote: the ground truth a benchmark or test can check. */
export interface BenchTruth {
  packets: number;
  /** Bytes of the pcap file. */
  fileBytes: number;
  /** Sum of the packets' lengths on the wire. */
  wireBytes: number;
  ipv4Packets: number;
  ipv6Packets: number;
  arpPackets: number;
  /** Distinct TCP 5-tuples started (web, beacon, every scan probe). */
  tcpFlows: number;
  /** Distinct UDP 5-tuples started (DNS, NTP, UDP scan probes). */
  udpFlows: number;
  httpFlows: number;
  tlsFlows: number;
  tcpRefused: number;
  tcpUnanswered: number;
  tcpHalfOpen: number;
  tcpAborted: number;
  dnsQueries: number;
  dnsNxdomain: number;
  dnsUnanswered: number;
  ntpRequests: number;
  ntpResponses: number;
  /** Requests to the NTP server that never answers. */
  ntpSilentRequests: number;
  ntpSilentServer: string;
  scanProbes: number;
  scanners: string[];
  beacons: number;
  beaconHost: string;
  beaconServer: string;
  /** Client hosts that appear (IPv4 and IPv6 counted apart). */
  clientHosts: number;
  firstTime: number;
  lastTime: number;
}

export const BENCH_DEFAULT_PACKETS = 10_000_000;
export const BENCH_DEFAULT_START = 1773828000;
export const BENCH_NET = '10.20.0.0/16';
export const BENCH_BEACON_HOST = '10.20.7.77';
export const BENCH_BEACON_SERVER = '198.51.100.77';
export const BENCH_BEACON_INTERVAL = 60;
export const BENCH_BEACON_JITTER = 3;
/** The first beacon's slot, in seconds after the start. */
export const BENCH_BEACON_FIRST = 8;
/** Every beacon's request and response payload sizes (TLS application data records). */
export const BENCH_BEACON_REQUEST_BYTES = 261;
export const BENCH_BEACON_RESPONSE_BYTES = 93;
export const BENCH_SCANNERS = ['10.20.250.13', '10.20.251.99'] as const;
export const BENCH_NTP_SILENT = '198.18.123.4';

// Option layouts: none, SYN (mss, sackOK, TS, nop, wscale), established (nop, nop, TS).
const OPT_NONE = 0;
const OPT_SYN = 1;
const OPT_TS = 2;
const OPT_MSS = 3;

const ip4 = (a: number, b: number, c: number, d: number) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
const NET = ip4(10, 20, 0, 0);
const GATEWAY4 = ip4(10, 20, 0, 1);
const RESOLVERS4 = [ip4(10, 20, 0, 53), ip4(10, 20, 0, 54)];
const NTP_SERVERS4 = [ip4(198, 18, 123, 1), ip4(198, 18, 123, 2), ip4(198, 18, 123, 3), ip4(198, 18, 123, 4)];
const NTP_SILENT4 = ip4(198, 18, 123, 4);
const BEACON_HOST4 = ip4(10, 20, 7, 77);
const BEACON_SERVER4 = ip4(198, 51, 100, 77);
const SCANNERS4 = [ip4(10, 20, 250, 13), ip4(10, 20, 251, 99)];
const GATEWAY_MAC_HI = 0x0200;
const GATEWAY_MAC_LO = 0x5e000001;

/** IPv6 prefixes (the first 12 bytes): 0 the LAN 2001:db8:20::/64 (hosts and resolvers), 1 the outside. */
const PREFIX6 = [
  Buffer.from('20010db8002000000000000000000000', 'hex').subarray(0, 12),
  Buffer.from('20010db8ff0000000000000000000000', 'hex').subarray(0, 12),
];
const PREFIX6_SUM = PREFIX6.map((p) => {
  let s = 0;
  for (let i = 0; i < 12; i += 2) s += (p[i]! << 8) | p[i + 1]!;
  return s;
});
const LAN6 = 0;
const OUT6 = 1;
const RESOLVER6_HOST = 0x53;

function words32(v: number): number {
  return (v >>> 16) + (v & 0xffff);
}

/** The payload pool: templates then random bytes, with a prefix sum of its big-endian 16-bit words. */
class Pool {
  readonly buf: Buffer;
  readonly prefix: Float64Array;
  private parts: Buffer[] = [];
  private size = 0;

  constructor() {
    this.buf = Buffer.alloc(0);
    this.prefix = new Float64Array(0);
  }

  /** Adds bytes (at an even offset) and returns their offset. */
  add(b: Uint8Array): number {
    const at = this.size;
    this.parts.push(Buffer.from(b));
    this.size += b.length;
    if (this.size & 1) {
      this.parts.push(Buffer.alloc(1));
      this.size++;
    }
    return at;
  }

  seal(): { buf: Buffer; prefix: Float64Array } {
    const buf = Buffer.concat(this.parts);
    const prefix = new Float64Array((buf.length >> 1) + 1);
    let s = 0;
    for (let i = 0, w = 0; i + 1 < buf.length; i += 2, w++) {
      s += (buf[i]! << 8) | buf[i + 1]!;
      prefix[w + 1] = s;
    }
    return { buf, prefix };
  }
}

/** Payload kinds in the pool: where each family of templates lives. */
interface Templates {
  httpReq: Int32Array; // [off, len] pairs
  httpResp: Int32Array;
  tlsHello: Int32Array;
  tlsServer: Int32Array;
  tlsAppReq: Int32Array;
  dnsQuery: Int32Array; // [off, len] per name: A query
  dnsQuery6: Int32Array; // AAAA query
  dnsAnswer: Int32Array; // A answer
  dnsAnswer6: Int32Array; // AAAA answer
  dnsNx: Int32Array; // NXDOMAIN answer
  ntpClient: number;
  ntpServer: number;
  /** A long run of TLS application-data records (16 KiB each) to slice server data from. */
  tlsStream: number;
  tlsStreamLen: number;
  beaconReq: number;
  beaconResp: number;
  /** Random bytes. */
  random: number;
  randomLen: number;
}

const NAMES = ['www', 'api', 'cdn', 'static', 'img', 'login', 'mail', 'news', 'shop', 'docs', 'video', 'ads', 'metrics', 'assets'];
const DOMAINS = ['example.com', 'example.net', 'example.org', 'contoso.com', 'fabrikam.net', 'northwind.io', 'tailspin.dev', 'wingtip.app', 'adatum.cloud', 'litware.org'];

function buildPool(rng: Random): { buf: Buffer; prefix: Float64Array; t: Templates } {
  const pool = new Pool();
  const pairs = (n: number) => new Int32Array(2 * n);
  const names: string[] = [];
  for (const d of DOMAINS) for (const n of NAMES) names.push(`${n}.${d}`);
  const httpReq = pairs(64);
  for (let i = 0; i < 64; i++) {
    const host = names[i % names.length]!;
    const path = ['/', '/index.html', '/api/v1/items?page=' + i, '/static/app.' + (i * 7919).toString(16) + '.js', '/img/photo' + i + '.jpg', '/favicon.ico'][i % 6]!;
    const b = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0\r\nAccept: */*\r\nAccept-Encoding: gzip, deflate\r\nConnection: keep-alive\r\n\r\n`, 'latin1');
    httpReq[2 * i] = pool.add(b);
    httpReq[2 * i + 1] = b.length;
  }
  const httpResp = pairs(32);
  const lorem = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore. ';
  for (let i = 0; i < 32; i++) {
    // Mostly small objects, a few large: 200 B .. ~64 KB.
    const body = Math.round(200 * Math.pow(1.2, i));
    const status = i % 11 === 5 ? '404 Not Found' : i % 13 === 7 ? '304 Not Modified' : '200 OK';
    const len = status.startsWith('304') ? 0 : body;
    const head = `HTTP/1.1 ${status}\r\nServer: nginx\r\nDate: Wed, 18 Mar 2026 10:00:00 GMT\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: ${len}\r\nConnection: keep-alive\r\n\r\n`;
    const b = Buffer.alloc(head.length + len);
    b.write(head, 0, 'latin1');
    for (let k = 0; k < len; k++) b[head.length + k] = lorem.charCodeAt(k % lorem.length);
    httpResp[2 * i] = pool.add(b);
    httpResp[2 * i + 1] = b.length;
  }
  const tlsHello = pairs(64);
  for (let i = 0; i < 64; i++) {
    const b = clientHello(names[(i * 5) % names.length]!, rng);
    tlsHello[2 * i] = pool.add(b);
    tlsHello[2 * i + 1] = b.length;
  }
  const tlsServer = pairs(8);
  for (let i = 0; i < 8; i++) {
    const b = serverFlight(rng, 900 + i * 160);
    tlsServer[2 * i] = pool.add(b);
    tlsServer[2 * i + 1] = b.length;
  }
  const tlsAppReq = pairs(16);
  for (let i = 0; i < 16; i++) {
    const b = record(23, rng.bytes(120 + i * 29));
    tlsAppReq[2 * i] = pool.add(b);
    tlsAppReq[2 * i + 1] = b.length;
  }
  const nNames = names.length;
  const dnsQuery = pairs(nNames);
  const dnsQuery6 = pairs(nNames);
  const dnsAnswer = pairs(nNames);
  const dnsAnswer6 = pairs(nNames);
  const dnsNx = pairs(nNames);
  names.forEach((name, i) => {
    const put = (arr: Int32Array, b: Buffer) => {
      arr[2 * i] = pool.add(b);
      arr[2 * i + 1] = b.length;
    };
    // Ids are 0 in the pool and patched per query.
    put(dnsQuery, dnsMessage({ id: 0, questions: [{ name, type: 'A' }] }));
    put(dnsQuery6, dnsMessage({ id: 0, questions: [{ name, type: 'AAAA' }] }));
    const alias = i % 3 === 0 ? `${name}.cdn.cloudflare.net` : undefined;
    const chain = (type: 'A' | 'AAAA', data: string) =>
      alias ? [{ name, type: 'CNAME', ttl: 300, data: alias }, { name: alias, type, ttl: 60, data }] : [{ name, type, ttl: 300, data }];
    put(dnsAnswer, dnsMessage({ id: 0, qr: true, questions: [{ name, type: 'A' }], answers: chain('A', `198.18.${(i >> 8) & 0xff}.${(i & 0xff) + 1}`) }));
    put(dnsAnswer6, dnsMessage({ id: 0, qr: true, questions: [{ name, type: 'AAAA' }], answers: chain('AAAA', `2001:db8:ff00::${(i + 1).toString(16)}`) }));
    put(dnsNx, dnsMessage({ id: 0, qr: true, rcode: DNS_RCODE_NXDOMAIN, questions: [{ name: `wpad.${name}`, type: 'A' }],
      authority: [{ name: name.split('.').slice(1).join('.'), type: 'SOA', ttl: 900, data: { mname: 'ns1.' + name, rname: 'hostmaster.' + name, serial: 2026031801, refresh: 7200, retry: 900, expire: 1209600, minimum: 900 } }] }));
  });
  const ntpC = Buffer.alloc(48);
  ntpC[0] = 0x23; // v4, client
  ntpC[2] = 6;
  ntpC[3] = 0xec;
  const ntpClient = pool.add(ntpC);
  const ntpS = Buffer.alloc(48);
  ntpS[0] = 0x24; // v4, server
  ntpS[1] = 2;
  ntpS[2] = 6;
  ntpS[3] = 0xe9;
  ntpS.writeUInt32BE(0x00000a3d, 4);
  ntpS.writeUInt32BE(0x00001c20, 8);
  ntpS.write('\xc6\x12\x7b\x7b', 12, 'latin1');
  const ntpServer = pool.add(ntpS);
  const stream: Buffer[] = [];
  for (let i = 0; i < 8; i++) stream.push(record(23, rng.bytes(16384)));
  const sb = Buffer.concat(stream);
  const tlsStream = pool.add(sb);
  const beaconReq = pool.add(record(23, rng.bytes(BENCH_BEACON_REQUEST_BYTES - 5)));
  const beaconResp = pool.add(record(23, rng.bytes(BENCH_BEACON_RESPONSE_BYTES - 5)));
  const randomLen = 1 << 20;
  const random = pool.add(rng.bytes(randomLen));
  const sealed = pool.seal();
  return {
    ...sealed,
    t: { httpReq, httpResp, tlsHello, tlsServer, tlsAppReq, dnsQuery, dnsQuery6, dnsAnswer, dnsAnswer6, dnsNx, ntpClient, ntpServer, tlsStream, tlsStreamLen: sb.length, beaconReq, beaconResp, random, randomLen },
  };
}

function record(type: number, body: Buffer): Buffer {
  const h = Buffer.from([type, 3, 3, body.length >> 8, body.length & 0xff]);
  return Buffer.concat([h, body]);
}

function clientHello(sni: string, rng: Random): Buffer {
  const name = Buffer.from(sni, 'latin1');
  const u16 = (v: number) => Buffer.from([v >> 8, v & 0xff]);
  const ext = (t: number, d: Buffer) => Buffer.concat([u16(t), u16(d.length), d]);
  const sniExt = ext(0, Buffer.concat([u16(name.length + 3), Buffer.from([0]), u16(name.length), name]));
  const exts = Buffer.concat([sniExt, ext(10, Buffer.from([0, 4, 0, 0x1d, 0, 0x17])), ext(43, Buffer.from([4, 3, 4, 3, 3])), ext(51, Buffer.concat([u16(36), u16(0x1d), u16(32), rng.bytes(32)]))]);
  const body = Buffer.concat([u16(0x0303), rng.bytes(32), Buffer.from([32]), rng.bytes(32), u16(6), u16(0x1301), u16(0x1302), u16(0xc02f), Buffer.from([1, 0]), u16(exts.length), exts]);
  const hs = Buffer.concat([Buffer.from([1, 0, body.length >> 8, body.length & 0xff]), body]);
  const r = record(22, hs);
  r[1] = 3;
  r[2] = 1;
  return r;
}

function serverFlight(rng: Random, extra: number): Buffer {
  const body = Buffer.concat([Buffer.from([3, 3]), rng.bytes(32), Buffer.from([32]), rng.bytes(32), Buffer.from([0x13, 0x01, 0, 0, 6, 0, 43, 0, 2, 3, 4])]);
  const hs = Buffer.concat([Buffer.from([2, 0, body.length >> 8, body.length & 0xff]), body]);
  return Buffer.concat([record(22, hs), record(20, Buffer.from([1])), record(23, rng.bytes(extra))]);
}

/** One flow in progress; `step` writes its next packet and says whether the flow has more. */
interface Session {
  /** Writes the next packet; returns false when the session is finished. */
  step(g: BenchGenerator): boolean;
}

/** A host: its IPv4 address or IPv6 interface id, and per-host next ephemeral port. */
const HOSTS = 8192;

export class BenchGenerator {
  readonly rng: Random;
  readonly truth: BenchTruth;
  private readonly w: PcapWriter;
  readonly pool: Buffer;
  readonly prefix: Float64Array;
  readonly t: Templates;
  /** Current time: whole seconds and microseconds. */
  sec: number;
  usec = 0;
  /** Client hosts: IPv4 address (10.20.x.y) per index; IPv6 hosts use the same index as interface id. */
  readonly hosts4 = new Uint32Array(HOSTS);
  readonly nextPort = new Uint16Array(HOSTS * 2);
  private readonly seenHost = new Uint8Array(HOSTS * 2);

  constructor(dest: PcapDestination, opts: BenchOptions) {
    this.rng = new Random(opts.seed ?? 'pcapsift-bench');
    const start = opts.start ?? BENCH_DEFAULT_START;
    this.sec = Math.floor(start);
    this.usec = Math.round((start - this.sec) * 1e6);
    const built = buildPool(new Random('bench-pool'));
    this.pool = built.buf;
    this.prefix = built.prefix;
    this.t = built.t;
    this.w = new PcapWriter(dest, { linkType: LINKTYPE_ETHERNET, snaplen: 262144, bufferSize: 8 << 20 });
    const used = new Set<number>();
    for (let i = 0; i < HOSTS; i++) {
      let a: number;
      do a = (NET | (this.rng.int(1, 249) << 8) | this.rng.int(2, 254)) >>> 0;
      while (used.has(a) || a === BEACON_HOST4);
      used.add(a);
      this.hosts4[i] = a;
      this.nextPort[2 * i] = 49152 + this.rng.int(0, 8000);
      this.nextPort[2 * i + 1] = 49152 + this.rng.int(0, 8000);
    }
    this.truth = {
      packets: 0, fileBytes: 24, wireBytes: 0, ipv4Packets: 0, ipv6Packets: 0, arpPackets: 0, tcpFlows: 0, udpFlows: 0,
      httpFlows: 0, tlsFlows: 0, tcpRefused: 0, tcpUnanswered: 0, tcpHalfOpen: 0, tcpAborted: 0, dnsQueries: 0,
      dnsNxdomain: 0, dnsUnanswered: 0, ntpRequests: 0, ntpResponses: 0, ntpSilentRequests: 0, ntpSilentServer: BENCH_NTP_SILENT,
      scanProbes: 0, scanners: [...BENCH_SCANNERS], beacons: 0, beaconHost: BENCH_BEACON_HOST, beaconServer: BENCH_BEACON_SERVER,
      clientHosts: 0, firstTime: start, lastTime: start,
    };
  }

  /** Returns the next ephemeral port of a host (family 0 IPv4, 1 IPv6), marking the host as seen. */
  ephemeral(host: number, v6: boolean): number {
    const k = 2 * host + (v6 ? 1 : 0);
    if (this.seenHost[k] === 0) {
      this.seenHost[k] = 1;
      this.truth.clientHosts++;
    }
    let p = this.nextPort[k]! + 1 + (this.rng.u32() & 3);
    if (p > 65535) p = 49152 + (p - 65536);
    this.nextPort[k] = p;
    return p;
  }

  /** Advances the clock by a number of microseconds. */
  advance(us: number): void {
    this.usec += us;
    if (this.usec >= 1_000_000) {
      this.sec += Math.floor(this.usec / 1_000_000);
      this.usec %= 1_000_000;
    }
  }

  now(): number {
    return this.sec + this.usec / 1e6;
  }

  private commit(len: number): void {
    this.w.commit(len, len, this.sec, this.usec * 1000);
    const tr = this.truth;
    tr.packets++;
    tr.fileBytes += 16 + len;
    tr.wireBytes += len;
  }

  /**
   * Writes the Ethernet header; the MACs are derived from the addresses (02:04:a.b.c.d / 02:06:host), and
   * frames to or from outside the LAN use the gateway's MAC.
   */
  private eth(b: Buffer, p: number, srcLocal: boolean, src: number, v6: boolean, dstLocal: boolean, dst: number): void {
    const kind = v6 ? 0x0206 : 0x0204;
    if (dstLocal) {
      b.writeUInt16BE(kind, p);
      b.writeUInt32BE(dst >>> 0, p + 2);
    } else {
      b.writeUInt16BE(GATEWAY_MAC_HI, p);
      b.writeUInt32BE(GATEWAY_MAC_LO, p + 2);
    }
    if (srcLocal) {
      b.writeUInt16BE(kind, p + 6);
      b.writeUInt32BE(src >>> 0, p + 8);
    } else {
      b.writeUInt16BE(GATEWAY_MAC_HI, p + 6);
      b.writeUInt32BE(GATEWAY_MAC_LO, p + 8);
    }
    b.writeUInt16BE(v6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4, p + ETH_TYPE);
  }

  /** Writes an IPv4 header with its checksum. */
  private ip4(b: Buffer, p: number, src: number, dst: number, proto: number, total: number, id: number, ttl: number, df: boolean): void {
    b[p + IPV4_VER_IHL] = 0x45;
    b[p + IPV4_TOS] = 0;
    b.writeUInt16BE(total, p + IPV4_TOTAL_LEN);
    b.writeUInt16BE(id, p + IPV4_ID);
    b.writeUInt16BE(df ? IP_DF : 0, p + IPV4_FRAG);
    b[p + IPV4_TTL] = ttl;
    b[p + IPV4_PROTO] = proto;
    b.writeUInt32BE(src, p + IPV4_SRC);
    b.writeUInt32BE(dst, p + IPV4_DST);
    const sum = 0x4500 + total + id + (df ? IP_DF : 0) + ((ttl << 8) | proto) + words32(src) + words32(dst);
    b.writeUInt16BE(foldComplement(sum), p + IPV4_CHECKSUM);
  }

  /** Writes an IPv6 header; src and dst are interface ids under the given prefixes. Returns the pseudo-header address sum. */
  private ip6(b: Buffer, p: number, srcPre: number, src: number, dstPre: number, dst: number, next: number, payloadLen: number, hops: number, flow: number): number {
    b.writeUInt32BE((0x60000000 | (flow & 0xfffff)) >>> 0, p + IPV6_VTC_FLOW);
    b.writeUInt16BE(payloadLen, p + IPV6_PAYLOAD_LEN);
    b[p + IPV6_NEXT_HEADER] = next;
    b[p + IPV6_HOP_LIMIT] = hops;
    PREFIX6[srcPre]!.copy(b, p + IPV6_SRC);
    b.writeUInt32BE(src >>> 0, p + IPV6_SRC + 12);
    PREFIX6[dstPre]!.copy(b, p + IPV6_DST);
    b.writeUInt32BE(dst >>> 0, p + IPV6_DST + 12);
    return PREFIX6_SUM[srcPre]! + words32(src) + PREFIX6_SUM[dstPre]! + words32(dst);
  }

  /** Sum of the pool's words over [off, off+len) (off even). */
  paySum(off: number, len: number): number {
    const pf = this.prefix;
    if ((len & 1) === 0) return pf[(off + len) >> 1]! - pf[off >> 1]!;
    return pf[(off + len - 1) >> 1]! - pf[off >> 1]! + (this.pool[off + len - 1]! << 8);
  }

  /**
   * Writes one TCP segment. Addresses: IPv4 numbers, or IPv6 interface ids with prefixes (v6 true).
   * srcLocal/dstLocal say which side is on the LAN (for the MACs). Payload: pool[payOff, payOff+payLen).
   */
  tcp(
    v6: boolean, srcPre: number, src: number, srcLocal: boolean, dstPre: number, dst: number, dstLocal: boolean,
    sport: number, dport: number, seq: number, ack: number, flags: number, win: number,
    opt: number, tsval: number, tsecr: number, payOff: number, payLen: number, ipId: number, ttl: number,
  ): void {
    const optLen = opt === OPT_SYN ? 20 : opt === OPT_TS ? 12 : opt === OPT_MSS ? 4 : 0;
    const tcpLen = TCP_MIN_HEADER_LEN + optLen + payLen;
    const ipLen = v6 ? IPV6_HEADER_LEN : IPV4_MIN_HEADER_LEN;
    const len = ETH_HEADER_LEN + ipLen + tcpLen;
    const { buf: b, at: p } = this.w.reserve(len);
    this.eth(b, p, srcLocal, src, v6, dstLocal, dst);
    let pseudo: number;
    if (v6) {
      pseudo = this.ip6(b, p + ETH_HEADER_LEN, srcPre, src, dstPre, dst, IPPROTO_TCP, tcpLen, ttl, sport ^ dport);
      this.truth.ipv6Packets++;
    } else {
      this.ip4(b, p + ETH_HEADER_LEN, src, dst, IPPROTO_TCP, IPV4_MIN_HEADER_LEN + tcpLen, ipId, ttl, true);
      pseudo = words32(src) + words32(dst);
      this.truth.ipv4Packets++;
    }
    const q = p + ETH_HEADER_LEN + ipLen;
    b.writeUInt16BE(sport, q + TCP_SPORT);
    b.writeUInt16BE(dport, q + TCP_DPORT);
    b.writeUInt32BE(seq >>> 0, q + TCP_SEQ);
    b.writeUInt32BE(ack >>> 0, q + TCP_ACK);
    const offFlags = (((TCP_MIN_HEADER_LEN + optLen) >> 2) << 12) | flags;
    b.writeUInt16BE(offFlags, q + TCP_OFFSET);
    b.writeUInt16BE(win, q + TCP_WINDOW);
    b.writeUInt16BE(0, q + TCP_URGENT);
    let sum = pseudo + IPPROTO_TCP + tcpLen + sport + dport + words32(seq >>> 0) + words32(ack >>> 0) + offFlags + win;
    const o = q + TCP_MIN_HEADER_LEN;
    if (opt === OPT_SYN) {
      // mss 1460/1440, sackOK, TS, nop, wscale 7
      const mss = v6 ? 1440 : 1460;
      b.writeUInt32BE((0x02040000 | mss) >>> 0, o);
      b.writeUInt32BE(0x0402080a, o + 4);
      b.writeUInt32BE(tsval >>> 0, o + 8);
      b.writeUInt32BE(tsecr >>> 0, o + 12);
      b.writeUInt32BE(0x01030307, o + 16);
      sum += 0x0204 + mss + 0x0402 + 0x080a + words32(tsval >>> 0) + words32(tsecr >>> 0) + 0x0103 + 0x0307;
    } else if (opt === OPT_TS) {
      b.writeUInt32BE(0x0101080a, o);
      b.writeUInt32BE(tsval >>> 0, o + 4);
      b.writeUInt32BE(tsecr >>> 0, o + 8);
      sum += 0x0101 + 0x080a + words32(tsval >>> 0) + words32(tsecr >>> 0);
    } else if (opt === OPT_MSS) {
      b.writeUInt32BE(0x020405b4, o);
      sum += 0x0204 + 0x05b4;
    }
    if (payLen > 0) {
      this.pool.copy(b, o + optLen, payOff, payOff + payLen);
      sum += this.paySum(payOff, payLen);
    }
    b.writeUInt16BE(foldComplement(sum), q + TCP_CHECKSUM);
    this.commit(len);
  }

  /**
   * Writes one UDP datagram with payload from the pool, then applies `patch` 16-bit words (offset, value
   * pairs within the payload, at even offsets) such as a DNS id or NTP times.
   */
  udp(
    v6: boolean, srcPre: number, src: number, srcLocal: boolean, dstPre: number, dst: number, dstLocal: boolean,
    sport: number, dport: number, payOff: number, payLen: number, ipId: number, ttl: number, patch: Int32Array, patchN: number,
  ): void {
    const udpLen = UDP_HEADER_LEN + payLen;
    const ipLen = v6 ? IPV6_HEADER_LEN : IPV4_MIN_HEADER_LEN;
    const len = ETH_HEADER_LEN + ipLen + udpLen;
    const { buf: b, at: p } = this.w.reserve(len);
    this.eth(b, p, srcLocal, src, v6, dstLocal, dst);
    let pseudo: number;
    if (v6) {
      pseudo = this.ip6(b, p + ETH_HEADER_LEN, srcPre, src, dstPre, dst, IPPROTO_UDP, udpLen, ttl, 0);
      this.truth.ipv6Packets++;
    } else {
      this.ip4(b, p + ETH_HEADER_LEN, src, dst, IPPROTO_UDP, IPV4_MIN_HEADER_LEN + udpLen, ipId, ttl, false);
      pseudo = words32(src) + words32(dst);
      this.truth.ipv4Packets++;
    }
    const q = p + ETH_HEADER_LEN + ipLen;
    b.writeUInt16BE(sport, q + UDP_SPORT);
    b.writeUInt16BE(dport, q + UDP_DPORT);
    b.writeUInt16BE(udpLen, q + UDP_LENGTH);
    let sum = pseudo + IPPROTO_UDP + udpLen + sport + dport + udpLen;
    if (payLen > 0) {
      this.pool.copy(b, q + UDP_HEADER_LEN, payOff, payOff + payLen);
      sum += this.paySum(payOff, payLen);
      // A patched word replaces the pool's word at that offset in the checksum too.
      const pool = this.pool;
      for (let i = 0; i < patchN; i++) {
        const at = patch[2 * i]!;
        const v = patch[2 * i + 1]! & 0xffff;
        b.writeUInt16BE(v, q + UDP_HEADER_LEN + at);
        sum += v - ((pool[payOff + at]! << 8) | pool[payOff + at + 1]!);
      }
    }
    let ck = foldComplement(sum);
    if (ck === 0) ck = 0xffff;
    b.writeUInt16BE(ck, q + UDP_CHECKSUM);
    this.commit(len);
  }

  /** Writes an ICMP port unreachable from dst back to src quoting a just-sent empty UDP probe (IPv4). */
  icmpPortUnreachable(from: number, to: number, probeId: number, probeTtl: number, sport: number, dport: number): void {
    const len = ETH_HEADER_LEN + IPV4_MIN_HEADER_LEN + 8 + IPV4_MIN_HEADER_LEN + UDP_HEADER_LEN;
    const { buf: b, at: p } = this.w.reserve(len);
    this.eth(b, p, true, from, false, true, to);
    this.ip4(b, p + ETH_HEADER_LEN, from, to, 1, IPV4_MIN_HEADER_LEN + 8 + IPV4_MIN_HEADER_LEN + UDP_HEADER_LEN, 0, 64, false);
    const q = p + ETH_HEADER_LEN + IPV4_MIN_HEADER_LEN;
    b[q] = 3;
    b[q + 1] = 3;
    b.writeUInt16BE(0, q + 2);
    b.writeUInt32BE(0, q + 4);
    // The quoted probe: its IP header and UDP header (checksum as sent).
    this.ip4(b, q + 8, to, from, 17, IPV4_MIN_HEADER_LEN + UDP_HEADER_LEN, probeId, probeTtl, false);
    const u = q + 8 + IPV4_MIN_HEADER_LEN;
    b.writeUInt16BE(sport, u);
    b.writeUInt16BE(dport, u + 2);
    b.writeUInt16BE(UDP_HEADER_LEN, u + 4);
    let us = words32(to) + words32(from) + 17 + UDP_HEADER_LEN + sport + dport + UDP_HEADER_LEN;
    us = foldComplement(us);
    b.writeUInt16BE(us === 0 ? 0xffff : us, u + 6);
    let sum = 0;
    for (let i = q; i < q + 8 + IPV4_MIN_HEADER_LEN + UDP_HEADER_LEN; i += 2) sum += (b[i]! << 8) | b[i + 1]!;
    b.writeUInt16BE(foldComplement(sum), q + 2);
    this.truth.ipv4Packets++;
    this.commit(len);
  }

  /** Writes an ARP request (who-has target tell sender) padded to 60 bytes. */
  arpRequest(sender: number, target: number): void {
    const len = 60;
    const { buf: b, at: p } = this.w.reserve(len);
    b.fill(0, p, p + len);
    b.writeUInt32BE(0xffffffff, p);
    b.writeUInt16BE(0xffff, p + 4);
    b.writeUInt16BE(0x0204, p + 6);
    b.writeUInt32BE(sender, p + 8);
    b.writeUInt16BE(0x0806, p + 12);
    b.writeUInt32BE(0x00010800, p + 14);
    b.writeUInt32BE(0x06040001, p + 18);
    b.writeUInt16BE(0x0204, p + 22);
    b.writeUInt32BE(sender, p + 24);
    b.writeUInt32BE(sender, p + 28);
    b.writeUInt32BE(target, p + 38);
    this.truth.arpPackets++;
    this.commit(len);
  }

  finishOutput(): void {
    this.truth.lastTime = this.now();
    this.w.flush();
  }
}

const patchScratch = new Int32Array(32);

/** A web (HTTP or TLS) or beacon TCP session from a LAN client to a server outside, with its outcomes. */
class TcpSession implements Session {
  phase = 0;
  private cSeq: number;
  private sSeq: number;
  private readonly cIsn: number;
  private readonly sIsn: number;
  private cTs: number;
  private sTs: number;
  private cId: number;
  private sId: number;
  private rounds: number;
  private respOff = 0;
  private respLen = 0;
  private respSent = 0;
  private segs = 0;
  private readonly mss: number;

  constructor(
    g: BenchGenerator,
    private readonly v6: boolean,
    private readonly client: number,
    private readonly cport: number,
    private readonly server: number,
    private readonly sport: number,
    private readonly kind: 'http' | 'tls' | 'beacon',
    private readonly outcome: number, // 0 normal, 1 refused, 2 unanswered, 3 half-open, 4 aborted by RST
    private readonly closer: boolean, // client closes first
    private readonly ttl: number,
  ) {
    const r = g.rng;
    this.cIsn = r.u32();
    this.sIsn = r.u32();
    this.cSeq = this.cIsn;
    this.sSeq = this.sIsn;
    this.cTs = r.u32();
    this.sTs = r.u32();
    this.cId = r.u32() & 0xffff;
    this.sId = r.u32() & 0xffff;
    this.rounds = kind === 'beacon' ? 1 : 1 + (r.u32() % 3);
    this.mss = v6 ? 1428 : 1448;
  }

  private out(g: BenchGenerator, fromClient: boolean, flags: number, opt: number, payOff: number, payLen: number, win: number): void {
    const v6 = this.v6;
    const cPre = LAN6;
    const sPre = OUT6;
    if (fromClient) {
      // A SYN echoes no timestamp: the client has not heard from the server yet.
      g.tcp(v6, cPre, this.client, true, sPre, this.server, false, this.cport, this.sport, this.cSeq, flags & TH_ACK ? this.sSeq : 0, flags, win, opt, this.cTs, flags & TH_ACK ? this.sTs : 0, payOff, payLen, this.cId, 64);
      this.cId = (this.cId + 1) & 0xffff;
      this.cTs = (this.cTs + 1 + (g.rng.u32() & 7)) >>> 0;
      this.cSeq = (this.cSeq + payLen + (flags & (TH_SYN | TH_FIN) ? 1 : 0)) >>> 0;
    } else {
      g.tcp(v6, sPre, this.server, false, cPre, this.client, true, this.sport, this.cport, this.sSeq, this.cSeq, flags, win, opt, this.sTs, this.cTs, payOff, payLen, this.sId, this.ttl);
      this.sId = (this.sId + 1) & 0xffff;
      this.sTs = (this.sTs + 1 + (g.rng.u32() & 7)) >>> 0;
      this.sSeq = (this.sSeq + payLen + (flags & (TH_SYN | TH_FIN) ? 1 : 0)) >>> 0;
    }
  }

  /** Chooses the next request and response (HTTP objects, TLS records, or the beacon's fixed pair). */
  private pickRound(g: BenchGenerator): void {
    const t = g.t;
    const r = g.rng.u32();
    if (this.kind === 'http') {
      const i = r & 63;
      const k = (r >>> 8) % 32;
      // Small objects are far more common than large ones.
      const kk = Math.min(k, (r >>> 16) % 32, (r >>> 24) % 32);
      this.respOff = t.httpResp[2 * kk]!;
      this.respLen = t.httpResp[2 * kk + 1]!;
      this.reqOff = t.httpReq[2 * i]!;
      this.reqLen = t.httpReq[2 * i + 1]!;
      return;
    }
    if (this.kind === 'beacon') {
      this.respOff = t.beaconResp;
      this.respLen = BENCH_BEACON_RESPONSE_BYTES;
      this.reqOff = t.beaconReq;
      this.reqLen = BENCH_BEACON_REQUEST_BYTES;
      return;
    }
    const i = r & 15;
    this.respOff = t.tlsStream + (((r >>> 8) % 4096) << 1);
    // Mostly small responses (API calls, small assets), one in sixteen a larger download.
    this.respLen = 90 + ((r >>> 4) % 1200);
    if ((r >>> 20) % 32 === 0) this.respLen += 20000;
    this.reqOff = t.tlsAppReq[2 * i]!;
    this.reqLen = t.tlsAppReq[2 * i + 1]!;
  }

  private reqOff = 0;
  private reqLen = 0;
  private helloDone = false;

  step(g: BenchGenerator): boolean {
    switch (this.phase) {
      case 0: // SYN
        this.out(g, true, TH_SYN, OPT_SYN, 0, 0, 64240);
        this.phase = this.outcome === 2 ? 10 : 1;
        return true;
      case 10: // unanswered: one retransmission, same ISN
        this.cSeq = this.cIsn;
        this.out(g, true, TH_SYN, OPT_SYN, 0, 0, 64240);
        return false;
      case 1:
        if (this.outcome === 1) {
          g.tcp(this.v6, OUT6, this.server, false, LAN6, this.client, true, this.sport, this.cport, 0, this.cSeq, TH_RST | TH_ACK, 0, OPT_NONE, 0, 0, 0, 0, 0, this.ttl);
          return false;
        }
        this.out(g, false, TH_SYN | TH_ACK, OPT_SYN, 0, 0, 65160);
        if (this.outcome === 3) return false;
        this.phase = 2;
        return true;
      case 2:
        this.out(g, true, TH_ACK, OPT_TS, 0, 0, 502);
        this.phase = 3;
        return true;
      case 3: {
        // Client request (TLS: the ClientHello first, and the server's flight as the "response").
        const t = g.t;
        if (this.kind === 'tls' && !this.helloDone) {
          const i = g.rng.u32() & 63;
          this.reqOff = t.tlsHello[2 * i]!;
          this.reqLen = t.tlsHello[2 * i + 1]!;
          const k = g.rng.u32() & 7;
          this.respOff = t.tlsServer[2 * k]!;
          this.respLen = t.tlsServer[2 * k + 1]!;
          this.helloDone = true;
          this.rounds++;
        } else {
          this.pickRound(g);
        }
        this.out(g, true, TH_PUSH | TH_ACK, OPT_TS, this.reqOff, this.reqLen, 502);
        this.respSent = 0;
        this.segs = 0;
        this.phase = 4;
        return true;
      }
      case 4: {
        const left = this.respLen - this.respSent;
        const n = left < this.mss ? left : this.mss;
        const last = n === left;
        this.out(g, false, last ? TH_PUSH | TH_ACK : TH_ACK, OPT_TS, this.respOff + this.respSent, n, 509);
        this.respSent += n;
        this.segs++;
        if (last || (this.segs & 1) === 0) this.phase = last ? 6 : 5;
        return true;
      }
      case 5: // client ACK of two segments
        this.out(g, true, TH_ACK, OPT_TS, 0, 0, 502);
        this.phase = 4;
        return true;
      case 6: // client ACK of the last segment; another round or close
        this.out(g, true, TH_ACK, OPT_TS, 0, 0, 502);
        this.rounds--;
        this.phase = this.rounds > 0 ? 3 : 7;
        return true;
      case 7:
        if (this.outcome === 4) {
          // Aborted: the client resets instead of closing.
          this.out(g, true, TH_RST | TH_ACK, OPT_NONE, 0, 0, 0);
          return false;
        }
        this.out(g, this.closer, TH_FIN | TH_ACK, OPT_TS, 0, 0, this.closer ? 502 : 509);
        this.phase = 8;
        return true;
      case 8:
        this.out(g, !this.closer, TH_FIN | TH_ACK, OPT_TS, 0, 0, this.closer ? 509 : 502);
        this.phase = 9;
        return true;
      case 9:
        this.out(g, this.closer, TH_ACK, OPT_TS, 0, 0, this.closer ? 502 : 509);
        return false;
      default:
        return false;
    }
  }
}

/** A DNS lookup over UDP to a LAN resolver: query, then answer (A/AAAA), NXDOMAIN, or nothing. */
class DnsSession implements Session {
  private phase = 0;
  private readonly id: number;
  private readonly name: number;
  private readonly aaaa: boolean;

  constructor(
    g: BenchGenerator,
    private readonly v6: boolean,
    private readonly client: number,
    private readonly cport: number,
    private readonly resolver: number,
    private readonly outcome: number, // 0 answer, 1 NXDOMAIN, 2 none
  ) {
    const r = g.rng.u32();
    this.id = r & 0xffff;
    this.name = (r >>> 16) % (g.t.dnsQuery.length / 2);
    this.aaaa = (r & 0x10000000) !== 0;
  }

  step(g: BenchGenerator): boolean {
    const t = g.t;
    patchScratch[0] = 0;
    patchScratch[1] = this.id;
    const i = this.name;
    if (this.phase === 0) {
      const tab = this.aaaa ? t.dnsQuery6 : t.dnsQuery;
      const off = this.outcome === 1 ? t.dnsNx[2 * i]! : tab[2 * i]!;
      // An NXDOMAIN query is the question of the NX template (the name with "wpad."): reuse its head.
      const len = this.outcome === 1 ? nxQuestionLen(g, i) : tab[2 * i + 1]!;
      if (this.outcome === 1) {
        // The query is the NX answer's header and question with flags and counts of a query patched in.
        patchScratch[2] = 2;
        patchScratch[3] = 0x0100;
        patchScratch[4] = 8;
        patchScratch[5] = 0;
        g.udp(this.v6, LAN6, this.client, true, LAN6, this.resolver, true, this.cport, 53, off, len, g.rng.u32() & 0xffff, 64, patchScratch, 3);
      } else {
        g.udp(this.v6, LAN6, this.client, true, LAN6, this.resolver, true, this.cport, 53, off, len, g.rng.u32() & 0xffff, 64, patchScratch, 1);
      }
      this.phase = 1;
      g.truth.dnsQueries++;
      if (this.outcome === 2) {
        g.truth.dnsUnanswered++;
        return false;
      }
      return true;
    }
    const tab = this.outcome === 1 ? t.dnsNx : this.aaaa ? t.dnsAnswer6 : t.dnsAnswer;
    if (this.outcome === 1) g.truth.dnsNxdomain++;
    g.udp(this.v6, LAN6, this.resolver, true, LAN6, this.client, true, 53, this.cport, tab[2 * i]!, tab[2 * i + 1]!, g.rng.u32() & 0xffff, 64, patchScratch, 1);
    return false;
  }
}

/**
 * The NXDOMAIN template's header and question: the query for the same name. Patching the flags to a
 * standard query (0x0100) and the authority count (offset 8) to 0 leaves exactly a query.
 */
function nxQuestionLen(g: BenchGenerator, i: number): number {
  const off = g.t.dnsNx[2 * i]!;
  let p = off + 12;
  while (g.pool[p] !== 0) p += g.pool[p]! + 1;
  return p + 1 + 4 - off;
}

/** An NTP poll: client request to one of four servers, and the reply unless it is the silent one. */
class NtpSession implements Session {
  private phase = 0;
  private readonly server: number;
  constructor(
    g: BenchGenerator,
    private readonly client: number,
    private readonly cport: number,
  ) {
    this.server = NTP_SERVERS4[g.rng.u32() & 3]!;
  }

  step(g: BenchGenerator): boolean {
    const secs = (g.sec + 2208988800) >>> 0;
    const frac = Math.floor((g.usec / 1e6) * 4294967296) >>> 0;
    if (this.phase === 0) {
      // Transmit timestamp at payload offset 40.
      setTs(0, 40, secs, frac);
      g.udp(false, 0, this.client, true, 0, this.server, false, this.cport, 123, g.t.ntpClient, 48, g.rng.u32() & 0xffff, 64, patchScratch, 4);
      g.truth.ntpRequests++;
      if (this.server === NTP_SILENT4) {
        g.truth.ntpSilentRequests++;
        return false;
      }
      this.phase = 1;
      return true;
    }
    // Reference (16), origin (24: the request's transmit time, approximated), receive (32), transmit (40).
    setTs(0, 16, secs - 37, frac);
    setTs(4, 24, secs, frac >>> 1);
    setTs(8, 32, secs, frac);
    setTs(12, 40, secs, frac);
    g.udp(false, 0, this.server, false, 0, this.client, true, 123, this.cport, g.t.ntpServer, 48, g.rng.u32() & 0xffff, 53, patchScratch, 16);
    g.truth.ntpResponses++;
    return false;
  }
}

function setTs(slot: number, at: number, secs: number, frac: number): void {
  const s = patchScratch;
  s[2 * slot] = at;
  s[2 * slot + 1] = secs >>> 16;
  s[2 * slot + 2] = at + 2;
  s[2 * slot + 3] = secs & 0xffff;
  s[2 * slot + 4] = at + 4;
  s[2 * slot + 5] = frac >>> 16;
  s[2 * slot + 6] = at + 6;
  s[2 * slot + 7] = frac & 0xffff;
}

/** A scanner working through a target's ports: SYN probes (closed answer RST, open SYN/ACK then the scanner's RST) or UDP probes (closed answer ICMP). */
class ScanSession implements Session {
  private port = 0;
  private sub = 0;
  private readonly sport: number;
  private readonly seq: number;
  private readonly ports: number;
  private id: number;
  private arpDone = false;

  constructor(
    g: BenchGenerator,
    private readonly scanner: number,
    private readonly target: number,
    private readonly udp: boolean,
  ) {
    this.sport = 40000 + (g.rng.u32() % 20000);
    this.seq = g.rng.u32();
    this.ports = udp ? 200 : 1000 + (g.rng.u32() % 1000);
    this.id = g.rng.u32() & 0xffff;
  }

  private isOpen(port: number): boolean {
    return port === 22 || port === 80 || port === 443 || port === 3389 || port === 53 || port === 123;
  }

  step(g: BenchGenerator): boolean {
    if (!this.arpDone) {
      g.arpRequest(this.scanner, this.target);
      this.arpDone = true;
      return true;
    }
    const port = 1 + this.port;
    const open = this.isOpen(port);
    const filtered = !open && port % 97 === 13;
    if (this.udp) {
      if (this.sub === 0) {
        g.udp(false, 0, this.scanner, true, 0, this.target, true, this.sport, port, 0, 0, this.id, 44, patchScratch, 0);
        g.truth.scanProbes++;
        g.truth.udpFlows++;
        this.id = (this.id + 1) & 0xffff;
        this.sub = open || filtered ? 2 : 1;
      } else {
        g.icmpPortUnreachable(this.target, this.scanner, (this.id - 1) & 0xffff, 44, this.sport, port);
        this.sub = 2;
      }
    } else {
      if (this.sub === 0) {
        g.tcp(false, 0, this.scanner, true, 0, this.target, true, this.sport, port, this.seq, 0, TH_SYN, 1024, OPT_MSS, 0, 0, 0, 0, this.id, 44);
        g.truth.scanProbes++;
        g.truth.tcpFlows++;
        this.id = (this.id + 7) & 0xffff;
        this.sub = filtered ? 3 : 1;
      } else if (this.sub === 1) {
        if (open) {
          g.tcp(false, 0, this.target, true, 0, this.scanner, true, port, this.sport, this.seq ^ 0x5a5a5a5a, this.seq + 1, TH_SYN | TH_ACK, 64240, OPT_MSS, 0, 0, 0, 0, 0, 64);
          this.sub = 2;
        } else {
          g.tcp(false, 0, this.target, true, 0, this.scanner, true, port, this.sport, 0, this.seq + 1, TH_RST | TH_ACK, 0, OPT_NONE, 0, 0, 0, 0, 0, 64);
          this.sub = 3;
        }
      } else {
        g.tcp(false, 0, this.scanner, true, 0, this.target, true, this.sport, port, this.seq + 1, 0, TH_RST, 0, OPT_NONE, 0, 0, 0, 0, 0, 64);
        this.sub = 3;
      }
    }
    if ((this.udp && this.sub === 2) || (!this.udp && this.sub === 3)) {
      this.sub = 0;
      this.port++;
      return this.port < this.ports;
    }
    return true;
  }
}


/** Concurrent sessions in flight. */
const SLOTS = 384;

/**
 * Writes the benchmark capture to dest and returns its ground truth. The mix: about 70 % of new sessions
 * are DNS lookups, 5 % NTP polls, 25 % web (of which 70 % TLS, 15 % over IPv6); 8 % of all packets come
 * from the scanners; the beacon fires every 60 s +- 3 s.
 */
export function writeBenchCapture(dest: PcapDestination, opts: BenchOptions = {}): BenchTruth {
  const packets = opts.packets ?? BENCH_DEFAULT_PACKETS;
  const g = new BenchGenerator(dest, opts);
  const rng = g.rng;
  const tr = g.truth;
  const slots: Array<Session | undefined> = new Array(SLOTS).fill(undefined);
  let scan: Session | undefined;
  let scanIndex = 0;
  let beacon: Session | undefined;
  const start = g.now();
  // Beacon n fires at its slot (8 s + n minutes after the start) plus a jitter within +-3 s.
  const beaconSlot = (n: number) => start + BENCH_BEACON_FIRST + n * BENCH_BEACON_INTERVAL + rng.range(-BENCH_BEACON_JITTER, BENCH_BEACON_JITTER);
  let nextBeacon = beaconSlot(0);
  let beaconPort = 50000;

  const newSession = (): Session => {
    const r = rng.u32() % 1000;
    const host = rng.u32() % HOSTS;
    if (r < 700) {
      const v6 = rng.u32() % 100 < 15;
      const outcome = rng.u32() % 100;
      const client = v6 ? host + 0x1000 : g.hosts4[host]!;
      const resolver = v6 ? RESOLVER6_HOST + (host & 1) : RESOLVERS4[host & 1]!;
      tr.udpFlows++;
      return new DnsSession(g, v6, client, g.ephemeral(host, v6), resolver, outcome < 4 ? 1 : outcome < 6 ? 2 : 0);
    }
    if (r < 750) {
      tr.udpFlows++;
      return new NtpSession(g, g.hosts4[host]!, g.ephemeral(host, false));
    }
    const v6 = rng.u32() % 100 < 15;
    const tls = rng.u32() % 100 < 70;
    const o = rng.u32() % 1000;
    const outcome = o < 20 ? 1 : o < 35 ? 2 : o < 45 ? 3 : o < 70 ? 4 : 0;
    if (outcome === 1) tr.tcpRefused++;
    else if (outcome === 2) tr.tcpUnanswered++;
    else if (outcome === 3) tr.tcpHalfOpen++;
    else if (outcome === 4) tr.tcpAborted++;
    tr.tcpFlows++;
    if (tls) tr.tlsFlows++;
    else tr.httpFlows++;
    const server = v6 ? 0x1000 + (rng.u32() % 4096) : (ip4(198, 18, 0, 0) | (rng.u32() % 131072)) >>> 0;
    const client = v6 ? host + 0x1000 : g.hosts4[host]!;
    return new TcpSession(g, v6, client, g.ephemeral(host, v6), server, tls ? 443 : 80, tls ? 'tls' : 'http', outcome, rng.u32() % 4 !== 0, 40 + (rng.u32() % 80));
  };

  while (tr.packets < packets) {
    g.advance(1 + (rng.u32() % 719));
    const now = g.now();
    let s: Session | undefined;
    let slot = -1;
    if (beacon !== undefined) {
      s = beacon;
    } else if (now >= nextBeacon) {
      beacon = s = new TcpSession(g, false, BEACON_HOST4, beaconPort, BEACON_SERVER4, 443, 'beacon', 0, true, 51);
      beaconPort += 1 + (rng.u32() % 5);
      tr.beacons++;
      tr.tcpFlows++;
      nextBeacon = beaconSlot(tr.beacons);
    } else if (rng.u32() % 100 < 8) {
      if (scan === undefined) {
        const scanner = SCANNERS4[scanIndex & 1]!;
        const target = g.hosts4[rng.u32() % HOSTS]!;
        scan = new ScanSession(g, scanner, target, scanIndex % 4 === 3);
        scanIndex++;
      }
      s = scan;
    } else {
      slot = rng.u32() % SLOTS;
      s = slots[slot] ?? (slots[slot] = newSession());
    }
    const more = s.step(g);
    if (!more) {
      if (s === beacon) beacon = undefined;
      else if (s === scan) scan = undefined;
      else if (slot >= 0) slots[slot] = undefined;
    }
    if ((tr.packets & 0xfffff) === 0) opts.onProgress?.(tr.packets);
  }
  g.finishOutput();
  return tr;
}
