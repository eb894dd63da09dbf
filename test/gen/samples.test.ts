import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import * as S from '../../src/gen/samples.js';
import { readCapture } from '../../src/capture/reader.js';
import { tempDir } from '../temp.js';

const TCPDUMP = '/usr/bin/tcpdump';
const haveTcpdump = fs.existsSync(TCPDUMP);
const dir = tempDir('samples-');
const built = new Map<string, Buffer>();
for (const s of S.SAMPLES) {
  const b = s.build();
  built.set(s.file, b);
  fs.writeFileSync(path.join(dir, s.file), b);
}
const file = (name: string) => path.join(dir, name);

/** Counts the packets tcpdump prints for a filter (one line each without -v). */
function count(name: string, filter = ''): number {
  const r = spawnSync(TCPDUMP, ['-nn', '-r', file(name), ...(filter ? [filter] : [])], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter((l) => l !== '').length;
}

test('samples are byte-for-byte deterministic and small', () => {
  for (const s of S.SAMPLES) {
    const again = s.build();
    const h = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
    assert.equal(h(again), h(built.get(s.file)!), s.file);
    assert.ok(again.length < 1_000_000, `${s.file} is ${again.length} bytes`);
  }
});

test('make-samples writes the same files', () => {
  const out = tempDir('mk-');
  const script = path.resolve('dist', 'src', 'gen', 'make-samples.js');
  const r = spawnSync(process.execPath, [script, out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  for (const s of S.SAMPLES) assert.ok(fs.readFileSync(path.join(out, s.file)).equals(built.get(s.file)!), s.file);
  const bad = spawnSync(process.execPath, [script], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^usage: make-samples DIR/);
});

test('packet counts in the ground truth match what the reader sees', async () => {
  const expect: Record<string, number> = {
    'web.pcap': S.WEB_TRUTH.packets,
    'scan.pcap': S.SCAN_TRUTH.packets,
    'beacon.pcap': S.BEACON_TRUTH.packets,
    'web-vlan-ipv6.pcapng': S.VLAN6_TRUTH.packets,
  };
  for (const s of S.SAMPLES) {
    const perIf = [0, 0];
    let last = 0;
    let ordered = true;
    const r = await readCapture(file(s.file), {
      onPacket: (p) => {
        perIf[p.interfaceId]!++;
        const t = p.tsSec + p.tsNsec / 1e9;
        if (t < last) ordered = false;
        last = t;
      },
    });
    assert.equal(r.packets, expect[s.file], s.file);
    assert.ok(ordered, `${s.file} is in time order`);
    if (s.file.endsWith('.pcapng')) assert.deepEqual(perIf, [S.VLAN6_TRUTH.eth0Packets, S.VLAN6_TRUTH.eth1Packets]);
  }
});

test('tcpdump finds no bad checksums in any sample', { skip: !haveTcpdump }, () => {
  for (const s of S.SAMPLES) {
    const r = spawnSync(TCPDUMP, ['-nn', '-vv', '-r', file(s.file)], { encoding: 'utf8', maxBuffer: 256 << 20 });
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /incorrect|bad (udp |tcp )?c?k?sum|\[bad/i, s.file);
  }
});

test('web.pcap ground truth, checked with tcpdump filters', { skip: !haveTcpdump }, () => {
  const w = 'web.pcap';
  assert.equal(count(w), S.WEB_TRUTH.packets);
  assert.equal(count(w, 'arp'), S.WEB_TRUTH.arpPackets);
  assert.equal(count(w, 'icmp'), S.WEB_TRUTH.icmpPackets);
  assert.equal(count(w, `icmp and host ${S.WEB_PING.target}`), S.WEB_PING.count * 2);
  assert.equal(count(w, 'udp dst port 123'), S.WEB_TRUTH.ntpRequests);
  assert.equal(count(w, 'udp src port 123'), S.WEB_TRUTH.ntpResponses);
  assert.equal(count(w, `udp src port 123 and src host ${S.WEB_NTP_SILENT}`), 0);
  assert.equal(count(w, `udp dst port 123 and dst host ${S.WEB_NTP_SILENT}`), S.WEB_NTP_POLLS);
  assert.equal(count(w, `udp dst port 53 and dst host ${S.WEB_RESOLVER}`), S.WEB_TRUTH.dnsQueries);
  assert.equal(count(w, 'udp src port 53'), S.WEB_TRUTH.dnsQueries);
  assert.equal(count(w, 'udp src port 53 and udp[11] & 0xf = 3'), 1); // exactly one NXDOMAIN
  assert.equal(count(w, 'tcp[tcpflags] = tcp-syn|tcp-ack'), S.WEB_TRUTH.tcpEstablished);
  assert.equal(count(w, 'tcp[tcpflags] = tcp-syn'), S.WEB_TRUTH.tcpEstablished + S.WEB_TRUTH.tcpRejected);
  assert.equal(count(w, `tcp[tcpflags] & tcp-rst != 0 and src host ${S.WEB_REJECTED.server} and src port ${S.WEB_REJECTED.sport}`), 1);
  assert.equal(count(w, `not host ${S.WEB_CLIENT.ip} and not arp`), 0);
  // Every port the client picks is ephemeral (49152-65535).
  assert.equal(count(w, `src host ${S.WEB_CLIENT.ip} and (tcp or udp) and src portrange 1-49151`), 0);
  for (const c of S.WEB_CONNECTIONS) {
    assert.ok(c.cport >= 49152 && c.cport <= 65535);
    const ip = S.WEB_SITES[c.site].ip;
    assert.equal(count(w, `tcp[tcpflags] = tcp-syn and src port ${c.cport} and dst host ${ip} and dst port ${c.sport}`), 1);
  }
  const servers = new Set(S.WEB_CONNECTIONS.map((c) => `${S.WEB_SITES[c.site].ip}.${c.sport}`));
  assert.ok(servers.size >= 6);
  // A few minutes long.
  const r = spawnSync(TCPDUMP, ['-nn', '-tt', '-r', file(w)], { encoding: 'utf8' });
  const times = r.stdout.trim().split('\n').map((l) => Number(l.split(' ')[0]));
  assert.ok(Math.abs(times[0]! - S.WEB_START) < 1e-6);
  assert.ok(times[times.length - 1]! - S.WEB_START >= S.WEB_TRUTH.durationAtLeast);
});

test('scan.pcap ground truth, checked with tcpdump filters', { skip: !haveTcpdump }, () => {
  const f = 'scan.pcap';
  const sc = `src host ${S.SCAN_SCANNER}`;
  const fromT = `src host ${S.SCAN_TARGET} and dst host ${S.SCAN_SCANNER}`;
  assert.equal(count(f), S.SCAN_TRUTH.packets);
  assert.equal(count(f, `${sc} and tcp[tcpflags] = tcp-syn`), S.SCAN_TRUTH.synProbes);
  assert.equal(count(f, `${sc} and tcp[tcpflags] = tcp-syn and src port ${S.SCAN_SYN_SOURCE_PORT}`), S.SCAN_TRUTH.synProbes);
  assert.equal(count(f, `${fromT} and tcp[tcpflags] = tcp-syn|tcp-ack`), S.SCAN_TRUTH.synAckReplies);
  for (const p of S.SCAN_OPEN_TCP) assert.equal(count(f, `${fromT} and tcp[tcpflags] = tcp-syn|tcp-ack and src port ${p}`), 1);
  assert.equal(count(f, `${fromT} and tcp[tcpflags] = tcp-rst|tcp-ack and dst port ${S.SCAN_SYN_SOURCE_PORT}`), S.SCAN_TRUTH.rstFromTarget);
  assert.equal(count(f, `${sc} and tcp[tcpflags] = tcp-rst`), S.SCAN_TRUTH.scannerResets);
  for (const p of S.SCAN_FILTERED_TCP) assert.equal(count(f, `src host ${S.SCAN_TARGET} and src port ${p}`), 0);
  assert.equal(count(f, `${sc} and (tcp[tcpflags] = tcp-fin or tcp[tcpflags] = 0 or tcp[tcpflags] = tcp-fin|tcp-push|tcp-urg)`), S.SCAN_TRUTH.stealthProbes);
  assert.equal(count(f, `${fromT} and tcp[tcpflags] = tcp-rst|tcp-ack and not dst port ${S.SCAN_SYN_SOURCE_PORT}`), S.SCAN_TRUTH.stealthRstReplies);
  assert.equal(count(f, `${sc} and udp`), S.SCAN_TRUTH.udpProbes);
  assert.equal(count(f, `${fromT} and udp`), S.SCAN_TRUTH.udpReplies);
  assert.equal(count(f, 'icmp[icmptype] = icmp-unreach and icmp[icmpcode] = 3'), S.SCAN_TRUTH.icmpUnreachable);
  assert.equal(count(f, `host ${S.SCAN_BYSTANDER}`), S.SCAN_TRUTH.bystanderPackets);
  assert.equal(count(f, 'arp'), S.SCAN_TRUTH.arpPackets);
});

test('beacon.pcap: 60 call-outs 60 s +- 3 s apart with fixed sizes, amid browsing', { skip: !haveTcpdump }, () => {
  const f = 'beacon.pcap';
  const c2 = `host ${S.BEACON_C2.ip} and port ${S.BEACON_C2.port}`;
  assert.equal(count(f), S.BEACON_TRUTH.packets);
  assert.equal(count(f, c2), S.BEACON_TRUTH.beaconConnections * S.BEACON_TRUTH.packetsPerBeacon);
  assert.equal(count(f, `not host ${S.BEACON_C2.ip} and tcp[tcpflags] = tcp-syn`), S.BEACON_TRUTH.browsingConnections);
  assert.equal(count(f, 'udp dst port 53'), S.BEACON_TRUTH.dnsQueries);
  const r = spawnSync(TCPDUMP, ['-nn', '-tt', '-r', file(f), `${c2} and tcp[tcpflags] = tcp-syn`], { encoding: 'utf8' });
  const syns = r.stdout.trim().split('\n').map((l) => Number(l.split(' ')[0]));
  assert.equal(syns.length, S.BEACON_COUNT);
  const want = S.beaconTimes();
  syns.forEach((t, i) => assert.ok(Math.abs(t - S.BEACON_START - want[i]!) < 1e-5));
  for (let i = 1; i < syns.length; i++) {
    const gap = syns[i]! - syns[i - 1]!;
    assert.ok(gap > S.BEACON_INTERVAL - 2 * S.BEACON_JITTER && gap < S.BEACON_INTERVAL + 2 * S.BEACON_JITTER, String(gap));
  }
  const sizes = spawnSync(TCPDUMP, ['-nn', '-r', file(f), `${c2} and tcp[tcpflags] & tcp-push != 0`], { encoding: 'utf8' }).stdout;
  const lens = new Set(sizes.trim().split('\n').map((l) => l.match(/length (\d+)/)![1]));
  assert.deepEqual([...lens].sort(), [String(S.BEACON_REQUEST_BYTES), String(S.BEACON_RESPONSE_BYTES)].sort());
});

test('web-vlan-ipv6.pcapng: VLANs, IPv6, two interfaces', { skip: !haveTcpdump }, () => {
  const f = 'web-vlan-ipv6.pcapng';
  assert.equal(count(f), S.VLAN6_TRUTH.packets);
  assert.equal(count(f, `vlan ${S.VLAN6_CLIENT.vlan} and ip6`), S.VLAN6_TRUTH.eth0Packets);
  assert.equal(count(f, `vlan ${S.VLAN6_V4.vlan}`), S.VLAN6_TRUTH.eth1Packets - 2);
  assert.equal(count(f, 'vlan and vlan and ip6'), 2);
  assert.equal(count(f, 'vlan and ip6 and ip6[6] = 6 and ip6[40+13] = 2'), S.VLAN6_TRUTH.ipv6TcpConnections);
  assert.equal(count(f, 'vlan and tcp[tcpflags] = tcp-syn'), S.VLAN6_TRUTH.ipv4TcpConnections);
});
