import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import * as g from '../../src/gen/packet-builder.js';
import { ND_NA_FLAG_SOLICITED } from '../../src/wire/icmp6.js';
import { LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_NULL, LINKTYPE_RAW } from '../../src/capture/link-types.js';
import { readCapture } from '../../src/capture/reader.js';
import { tempDir } from '../temp.js';

const TCPDUMP = '/usr/bin/tcpdump';
const haveTcpdump = fs.existsSync(TCPDUMP);
const T0 = 1700000000;

function tmpFile(name: string, data: Buffer): string {
  const dir = tempDir('gen-');
  const f = path.join(dir, name);
  fs.writeFileSync(f, data);
  return f;
}

function tcpdump(file: string, ...args: string[]): string[] {
  const r = spawnSync(TCPDUMP, ['-nn', '-r', file, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter((l) => l !== '');
}

/** One of everything, on the given link type. */
function everything(linkType: number): g.CaptureBuilder {
  const cap = new g.CaptureBuilder({ linkType, seed: 42 });
  const cl = '192.168.1.10';
  if (linkType === LINKTYPE_ETHERNET) cap.arp(T0, cl, '192.168.1.1');
  cap.dns({ t: T0 + 0.1, client: cl, cport: 40000, server: '192.168.1.1', id: 0x1234, name: 'www.example.com',
    answers: [{ name: 'www.example.com', type: 'CNAME', data: 'web.example.com' }, { name: 'web.example.com', type: 'A', data: '93.184.216.34' }] });
  cap.dns({ t: T0 + 0.2, client: cl, cport: 40001, server: '192.168.1.1', id: 0x1235, name: 'nope.example.com', type: 'AAAA', rcode: g.DNS_RCODE_NXDOMAIN });
  cap.dns({ t: T0 + 0.3, client: cl, cport: 40002, server: '192.168.1.1', id: 7, name: 'example.com', type: 'TXT', answers: [{ name: 'example.com', type: 'TXT', data: ['v=spf1 -all'] }] });
  cap.dns({ t: T0 + 0.4, client: cl, cport: 40003, server: '192.168.1.1', id: 8, name: 'v6.example.com', type: 'AAAA', answers: [{ name: 'v6.example.com', type: 'AAAA', data: '2001:db8::80' }] });
  const c = cap.tcpOpen({ t: T0 + 1, client: cl, cport: 50000, server: '93.184.216.34', sport: 80 });
  c.exchange(g.httpRequest({ host: 'www.example.com', path: '/index.html' }), g.httpResponse({ body: 3000 }));
  c.close();
  cap.tcpRejected({ t: T0 + 2, client: cl, cport: 50001, server: '93.184.216.34', sport: 81 });
  cap.tcpHalfOpen({ t: T0 + 3, client: cl, cport: 50002, server: '93.184.216.34', sport: 82 });
  cap.tcpUnanswered({ t: T0 + 4, client: cl, cport: 50003, server: '93.184.216.34', sport: 83 }, 1);
  cap.ntp(T0 + 5, cl, 123, '162.159.200.1');
  cap.ping(T0 + 6, cl, '8.8.8.8', 5, 1);
  const u = cap.udp(T0 + 7, cl, 33333, '192.168.1.1', 9999, Buffer.from('hi'));
  cap.portUnreachable(T0 + 7.001, '192.168.1.1', u);
  cap.ping(T0 + 8, '2001:db8::10', '2001:db8::1', 6, 1);
  const c6 = cap.tcpOpen({ t: T0 + 9, client: '2001:db8::10', cport: 50004, server: '2001:db8::80', sport: 443 });
  c6.exchange(g.tlsClientHello('www.example.com', cap.rng), g.tlsServerHello(cap.rng));
  c6.reset();
  cap.ip(T0 + 10, 'fe80::1', 'ff02::1:ff00:10', g.ndNeighborSolicit('2001:db8::10', '02:00:00:00:00:01'), { ttl: 255 });
  cap.ip(T0 + 10.1, '2001:db8::10', 'fe80::1', g.ndNeighborAdvert('2001:db8::10', ND_NA_FLAG_SOLICITED, '02:00:00:00:00:10'), { ttl: 255 });
  cap.ipPacket(g.ipv4Packet({ src: '10.0.0.1', dst: '10.0.0.2', options: g.recordRouteOption(3), ttl: 3, id: 77 }, g.udpDatagram({ sport: 1, dport: 2, payload: Buffer.from('x') })), T0 + 11);
  for (const f of g.ipv4Fragments({ src: '10.0.0.1', dst: '10.0.0.2', id: 99 }, g.udpDatagram({ sport: 5000, dport: 5001, payload: Buffer.alloc(3000, 1) }), 1480)) cap.ipPacket(f, T0 + 12);
  for (const f of g.ipv6Fragments({ src: '2001:db8::1', dst: '2001:db8::2' }, g.udpDatagram({ sport: 5000, dport: 5001, payload: Buffer.alloc(3000, 1) }), 1448, 0x1234)) cap.ipPacket(f, T0 + 13);
  cap.ipPacket(g.ipv6Packet({ src: '2001:db8::1', dst: '2001:db8::2', extensions: [{ kind: 'hop', options: Buffer.from([5, 2, 0, 0]) }, { kind: 'dst' }] }, g.udpDatagram({ sport: 7, dport: 7, payload: Buffer.from('abc') })), T0 + 14);
  cap.tcp(T0 + 15, cl, '93.184.216.34', { sport: 1234, dport: 80, flags: 'FPU', seq: 1, urgent: 0, window: 1024 });
  return cap;
}

const LINKS = [LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_NULL, LINKTYPE_RAW];

test('tcpdump -vv finds no bad checksum in anything the builders make, on every link type', { skip: !haveTcpdump }, () => {
  for (const lt of LINKS) {
    const file = tmpFile(`all-${lt}.pcap`, everything(lt).toPcap());
    const out = tcpdump(file, '-vv').join('\n');
    assert.doesNotMatch(out, /incorrect|bad (udp |tcp |icmp |)c?k?sum|\[bad/i, `link type ${lt}`);
    // tcpdump -v cuts long HTTP text lines itself ([|http]); nothing else may look truncated.
    assert.doesNotMatch(out.replaceAll('[|http]', ''), /\[\|/, `link type ${lt}: something truncated`);
    assert.match(out, /\[udp sum ok\]/);
    assert.match(out, /cksum 0x[0-9a-f]+ \(correct\)/);
    assert.match(out, /\[icmp6 sum ok\]/);
  }
});

test('tcpdump prints the lines we expect', { skip: !haveTcpdump }, () => {
  const lines = tcpdump(tmpFile('all.pcap', everything(LINKTYPE_ETHERNET).toPcap()), '-t');
  const expect = [
    'ARP, Request who-has 192.168.1.1 tell 192.168.1.10, length 46',
    'ARP, Reply 192.168.1.1 is-at 02:04:c0:a8:01:01, length 46',
    'IP 192.168.1.10.40000 > 192.168.1.1.53: 4660+ A? www.example.com. (33)',
    'IP 192.168.1.1.53 > 192.168.1.10.40000: 4660 2/0/0 CNAME web.example.com., A 93.184.216.34 (67)',
    'IP 192.168.1.1.53 > 192.168.1.10.40001: 4661 NXDomain 0/0/0 (34)',
    'IP 192.168.1.1.53 > 192.168.1.10.40002: 7 1/0/0 TXT "v=spf1 -all" (53)',
    'IP 192.168.1.1.53 > 192.168.1.10.40003: 8 1/0/0 AAAA 2001:db8::80 (60)',
    'IP 93.184.216.34.81 > 192.168.1.10.50001: Flags [R.], seq 0, ack ',
    'IP 192.168.1.10.123 > 162.159.200.1.123: NTPv4, Client, length 48',
    'IP 162.159.200.1.123 > 192.168.1.10.123: NTPv4, Server, length 48',
    'IP 192.168.1.10 > 8.8.8.8: ICMP echo request, id 5, seq 1, length 64',
    'IP 8.8.8.8 > 192.168.1.10: ICMP echo reply, id 5, seq 1, length 64',
    'IP 192.168.1.1 > 192.168.1.10: ICMP 192.168.1.1 udp port 9999 unreachable, length 38',
    'IP6 2001:db8::10 > 2001:db8::1: ICMP6, echo request, id 6, seq 1, length 64',
    'IP6 fe80::1 > ff02::1:ff00:10: ICMP6, neighbor solicitation, who has 2001:db8::10, length 32',
    'IP6 2001:db8::10 > fe80::1: ICMP6, neighbor advertisement, tgt is 2001:db8::10, length 32',
    'IP 10.0.0.1 > 10.0.0.2: ip-proto-17',
    'IP6 2001:db8::1 > 2001:db8::2: frag (0|1448) 5000 > 5001: UDP, length 3000',
    'IP 192.168.1.10.1234 > 93.184.216.34.80: Flags [FPU], seq 1, win 1024, urg 0, length 0',
  ];
  for (const e of expect) assert.ok(lines.some((l) => l.startsWith(e)), `missing: ${e}\n${lines.join('\n')}`);
  // The HTTP connection: handshake, request, response, teardown with consistent relative numbers.
  const http = lines.filter((l) => l.includes('.50000 ') || l.endsWith('.50000:') || l.includes('.50000:'));
  assert.deepEqual(
    http.map((l) => l.replace(/^IP \S+ > \S+ Flags \[([^\]]+)\].*?(seq [0-9:]+)?(, ack \d+)?, win.*?length (\d+).*$/, '$1 $2$3 $4')),
    [
      'S seq ' + http[0]!.match(/seq (\d+)/)![1] + ' 0',
      'S. seq ' + http[1]!.match(/seq (\d+)/)![1] + ', ack ' + http[1]!.match(/ack (\d+)/)![1] + ' 0',
      '. , ack 1 0',
      'P. seq 1:149, ack 1 148',
      '. seq 1:1449, ack 149 1448',
      '. seq 1449:2897, ack 149 1448',
      'P. seq 2897:3097, ack 149 200',
      '. , ack 2897 0',
      '. , ack 3097 0',
      'F. seq 149, ack 3097 0',
      'F. seq 3097, ack 150 0',
      '. , ack 3098 0',
    ],
  );
});

test('VLAN tags and pcapng output read back in tcpdump', { skip: !haveTcpdump }, () => {
  const cap = new g.CaptureBuilder({ link: { vlans: [{ id: 100, pcp: 3 }, { id: 7 }] } });
  cap.ping(T0, '10.1.0.1', '10.1.0.2', 1, 1);
  const lines = tcpdump(tmpFile('vlan.pcapng', cap.toPcapng({ tsresol: 9 })), '-e');
  assert.match(lines[0]!, /ethertype 802\.1Q \(0x8100\), length 106: vlan 100, p 3, ethertype 802\.1Q \(0x8100\), vlan 7, p 0, ethertype IPv4 \(0x0800\), 10\.1\.0\.1 > 10\.1\.0\.2: ICMP echo request/);
});

/** Returns true when the ones' complement sum over the range (plus initial) is 0xffff: a valid checksum. */
function sumsToFfff(b: Uint8Array, start: number, end: number, initial = 0): boolean {
  return g.fold(g.sumWords(b, start, end, initial)) === 0xffff;
}

const ipv4Arb = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((a) => a.join('.'));
const ipv6Arb = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }).map((a) => a.map((v) => v.toString(16)).join(':'));

test('property: TCP over IPv4 reads back its fields, and both checksums verify', () => {
  fc.assert(
    fc.property(
      ipv4Arb, ipv4Arb, fc.nat(65535), fc.nat(65535), fc.nat(0xffffffff), fc.nat(0xffffffff), fc.nat(255), fc.nat(65535),
      fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 1, max: 255 }), fc.boolean(), fc.nat(1460),
      (src, dst, sport, dport, seq, ack, flags, win, payload, ttl, df, mss) => {
        const p = g.ipv4Packet({ src, dst, ttl, df, id: sport }, g.tcpSegment({ sport, dport, seq, ack, flags, window: win, payload, options: [{ kind: 'mss', value: mss }] }));
        assert.equal(p[0], 0x45);
        assert.equal(p.readUInt16BE(2), p.length);
        assert.equal(p[8], ttl);
        assert.equal(p[9], 6);
        assert.equal(!!(p.readUInt16BE(6) & 0x4000), df);
        assert.equal(g.ipv4Text(p, 12), src.split('.').map(Number).join('.'));
        assert.ok(sumsToFfff(p, 0, 20));
        const t = p.subarray(20);
        assert.equal(t.readUInt16BE(0), sport);
        assert.equal(t.readUInt16BE(2), dport);
        assert.equal(t.readUInt32BE(4), seq);
        assert.equal(t.readUInt32BE(8), ack);
        assert.equal(t[12]! >> 4, 6);
        assert.equal(t[13], flags);
        assert.equal(t.readUInt16BE(14), win);
        assert.equal(t.readUInt16BE(22), mss);
        assert.ok(t.subarray(24).equals(Buffer.from(payload)));
        assert.ok(sumsToFfff(t, 0, t.length, g.pseudoHeaderSum(p.subarray(12, 16), p.subarray(16, 20), 6, t.length)));
      },
    ),
    { numRuns: 300 },
  );
});

test('property: UDP and ICMPv6 over IPv6 read back, with extension headers, and checksums verify', () => {
  fc.assert(
    fc.property(ipv6Arb, ipv6Arb, fc.nat(65535), fc.nat(65535), fc.uint8Array({ maxLength: 300 }), fc.boolean(), fc.nat(0xfffff), (src, dst, sport, dport, payload, hop, flow) => {
      const exts: g.Ipv6Extension[] = hop ? [{ kind: 'hop' }] : [];
      const p = g.ipv6Packet({ src, dst, flowLabel: flow, extensions: exts }, g.udpDatagram({ sport, dport, payload }));
      assert.equal(p[0]! >> 4, 6);
      assert.equal(p.readUInt32BE(0) & 0xfffff, flow);
      assert.equal(p.readUInt16BE(4), p.length - 40);
      assert.equal(g.ipv6Text(p, 8), g.ipv6Text(g.ipv6Bytes(src)));
      const at = 40 + (hop ? 8 : 0);
      assert.equal(p[6], hop ? 0 : 17);
      if (hop) assert.equal(p[40], 17);
      const u = p.subarray(at);
      assert.equal(u.readUInt16BE(0), sport);
      assert.equal(u.readUInt16BE(2), dport);
      assert.equal(u.readUInt16BE(4), u.length);
      assert.ok(u.subarray(8).equals(Buffer.from(payload)));
      assert.ok(sumsToFfff(u, 0, u.length, g.pseudoHeaderSum(p.subarray(8, 24), p.subarray(24, 40), 17, u.length)));
      const e = g.ipv6Packet({ src, dst }, g.icmp6Echo(false, sport, dport, payload));
      assert.ok(sumsToFfff(e, 40, e.length, g.pseudoHeaderSum(e.subarray(8, 24), e.subarray(24, 40), 58, e.length - 40)));
    }),
    { numRuns: 300 },
  );
});

test('property: fragments reassemble to the original datagram', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 5000 }), fc.integer({ min: 8, max: 1480 }), (payload, size) => {
      const whole = g.ipv4Packet({ src: '10.0.0.1', dst: '10.0.0.2', id: 5 }, g.udpDatagram({ sport: 1, dport: 2, payload }));
      const frags = g.ipv4Fragments({ src: '10.0.0.1', dst: '10.0.0.2', id: 5 }, g.udpDatagram({ sport: 1, dport: 2, payload }), size);
      const parts: Buffer[] = [];
      frags.forEach((f, i) => {
        const fo = f.readUInt16BE(6);
        assert.equal(!!(fo & 0x2000), i < frags.length - 1);
        assert.equal((fo & 0x1fff) * 8, parts.reduce((n, b) => n + b.length, 0));
        assert.ok(sumsToFfff(f, 0, 20));
        parts.push(f.subarray(20));
      });
      assert.ok(Buffer.concat(parts).equals(whole.subarray(20)));
    }),
    { numRuns: 100 },
  );
});

test('property: DNS names compress and every record round-trips through tcpdump-style decoding', () => {
  fc.assert(
    fc.property(fc.array(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), { minLength: 1, maxLength: 4 }), fc.nat(65535), (labels, id) => {
      const name = labels.join('.') + '.example';
      const m = g.dnsResponse(id, name, 'A', [{ name, type: 'A', data: '192.0.2.1', ttl: 60 }, { name, type: 'A', data: '192.0.2.2' }]);
      assert.equal(m.readUInt16BE(0), id);
      assert.equal(m.readUInt16BE(6), 2);
      // Question name spelled out once, then the two answers point back to it (0xc00c).
      const qEnd = 12 + name.length + 2 + 4;
      assert.equal(m.readUInt16BE(qEnd), 0xc00c);
      assert.equal(m.length, qEnd + 2 * (2 + 10 + 4));
    }),
    { numRuns: 100 },
  );
});

test('the PRNG is deterministic and roughly uniform', () => {
  const a = new g.Random('x');
  const b = new g.Random('x');
  const seqA = Array.from({ length: 100 }, () => a.u32());
  assert.deepEqual(seqA, Array.from({ length: 100 }, () => b.u32()));
  assert.notDeepEqual(seqA, Array.from({ length: 100 }, () => new g.Random('y').u32()));
  const r = new g.Random(3);
  const buckets = new Array(10).fill(0);
  for (let i = 0; i < 10000; i++) buckets[r.int(0, 9)]++;
  for (const n of buckets) assert.ok(n > 850 && n < 1150, String(buckets));
});

test('addresses parse and format', () => {
  assert.equal(g.ipv6Text(g.ipv6Bytes('2001:DB8:0:0:1:0:0:1')), '2001:db8::1:0:0:1');
  assert.equal(g.ipv6Text(g.ipv6Bytes('::ffff:1.2.3.4')), '::ffff:1.2.3.4');
  assert.equal(g.ipv6Text(g.ipv6Bytes('::')), '::');
  assert.equal(g.ipv6Text(g.ipv6Bytes('fe80::1')), 'fe80::1');
  assert.throws(() => g.ipv6Bytes('1::2::3'));
  assert.throws(() => g.ipv4Bytes('1.2.3.256'));
  assert.equal(g.macForIp('10.20.1.2'), '02:04:0a:14:01:02');
  assert.equal(g.solicitedNode('2001:db8::1:2:3'), 'ff02::1:ff02:3');
});

test('built captures read back through the reader with their timestamps and link type', async () => {
  for (const lt of LINKS) {
    const cap = everything(lt);
    const file = tmpFile('rt.pcap', cap.toPcap());
    const want = cap.sorted();
    let i = 0;
    const r = await readCapture(file, {
      onPacket: (p) => {
        const w = want[i++]!;
        assert.equal(p.linkType, lt);
        assert.equal(p.tsSec, w.tsSec);
        assert.equal(p.tsNsec, w.tsNsec);
        assert.ok(p.data.subarray(p.offset, p.offset + p.caplen).equals(w.data));
      },
    });
    assert.equal(r.packets, want.length);
  }
});
