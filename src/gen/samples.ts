/**
 * The sample captures pcapsift ships (written by make-samples.ts into samples/), and their exact ground
 * truth as exported constants so tests of every layer can assert against them:
 *
 * - web.pcap: one client browsing the web behind a NAT gateway (DNS, HTTP, TLS, NTP, ICMP, ARP, a RST).
 * - scan.pcap: one scanner running a SYN scan, FIN/NULL/XMAS probes and a UDP scan against one target.
 * - beacon.pcap: a host calling home every 60 s (+-3 s) for an hour amid irregular browsing.
 * - web-vlan-ipv6.pcapng: dual-stack traffic on two VLANs, seen on two interfaces, in pcapng.
 *
 * The plans below ARE the ground truth: the generators follow them literally, and the packet counts are
 * checked by test/gen/samples.test.ts against both the generator and tcpdump.
 */
import { PcapngWriter } from '../capture/pcapng-writer.js';
import { LINKTYPE_ETHERNET } from '../capture/link-types.js';
import { CaptureBuilder, type Time } from './capture-builder.js';
import { DNS_RCODE_NOERROR, DNS_RCODE_NXDOMAIN, type DnsRecord } from './dns.js';
import { httpRequest, httpResponse } from './http.js';
import { ipv6MulticastMac, solicitedNode } from './addr.js';
import { ND_NA_FLAG_OVERRIDE, ND_NA_FLAG_SOLICITED } from '../wire/icmp6.js';
import { ndNeighborAdvert, ndNeighborSolicit, ndRouterAdvert, ndRouterSolicit } from './icmp6.js';
import { ipv6Fragments } from './ipv6.js';
import { Random } from './random.js';
import { tlsApplicationData, tlsClientHello, tlsServerHello } from './tls.js';
import { udpDatagram } from './udp.js';
import { dnsMessage, dnsQuery, dnsResponse } from './dns.js';
import type { TcpConnection } from './tcp-connection.js';
import type { TransportSegment } from './transport.js';

/** A sample: its file name and how to make its bytes. */
export interface Sample {
  file: string;
  build(): Buffer;
}

// ---------------------------------------------------------------------------------------------------------
// web.pcap

/** 2026-03-14 09:26:53.118734 UTC: when web.pcap begins. */
export const WEB_START = 1773480413.118734;

export const WEB_CLIENT = { ip: '192.168.218.131', mac: '00:0c:29:3e:5a:71' } as const;
/** The NAT gateway, also the local DNS resolver (port 53), as in a VMware NAT network. */
export const WEB_GATEWAY = { ip: '192.168.218.2', mac: '00:50:56:e1:4b:02' } as const;
export const WEB_RESOLVER = WEB_GATEWAY.ip;
export const WEB_LAN = '192.168.218.0/24';

export interface WebSite {
  name: string;
  ip: string;
  /** AAAA answer, or null for an empty (NOERROR, no data) AAAA response. */
  ip6: string | null;
  /** A CNAME the A and AAAA answers go through, if any. */
  cname?: string;
  /** The server's IP TTL as seen by the client. */
  ttl: number;
  /** Round-trip time in seconds. */
  rtt: number;
}

export const WEB_SITES = {
  example: { name: 'example.com', ip: '93.184.215.14', ip6: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', ttl: 52, rtt: 0.089 },
  neverssl: { name: 'neverssl.com', ip: '34.223.124.45', ip6: null, ttl: 49, rtt: 0.142 },
  wikipedia: { name: 'www.wikipedia.org', ip: '208.80.154.224', ip6: '2620:0:861:ed1a::1', cname: 'dyna.wikimedia.org', ttl: 54, rtt: 0.071 },
  github: { name: 'github.com', ip: '140.82.112.3', ip6: null, ttl: 50, rtt: 0.064 },
  hn: { name: 'news.ycombinator.com', ip: '209.216.230.207', ip6: null, ttl: 48, rtt: 0.097 },
  google: { name: 'www.google.com', ip: '142.250.72.100', ip6: '2607:f8b0:4005:80c::2004', ttl: 117, rtt: 0.018 },
  jsdelivr: { name: 'cdn.jsdelivr.net', ip: '104.16.85.20', ip6: '2606:4700::6810:5514', cname: 'cdn.jsdelivr.net.cdn.cloudflare.net', ttl: 57, rtt: 0.012 },
} as const satisfies Record<string, WebSite>;

export type WebSiteKey = keyof typeof WEB_SITES;

/** One TCP connection of web.pcap. */
export interface WebConnection {
  /** Offset from WEB_START of the SYN. */
  at: number;
  site: WebSiteKey;
  cport: number;
  sport: 80 | 443;
  /** HTTP: [path, status, body bytes] per request; TLS: [request bytes, response bytes] per round. */
  rounds: ReadonlyArray<readonly [string, number, number]> | ReadonlyArray<readonly [number, number]>;
  /** Who sends the first FIN. */
  closer: 'client' | 'server';
}

/** Every TCP connection to a web server, all established and closed with FINs. */
export const WEB_CONNECTIONS: readonly WebConnection[] = [
  { at: 3.2, site: 'example', cport: 51874, sport: 80, rounds: [['/', 200, 1256]], closer: 'client' },
  { at: 11.7, site: 'neverssl', cport: 51876, sport: 80, rounds: [['/', 200, 4021], ['/favicon.ico', 404, 162]], closer: 'server' },
  { at: 24.4, site: 'wikipedia', cport: 51880, sport: 443, rounds: [[412, 18240], [388, 5120]], closer: 'client' },
  { at: 25.1, site: 'wikipedia', cport: 51882, sport: 443, rounds: [[395, 30310]], closer: 'client' },
  { at: 47.9, site: 'github', cport: 51890, sport: 443, rounds: [[530, 61422], [470, 2210], [470, 1880]], closer: 'client' },
  { at: 88.3, site: 'hn', cport: 51902, sport: 443, rounds: [[402, 34876]], closer: 'server' },
  { at: 121.6, site: 'google', cport: 51911, sport: 443, rounds: [[610, 48204], [380, 1450]], closer: 'client' },
  { at: 122.0, site: 'jsdelivr', cport: 51913, sport: 443, rounds: [[355, 88320]], closer: 'client' },
  { at: 176.5, site: 'example', cport: 51930, sport: 80, rounds: [['/index.html', 200, 1256]], closer: 'client' },
  { at: 203.8, site: 'hn', cport: 51937, sport: 443, rounds: [[410, 29210]], closer: 'server' },
];

/** The connection refused with RST/ACK: the gateway has nothing on 8080. */
export const WEB_REJECTED = { at: 97.25, server: WEB_GATEWAY.ip, sport: 8080, cport: 51905 } as const;

/** The one lookup that fails (NXDOMAIN), an A query. */
export const WEB_NXDOMAIN = { at: 151.02, name: 'intranet.corp.example', cport: 58213, id: 0x6b1e } as const;

/** NTP servers (from the pool) polled every 64 s, four polls each; one never answers. */
export const WEB_NTP_SERVERS = [
  { name: '0.pool.ntp.org', ip: '162.159.200.123', answered: true, cport: 60412, stratum: 3 },
  { name: '1.pool.ntp.org', ip: '45.79.111.114', answered: true, cport: 52330, stratum: 2 },
  { name: '2.pool.ntp.org', ip: '129.146.193.200', answered: false, cport: 61098, stratum: 2 },
  { name: '3.pool.ntp.org', ip: '23.150.40.242', answered: true, cport: 57741, stratum: 1 },
] as const;
export const WEB_NTP_SILENT = '129.146.193.200';
export const WEB_NTP_POLLS = 4;
export const WEB_NTP_POLL_INTERVAL = 64;

/** ICMP echo to 1.1.1.1, four requests one second apart, all answered. */
export const WEB_PING = { at: 19.4, target: '1.1.1.1', id: 0x1f2a, count: 4, rtt: 0.0143 } as const;

/** web.pcap's totals (checked by the tests against the generator and tcpdump). */
export const WEB_TRUTH = {
  packets: 538,
  /** Established TCP connections (all to WEB_CONNECTIONS' servers), plus the one rejected. */
  tcpEstablished: 10,
  tcpRejected: 1,
  /** DNS queries, each answered by the resolver: A and AAAA per site looked up, NTP names, the NXDOMAIN. */
  dnsQueries: 19,
  arpPackets: 2,
  icmpPackets: 8,
  ntpRequests: 16,
  ntpResponses: 12,
  /** Last packet's offset from WEB_START, in seconds (a few minutes long). */
  durationAtLeast: 200,
} as const;

/** Sites looked up (A and AAAA) before their first connection; the second visit uses the cache. */
export const WEB_DNS_LOOKUPS: ReadonlyArray<{ at: number; site: WebSiteKey; cport: number; id: number }> = [
  { at: 3.05, site: 'example', cport: 58102, id: 0x3a01 },
  { at: 11.55, site: 'neverssl', cport: 58117, id: 0x3a02 },
  { at: 24.3, site: 'wikipedia', cport: 58125, id: 0x3a03 },
  { at: 47.8, site: 'github', cport: 58144, id: 0x3a04 },
  { at: 88.15, site: 'hn', cport: 58166, id: 0x3a05 },
  { at: 121.5, site: 'google', cport: 58190, id: 0x3a06 },
  { at: 121.9, site: 'jsdelivr', cport: 58191, id: 0x3a07 },
];

function webMac(ip: string): string {
  if (ip === WEB_CLIENT.ip) return WEB_CLIENT.mac;
  // Everything beyond the LAN is reached through the gateway's MAC.
  return WEB_GATEWAY.mac;
}

function siteAnswers(site: WebSite, v6: boolean): DnsRecord[] {
  const out: DnsRecord[] = [];
  let owner: string = site.name;
  if (site.cname !== undefined) {
    out.push({ name: owner, type: 'CNAME', ttl: 1800, data: site.cname });
    owner = site.cname;
  }
  const addr = v6 ? site.ip6 : site.ip;
  if (addr !== null) out.push({ name: owner, type: v6 ? 'AAAA' : 'A', ttl: 300, data: addr });
  return out;
}

function playWebRounds(cap: CaptureBuilder, c: TcpConnection, site: WebSite, w: WebConnection): void {
  if (w.sport === 80) {
    for (const [path, status, body] of w.rounds as ReadonlyArray<readonly [string, number, number]>) {
      c.exchange(httpRequest({ host: site.name, path }), httpResponse({ status, body }), 0.011);
      c.wait(0.35);
    }
  } else {
    c.exchange(tlsClientHello(site.name, cap.rng), tlsServerHello(cap.rng, 2600), 0.003);
    for (const [req, resp] of w.rounds as ReadonlyArray<readonly [number, number]>) {
      c.exchange(tlsApplicationData(req, cap.rng), tlsApplicationData(resp, cap.rng), 0.021);
      c.wait(0.8);
    }
  }
}

/** Builds web.pcap. */
export function buildWebCapture(): CaptureBuilder {
  const cap = new CaptureBuilder({ seed: 'web.pcap', macOf: webMac });
  const T = WEB_START;
  const cl = WEB_CLIENT.ip;
  cap.arp(T, cl, WEB_GATEWAY.ip, 0.000412, { srcMac: WEB_CLIENT.mac });
  // The resolver is on the LAN: ARP answered, then frames go to its MAC directly (it is the gateway too).
  let dnsPort = 58050;
  let dnsId = 0x1c00;
  WEB_NTP_SERVERS.forEach((s, i) => {
    cap.dns({ t: T + 0.31 + i * 0.002, client: cl, cport: dnsPort++, server: WEB_RESOLVER, id: dnsId++, name: s.name, type: 'A', rtt: 0.0061 + i * 0.0007,
      answers: [{ name: s.name, type: 'A', ttl: 130, data: s.ip }] });
  });
  for (let poll = 0; poll < WEB_NTP_POLLS; poll++) {
    WEB_NTP_SERVERS.forEach((s, i) => {
      const at = T + 0.52 + poll * WEB_NTP_POLL_INTERVAL + i * 0.0113 + cap.rng.range(0, 0.4);
      cap.ntp(at, cl, s.cport, s.ip, s.answered ? 0.021 + i * 0.0093 : null, s.stratum);
    });
  }
  for (const l of WEB_DNS_LOOKUPS) {
    const site: WebSite = WEB_SITES[l.site];
    cap.dns({ t: T + l.at, client: cl, cport: l.cport, server: WEB_RESOLVER, id: l.id, name: site.name, type: 'A', rtt: 0.0082, answers: siteAnswers(site, false) });
    cap.dns({ t: T + l.at + 0.0003, client: cl, cport: l.cport + 1, server: WEB_RESOLVER, id: l.id + 0x100, name: site.name, type: 'AAAA', rtt: 0.0089, answers: siteAnswers(site, true) });
  }
  for (const w of WEB_CONNECTIONS) {
    const site: WebSite = WEB_SITES[w.site];
    const c = cap.tcpOpen({ t: T + w.at, client: cl, cport: w.cport, server: site.ip, sport: w.sport, rtt: site.rtt, serverTtl: site.ttl });
    playWebRounds(cap, c, site, w);
    c.close(w.closer);
  }
  cap.tcpRejected({ t: T + WEB_REJECTED.at, client: cl, cport: WEB_REJECTED.cport, server: WEB_REJECTED.server, sport: WEB_REJECTED.sport, rtt: 0.0004, serverTtl: 64 });
  cap.dns({ t: T + WEB_NXDOMAIN.at, client: cl, cport: WEB_NXDOMAIN.cport, server: WEB_RESOLVER, id: WEB_NXDOMAIN.id, name: WEB_NXDOMAIN.name, type: 'A', rtt: 0.0311, rcode: DNS_RCODE_NXDOMAIN,
    authority: [{ name: 'example', type: 'SOA', ttl: 86400, data: { mname: 'a.root-servers.net', rname: 'nstld.verisign-grs.com', serial: 2026031400, refresh: 1800, retry: 900, expire: 604800, minimum: 86400 } }] });
  for (let i = 0; i < WEB_PING.count; i++) cap.ping(T + WEB_PING.at + i, cl, WEB_PING.target, WEB_PING.id, i + 1, WEB_PING.rtt + i * 0.0004, undefined, { ttl: 64 });
  return cap;
}

// ---------------------------------------------------------------------------------------------------------
// scan.pcap

/** 2026-03-15 02:11:07.500211 UTC. */
export const SCAN_START = 1773540667.500211;
export const SCAN_SCANNER = '10.0.5.66';
export const SCAN_TARGET = '10.0.5.20';
/** A legitimate client of the target, for contrast: one HTTP connection during the scan. */
export const SCAN_BYSTANDER = '10.0.5.31';
/** nmap keeps one source port for its SYN probes. */
export const SCAN_SYN_SOURCE_PORT = 61337;
/** The ports the SYN scan probes, in the (shuffled, deterministic) order it probes them. */
export const SCAN_SYN_PORTS: readonly number[] = [
  21, 22, 23, 25, 53, 80, 110, 111, 135, 139, 143, 199, 443, 445, 587, 993, 995, 1025, 1720, 1723,
  3306, 3389, 5900, 8080, 8443, 8888, 9100, 5432, 6379, 27017, 113, 179, 389, 465, 514, 548, 554, 631,
  873, 990, 1433, 1521, 2049, 2121, 5060, 5631, 5666, 6000, 6001, 6646, 7070, 8000, 8008, 8009, 8081,
  9090, 9999, 10000, 32768, 49152,
];
/** Open TCP ports: they answer SYN/ACK and the scanner resets them. */
export const SCAN_OPEN_TCP = [22, 80, 443, 3306] as const;
/** Filtered TCP ports: no answer; nmap retransmits the probe once. */
export const SCAN_FILTERED_TCP = [135, 139, 445] as const;
/** The stealth probes: each flag set on these ports (open ports stay silent, closed ones answer RST/ACK). */
export const SCAN_STEALTH = {
  ports: [22, 80, 113, 8080] as const,
  sets: [
    { name: 'FIN', flags: 'F', sport: 61338 },
    { name: 'NULL', flags: '', sport: 61339 },
    { name: 'XMAS', flags: 'FPU', sport: 61340 },
  ] as const,
} as const;
export const SCAN_UDP_SOURCE_PORT = 61341;
/** UDP ports probed; closed ones answer ICMP port unreachable; 53 answers DNS; 123 answers NTP; 161 is silent (open|filtered). */
export const SCAN_UDP_PORTS = [53, 67, 69, 123, 137, 161, 500, 514, 1900, 5353] as const;
export const SCAN_UDP_OPEN = [53, 123] as const;
export const SCAN_UDP_SILENT = [161] as const;

export const SCAN_TRUTH = {
  packets: 175,
  arpPackets: 2,
  synProbes: 63, // 60 ports + one retransmission for each of the 3 filtered ports
  synAckReplies: 4,
  rstFromTarget: 53, // RST/ACK for the closed SYN-scan ports
  scannerResets: 4,
  stealthProbes: 12,
  stealthRstReplies: 6, // closed stealth ports (113, 8080) x 3 sets
  udpProbes: 10,
  udpReplies: 2, // DNS (NotImp) and NTP
  icmpUnreachable: 7,
  bystanderPackets: 12,
} as const;

/** Builds scan.pcap. */
export function buildScanCapture(): CaptureBuilder {
  const cap = new CaptureBuilder({ seed: 'scan.pcap' });
  const rng = cap.rng;
  const T = SCAN_START;
  const s = SCAN_SCANNER;
  const d = SCAN_TARGET;
  const open = new Set<number>(SCAN_OPEN_TCP);
  const filtered = new Set<number>(SCAN_FILTERED_TCP);
  const synOpts = [{ kind: 'mss' as const, value: 1460 }];
  // ARP first: the scanner resolves the target.
  cap.arp(T, s, d, 0.00021);
  let t = T + 0.05;
  const seqBase = rng.u32();
  for (const port of SCAN_SYN_PORTS) {
    const ipId = rng.int(1, 65535);
    const seq = seqBase;
    cap.tcp(t, s, d, { sport: SCAN_SYN_SOURCE_PORT, dport: port, seq, flags: 'S', window: 1024, options: synOpts }, { id: ipId, ttl: rng.int(37, 59) });
    if (open.has(port)) {
      const isn = rng.u32();
      cap.tcp(t + 0.00031, d, s, { sport: port, dport: SCAN_SYN_SOURCE_PORT, seq: isn, ack: seq + 1, flags: 'SA', window: 64240, options: synOpts }, { df: true });
      cap.tcp(t + 0.00039, s, d, { sport: SCAN_SYN_SOURCE_PORT, dport: port, seq: seq + 1, flags: 'R', window: 0 }, { id: rng.int(1, 65535), ttl: 64 });
    } else if (!filtered.has(port)) {
      cap.tcp(t + 0.00027, d, s, { sport: port, dport: SCAN_SYN_SOURCE_PORT, seq: 0, ack: seq + 1, flags: 'RA', window: 0 }, { df: true });
    }
    t += 0.0009 + rng.range(0, 0.0004);
  }
  // Retransmitted probes to the filtered ports, a second later.
  t += 1.0;
  for (const port of SCAN_FILTERED_TCP) {
    cap.tcp(t, s, d, { sport: SCAN_SYN_SOURCE_PORT, dport: port, seq: seqBase, flags: 'S', window: 1024, options: synOpts }, { id: rng.int(1, 65535), ttl: rng.int(37, 59) });
    t += 0.001;
  }
  // A bystander's ordinary web request in the middle of it all.
  const by = cap.tcpOpen({ t: T + 0.9, client: SCAN_BYSTANDER, cport: 51120, server: d, sport: 80, rtt: 0.0006, serverTtl: 64 });
  by.exchange(httpRequest({ host: 'intranet.local', path: '/status' }), httpResponse({ body: 2900 }), 0.002);
  by.close();
  // FIN, NULL and XMAS probes.
  t = T + 3.0;
  for (const set of SCAN_STEALTH.sets) {
    for (const port of SCAN_STEALTH.ports) {
      const seq = rng.u32();
      const flags = set.flags === '' ? 0 : set.flags;
      cap.tcp(t, s, d, { sport: set.sport, dport: port, seq, flags, window: 1024, urgent: 0 }, { id: rng.int(1, 65535), ttl: rng.int(37, 59) });
      if (!open.has(port)) {
        const consumed = set.flags.includes('F') ? 1 : 0;
        cap.tcp(t + 0.00025, d, s, { sport: port, dport: set.sport, seq: 0, ack: seq + consumed, flags: 'RA', window: 0 }, { df: true });
      }
      t += 0.0011;
    }
    t += 0.5;
  }
  // UDP scan.
  t = T + 5.0;
  for (const port of SCAN_UDP_PORTS) {
    const payload = port === 53 ? dnsMessage0() : port === 123 ? ntpProbe() : Buffer.alloc(0);
    const probe = cap.udp(t, s, SCAN_UDP_SOURCE_PORT, d, port, payload, { id: rng.int(1, 65535), ttl: rng.int(37, 59) });
    if (port === 53) {
      // A server status request (opcode 2) gets "not implemented".
      cap.udp(t + 0.0004, d, 53, s, SCAN_UDP_SOURCE_PORT, dnsMessage({ id: 0, qr: true, opcode: 2, rd: false, ra: true, rcode: 4 }), { df: true });
    } else if (port === 123) {
      cap.udp(t + 0.0004, d, 123, s, SCAN_UDP_SOURCE_PORT, ntpReplyFor(t), { df: true });
    } else if (port !== 161) {
      cap.portUnreachable(t + 0.00029, d, probe, { ttl: 64 });
    }
    t += 0.7 + rng.range(0, 0.3);
  }
  return cap;
}

function dnsMessage0(): Buffer {
  // nmap's UDP probe for 53: a status request with id 0 and no questions.
  return Buffer.from([0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
}

function ntpProbe(): Buffer {
  const b = Buffer.alloc(48);
  b[0] = 0xe3;
  b[2] = 4;
  b[3] = 0xfa;
  b.writeUInt32BE(0x00010000, 4);
  b.writeUInt32BE(0x00010000, 8);
  b.writeUInt32BE(0xc54f234b, 40);
  b.writeUInt32BE(0x71b152f3, 44);
  return b;
}

function ntpReplyFor(t: Time): Buffer {
  const b = Buffer.alloc(48);
  b[0] = 0x24;
  b[1] = 2;
  b[2] = 4;
  b[3] = 0xe9;
  b.write('GPS\0', 12, 'latin1');
  b.writeUInt32BE(0xc54f234b, 24);
  b.writeUInt32BE(0x71b152f3, 28);
  b.writeUInt32BE((Math.floor(t) + 2208988800) >>> 0, 32);
  b.writeUInt32BE((Math.floor(t) + 2208988800) >>> 0, 40);
  return b;
}

// ---------------------------------------------------------------------------------------------------------
// beacon.pcap

/** 2026-03-16 13:00:04.221905 UTC. */
export const BEACON_START = 1773666004.221905;
export const BEACON_HOST = { ip: '10.1.1.50', mac: '3c:52:82:6a:19:ce' } as const;
export const BEACON_GATEWAY = { ip: '10.1.1.1', mac: '00:1a:8c:f0:22:01' } as const;
export const BEACON_C2 = { ip: '203.0.113.66', port: 443, name: 'update.cdn-telemetry.net' } as const;
export const BEACON_INTERVAL = 60;
/** Each call-out starts at its slot time (every 60 s) plus a jitter uniformly within +-3 s. */
export const BEACON_JITTER = 3;
export const BEACON_COUNT = 60;
/** Every beacon sends exactly this request and receives this response (TLS application data bytes). */
export const BEACON_REQUEST_BYTES = 261;
export const BEACON_RESPONSE_BYTES = 93;
/** The host looks the C2 name up again whenever the 300 s TTL has run out. */
export const BEACON_DNS_TTL = 300;
/** Browsing from the same host: this many connections at irregular (exponential) intervals. */
export const BEACON_BROWSING_CONNECTIONS = 45;
export const BEACON_BROWSING_SITES = [
  { name: 'www.bbc.co.uk', ip: '151.101.0.81' },
  { name: 'www.reddit.com', ip: '151.101.129.140' },
  { name: 'stackoverflow.com', ip: '172.64.155.249' },
  { name: 'www.youtube.com', ip: '142.250.217.78' },
  { name: 'docs.python.org', ip: '151.101.36.223' },
  { name: 'outlook.office.com', ip: '52.96.166.130' },
] as const;

export const BEACON_TRUTH = {
  beaconConnections: 60,
  /** Packets per beacon connection: 3 handshake + request + response + ACK + 3 teardown. */
  packetsPerBeacon: 9,
  browsingConnections: 45,
  /** DNS queries: the C2 name every 300 s (12) and each browsing site once (6), all answered. */
  dnsQueries: 18,
  packets: 1524,
} as const;

/** The start offsets (from BEACON_START) of each beacon's SYN, as the generator places them. */
export function beaconTimes(): number[] {
  const out: number[] = [];
  // A dedicated stream so that the beacon schedule does not depend on anything else in the capture.
  const rng = new Random('beacon-schedule');
  for (let i = 0; i < BEACON_COUNT; i++) out.push(5 + i * BEACON_INTERVAL + rng.range(-BEACON_JITTER, BEACON_JITTER));
  return out;
}

/** Builds beacon.pcap. */
export function buildBeaconCapture(): CaptureBuilder {
  const macOf = (ip: string) => (ip === BEACON_HOST.ip ? BEACON_HOST.mac : BEACON_GATEWAY.mac);
  const cap = new CaptureBuilder({ seed: 'beacon.pcap', macOf });
  const rng = cap.rng;
  const T = BEACON_START;
  const h = BEACON_HOST.ip;
  let cport = 50112;
  let dnsId = 0x4d00;
  let lastLookup = -Infinity;
  for (const at of beaconTimes()) {
    if (at - lastLookup >= BEACON_DNS_TTL) {
      cap.dns({ t: T + at - 0.02, client: h, cport: 51000 + (dnsId & 0xff), server: BEACON_GATEWAY.ip, id: dnsId++, name: BEACON_C2.name, type: 'A', rtt: 0.0093,
        answers: [{ name: BEACON_C2.name, type: 'A', ttl: BEACON_DNS_TTL, data: BEACON_C2.ip }] });
      lastLookup = at;
    }
    const c = cap.tcpOpen({ t: T + at, client: h, cport: cport, server: BEACON_C2.ip, sport: BEACON_C2.port, rtt: 0.0412, serverTtl: 51 });
    cport += rng.int(1, 7);
    c.exchange(tlsApplicationData(BEACON_REQUEST_BYTES - 5, rng), tlsApplicationData(BEACON_RESPONSE_BYTES - 5, rng), 0.006);
    c.close('client');
  }
  // Irregular browsing: exponential gaps averaging 80 s, sizes all over the place.
  let at = 17.3;
  const looked = new Set<string>();
  for (let i = 0; i < BEACON_BROWSING_CONNECTIONS; i++) {
    const site = rng.pick(BEACON_BROWSING_SITES);
    if (!looked.has(site.name)) {
      cap.dns({ t: T + at - 0.015, client: h, cport: 52000 + i, server: BEACON_GATEWAY.ip, id: dnsId++, name: site.name, type: 'A', rtt: 0.011, answers: [{ name: site.name, type: 'A', ttl: 3600, data: site.ip }] });
      looked.add(site.name);
    }
    const c = cap.tcpOpen({ t: T + at, client: h, cport: 55000 + i * 3, server: site.ip, sport: 443, rtt: rng.range(0.01, 0.09), serverTtl: rng.int(50, 120) });
    c.exchange(tlsClientHello(site.name, rng), tlsServerHello(rng, rng.int(1200, 3000)), 0.002);
    const rounds = rng.int(1, 3);
    for (let k = 0; k < rounds; k++) {
      c.exchange(tlsApplicationData(rng.int(200, 900), rng), tlsApplicationData(rng.int(300, 6000), rng), rng.range(0.005, 0.09));
      c.wait(rng.range(0.1, 3));
    }
    c.close(rng.chance(0.5) ? 'client' : 'server');
    at += 10 + rng.exp(70);
    if (at > BEACON_COUNT * BEACON_INTERVAL) at = 30 + (at % 3500);
  }
  return cap;
}

// ---------------------------------------------------------------------------------------------------------
// web-vlan-ipv6.pcapng

/** 2026-03-17 08:45:00.000250 UTC. */
export const VLAN6_START = 1773737100.00025;
/** Two interfaces, both Ethernet: eth0 with microsecond, eth1 with nanosecond timestamps. */
export const VLAN6_INTERFACES = [
  { name: 'eth0', tsresol: 6 },
  { name: 'eth1', tsresol: 9 },
] as const;
export const VLAN6_PREFIX = '2001:db8:10::';
export const VLAN6_ROUTER = { ip: 'fe80::1', global: '2001:db8:10::1', mac: '00:1b:21:3a:4f:01', vlan: 10 } as const;
export const VLAN6_CLIENT = { ip: '2001:db8:10::42', linkLocal: 'fe80::21b:21ff:fe3a:4f42', mac: '00:1b:21:3a:4f:42', vlan: 10 } as const;
export const VLAN6_RESOLVER = { ip: '2001:db8:10::53', mac: '00:1b:21:3a:4f:53' } as const;
export const VLAN6_WEB = { name: 'www.example.net', ip: '2001:db8:cafe::80' } as const;
/** IPv4 hosts on VLAN 20, seen on eth1. */
export const VLAN6_V4 = { client: '172.16.20.15', server: '172.16.20.1', vlan: 20 } as const;

export const VLAN6_TRUTH = {
  packets: 47,
  /** Packets seen on each interface. */
  eth0Packets: 34,
  eth1Packets: 13,
  ipv6TcpConnections: 2,
  ipv4TcpConnections: 1,
} as const;

/** Builds the two interfaces' traffic of web-vlan-ipv6.pcapng. */
export function buildVlanIpv6Captures(): [CaptureBuilder, CaptureBuilder] {
  const macOf = (ip: string) =>
    ip === VLAN6_CLIENT.ip || ip === VLAN6_CLIENT.linkLocal ? VLAN6_CLIENT.mac
    : ip === VLAN6_RESOLVER.ip ? VLAN6_RESOLVER.mac
    : ip.startsWith('ff02:') ? ipv6MulticastMac(ip)
    : VLAN6_ROUTER.mac;
  const eth0 = new CaptureBuilder({ seed: 'vlan6-eth0', macOf, link: { vlans: [{ id: VLAN6_CLIENT.vlan, pcp: 0 }] } });
  const T = VLAN6_START;
  const c = VLAN6_CLIENT;
  // Router discovery and neighbor discovery for the resolver's address.
  eth0.ip(T, c.linkLocal, 'ff02::2', ndRouterSolicit(c.mac), { ttl: 255 });
  eth0.ip(T + 0.0021, VLAN6_ROUTER.ip, 'ff02::1', ndRouterAdvert(VLAN6_PREFIX, VLAN6_ROUTER.mac), { ttl: 255 });
  eth0.ip(T + 0.31, c.ip, solicitedNode(VLAN6_RESOLVER.ip), ndNeighborSolicit(VLAN6_RESOLVER.ip, c.mac), { ttl: 255 });
  eth0.ip(T + 0.3104, VLAN6_RESOLVER.ip, c.ip, ndNeighborAdvert(VLAN6_RESOLVER.ip, ND_NA_FLAG_SOLICITED | ND_NA_FLAG_OVERRIDE, VLAN6_RESOLVER.mac), { ttl: 255 });
  // DNS over IPv6: AAAA then A for the web server.
  eth0.udp(T + 0.32, c.ip, 53001, VLAN6_RESOLVER.ip, 53, dnsQuery(0x7a01, VLAN6_WEB.name, 'AAAA'));
  eth0.udp(T + 0.3261, VLAN6_RESOLVER.ip, 53, c.ip, 53001, dnsResponse(0x7a01, VLAN6_WEB.name, 'AAAA', [{ name: VLAN6_WEB.name, type: 'AAAA', ttl: 600, data: VLAN6_WEB.ip }]));
  eth0.udp(T + 0.3203, c.ip, 53002, VLAN6_RESOLVER.ip, 53, dnsQuery(0x7a02, VLAN6_WEB.name, 'A'));
  eth0.udp(T + 0.3272, VLAN6_RESOLVER.ip, 53, c.ip, 53002, dnsResponse(0x7a02, VLAN6_WEB.name, 'A', [], DNS_RCODE_NOERROR));
  // Ping the web server over IPv6.
  eth0.ping(T + 0.5, c.ip, VLAN6_WEB.ip, 0x0b0b, 1, 0.0123, undefined, { ttl: 64 });
  eth0.ping(T + 1.5, c.ip, VLAN6_WEB.ip, 0x0b0b, 2, 0.0119, undefined, { ttl: 64 });
  // HTTP and TLS over IPv6.
  const web = eth0.tcpOpen({ t: T + 2, client: c.ip, cport: 49822, server: VLAN6_WEB.ip, sport: 80, rtt: 0.0121, serverTtl: 57 });
  web.exchange(httpRequest({ host: VLAN6_WEB.name, path: '/' }), httpResponse({ status: 301, headers: [['Location', `https://${VLAN6_WEB.name}/`]], body: 0 }), 0.001);
  web.close('server');
  const tls = eth0.tcpOpen({ t: T + 2.2, client: c.ip, cport: 49824, server: VLAN6_WEB.ip, sport: 443, rtt: 0.0121, serverTtl: 57 });
  tls.exchange(tlsClientHello(VLAN6_WEB.name, eth0.rng), tlsServerHello(eth0.rng, 1800), 0.002);
  tls.exchange(tlsApplicationData(420, eth0.rng), tlsApplicationData(1200, eth0.rng), 0.01);
  tls.close('client');

  // eth1: IPv4 on VLAN 20 with priority 5 (voice-ish), and a fragmented IPv6 echo on VLAN 10 with QinQ outer tag.
  const eth1 = new CaptureBuilder({ seed: 'vlan6-eth1', link: { vlans: [{ id: VLAN6_V4.vlan, pcp: 5 }] } });
  eth1.arp(T + 0.7, VLAN6_V4.client, VLAN6_V4.server, 0.0003);
  const v4 = eth1.tcpOpen({ t: T + 0.8, client: VLAN6_V4.client, cport: 50444, server: VLAN6_V4.server, sport: 8080, rtt: 0.0008, serverTtl: 64 });
  v4.exchange(httpRequest({ host: VLAN6_V4.server, path: '/api/health' }), httpResponse({ body: '{"ok":true}', contentType: 'application/json' }), 0.0005);
  v4.close('client');
  // A fragmented UDP datagram over IPv6, double tagged (802.1ad outer 300, inner 10).
  const qinq = { vlans: [{ id: 300, tpid: 0x88a8 }, { id: VLAN6_CLIENT.vlan }] };
  const big = udpDatagram({ sport: 5004, dport: 5004, payload: Buffer.alloc(2200, 0x5a) });
  for (const f of fragmentsV6(c.ip, '2001:db8:20::9', big)) eth1.ipPacket(f, T + 3.1, qinq);
  return [eth0, eth1];
}

function fragmentsV6(src: string, dst: string, seg: TransportSegment): Buffer[] {
  return ipv6Fragments({ src, dst, hopLimit: 64 }, seg, 1232, 0x5a5a0001);
}

/** Builds web-vlan-ipv6.pcapng: both interfaces' packets merged in time order. */
export function buildVlanIpv6Pcapng(): Buffer {
  const [eth0, eth1] = buildVlanIpv6Captures();
  const w = new PcapngWriter({ comment: 'pcapsift sample: IPv6 and VLANs on two interfaces' });
  const ids = VLAN6_INTERFACES.map((i) => w.addInterface({ linkType: LINKTYPE_ETHERNET, snaplen: 262144, tsresol: i.tsresol, name: i.name }));
  const all = [
    ...eth0.sorted().map((r) => ({ r, ifId: ids[0]! })),
    ...eth1.sorted().map((r) => ({ r, ifId: ids[1]! })),
  ].sort((a, b) => a.r.tsSec - b.r.tsSec || a.r.tsNsec - b.r.tsNsec || a.ifId - b.ifId);
  for (const { r, ifId } of all) w.writePacket(ifId, r.data, r.tsSec, r.tsNsec, r.wirelen);
  return w.toBuffer();
}

// ---------------------------------------------------------------------------------------------------------

/** Every shipped sample. */
export const SAMPLES: readonly Sample[] = [
  { file: 'web.pcap', build: () => buildWebCapture().toPcap() },
  { file: 'scan.pcap', build: () => buildScanCapture().toPcap() },
  { file: 'beacon.pcap', build: () => buildBeaconCapture().toPcap() },
  { file: 'web-vlan-ipv6.pcapng', build: buildVlanIpv6Pcapng },
];
