/**
 * Captures built here for each kind of finding, with the exact findings they must yield, and the real
 * tcpdump's verdict on every evidence filter (skipped where tcpdump is absent).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CaptureBuilder } from '../../src/gen/capture-builder.js';
import { ipv4Packet } from '../../src/gen/ipv4.js';
import { tcpSegment } from '../../src/gen/tcp.js';
import { udpDatagram } from '../../src/gen/udp.js';
import { DNS_RCODE_NXDOMAIN } from '../../src/gen/dns.js';
import { buildBeaconCapture, BEACON_C2, BEACON_HOST } from '../../src/gen/samples.js';
import type { BeaconDetails, CountDetails, Finding, ScanDetails } from '../../src/analyze/findings/index.js';
import { checkEvidenceFilters, findingsOf, summary } from './helpers.js';

const T = 1_770_000_000;
const MSS = [{ kind: 'mss' as const, value: 1460 }];

function only(list: Finding[], kind: string): Finding {
  assert.deepEqual(summary(list).map((s) => s.split(' ')[0]), [kind], `findings: ${summary(list).join('; ')}`);
  return list[0]!;
}

async function assertFilters(file: string, list: Finding[]): Promise<void> {
  assert.deepEqual(await checkEvidenceFilters(file, list), []);
}

test('vertical SYN scan: ports, open and closed answers, the scanner resetting open ports', async () => {
  const cap = new CaptureBuilder({ seed: 'syn' });
  const S = '10.9.0.66';
  const D = '10.9.0.20';
  const ports = Array.from({ length: 30 }, (_, i) => 1000 + i * 7);
  ports[3] = 22;
  ports[9] = 80;
  let t = T;
  for (const port of ports) {
    cap.tcp(t, S, D, { sport: 40000, dport: port, seq: 1234, flags: 'S', window: 1024, options: MSS });
    if (port === 22 || port === 80) {
      cap.tcp(t + 0.0003, D, S, { sport: port, dport: 40000, seq: 999, ack: 1235, flags: 'SA', window: 64240, options: MSS });
      cap.tcp(t + 0.0004, S, D, { sport: 40000, dport: port, seq: 1235, flags: 'R', window: 0 });
    } else cap.tcp(t + 0.0003, D, S, { sport: port, dport: 40000, seq: 0, ack: 1235, flags: 'RA', window: 0 });
    t += 0.001;
  }
  const { file, list } = await findingsOf(cap, 'syn-vertical');
  const f = only(list, 'syn-scan');
  assert.equal(f.source, S);
  assert.deepEqual(f.targets, [D]);
  assert.deepEqual(f.ports, [...ports].sort((a, b) => a - b));
  assert.equal(f.severity, 'medium');
  assert.equal(f.packets, 30 + 2 * 2 + 28);
  assert.deepEqual(f.frames, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].filter((n) => n !== 0).slice(0, 10).map((_, i) => [1, 3, 5, 7, 10, 12, 14, 16, 18, 20][i]));
  const d = f.details as ScanDetails;
  assert.equal(d.shape, 'vertical');
  assert.deepEqual(d.open, [`${D}:22`, `${D}:80`]);
  assert.equal(d.closed, 28);
  assert.equal(d.silent, 0);
  assert.equal(d.probes, 30);
  assert.equal(d.probe, 'SYN, win 1024, 4 bytes of options');
  assert.match(f.explanation, /vertical SYN \(half-open\) scan/);
  await assertFilters(file, list);
});

test('horizontal SYN scan: one port on many hosts, nobody answering', async () => {
  const cap = new CaptureBuilder({ seed: 'horizontal' });
  const S = '10.9.0.67';
  for (let i = 1; i <= 12; i++) cap.tcp(T + i * 0.05, S, `10.9.1.${i}`, { sport: 40001, dport: 445, seq: 77, flags: 'S', window: 1024, options: MSS });
  const { file, list } = await findingsOf(cap, 'syn-horizontal');
  const f = only(list, 'syn-scan');
  assert.equal(f.source, S);
  assert.deepEqual(f.targets, Array.from({ length: 12 }, (_, i) => `10.9.1.${i + 1}`));
  assert.deepEqual(f.ports, [445]);
  const d = f.details as ScanDetails;
  assert.equal(d.shape, 'horizontal');
  assert.equal(d.silent, 12);
  assert.equal(d.closed, 0);
  await assertFilters(file, list);
});

test('probes spread wider than the window are not a scan; a lower threshold makes them one', async () => {
  const cap = new CaptureBuilder({ seed: 'slow' });
  // 12 closed ports at irregular times 31 to 120 s apart (a clock-like pace would also be a beacon):
  // at most 5 within any 5 minutes.
  const gaps = [31, 120, 45, 90, 33, 110, 70, 38, 101, 52, 64];
  let at = 0;
  for (let i = 0; i < 12; i++) {
    cap.tcp(T + at, '10.9.0.68', '10.9.0.25', { sport: 40002, dport: 2000 + i, seq: 5, flags: 'S', window: 1024, options: MSS });
    cap.tcp(T + at + 0.001, '10.9.0.25', '10.9.0.68', { sport: 2000 + i, dport: 40002, seq: 0, ack: 6, flags: 'RA', window: 0 });
    at += gaps[i] ?? 0;
  }
  // (RITA may still call so steady a pace a beacon: only scans are asserted here.)
  const scans = async (o: Parameters<typeof findingsOf>[2]) => summary((await findingsOf(cap, 'slow', o)).list).filter((s) => s.includes('scan'));
  assert.deepEqual(await scans({}), []);
  assert.deepEqual(await scans({ scanPorts: 5 }), ['syn-scan 10.9.0.68>10.9.0.25']);
  assert.deepEqual(await scans({ scanWindowSeconds: 3600 }), ['syn-scan 10.9.0.68>10.9.0.25']);
});

test('connect scan: full handshakes torn down at once, closed ports refused', async () => {
  const cap = new CaptureBuilder({ seed: 'connect' });
  const S = '10.9.0.70';
  const D = '10.9.0.21';
  for (let i = 0; i < 12; i++) {
    const port = [22, 80, 25, 110, 135, 139, 143, 445, 993, 995, 3389, 5900][i]!;
    const spec = { t: T + i * 0.1, client: S, cport: 50000 + i, server: D, sport: port, rtt: 0.002 };
    if (port === 22 || port === 80) cap.tcpOpen(spec).reset('client');
    else cap.tcpRejected(spec);
  }
  const { file, list } = await findingsOf(cap, 'connect');
  const f = only(list, 'connect-scan');
  assert.equal(f.source, S);
  assert.deepEqual(f.targets, [D]);
  const d = f.details as ScanDetails;
  assert.deepEqual(d.open, [`${D}:22`, `${D}:80`]);
  assert.equal(d.closed, 10);
  assert.equal(f.severity, 'medium');
  await assertFilters(file, list);
});

test('FIN, NULL and XMAS scans: closed ports answer RST, open ones stay silent; no odd-flags left over', async () => {
  const cap = new CaptureBuilder({ seed: 'stealth' });
  const S = '10.9.0.71';
  const D = '10.9.0.22';
  let t = T;
  for (const [flags, sport] of [['F', 41000], ['', 41001], ['FPU', 41002]] as const) {
    for (let port = 1; port <= 6; port++) {
      cap.tcp(t, S, D, { sport, dport: port, seq: 10, flags, window: 1024 });
      if (port % 2 === 1) cap.tcp(t + 0.0002, D, S, { sport: port, dport: sport, seq: 0, ack: 11, flags: 'RA', window: 0 });
      t += 0.01;
    }
    t += 1;
  }
  const { file, list } = await findingsOf(cap, 'stealth');
  assert.deepEqual(summary(list), [`fin-scan ${S}>${D}`, `null-scan ${S}>${D}`, `xmas-scan ${S}>${D}`]);
  for (const f of list) {
    const d = f.details as ScanDetails;
    assert.deepEqual([d.closed, d.silent, d.open.length], [3, 3, 0], f.kind);
    assert.deepEqual(f.ports, [1, 2, 3, 4, 5, 6]);
  }
  await assertFilters(file, list);
});

test('ACK scan (RST = unfiltered) and Maimon scan (FIN+ACK answered by RST)', async () => {
  const cap = new CaptureBuilder({ seed: 'ack' });
  const D = '10.9.0.26';
  for (let i = 0; i < 12; i++) {
    cap.tcp(T + i * 0.01, '10.9.0.74', D, { sport: 42000, dport: 100 + i, seq: 0, ack: 5555, flags: 'A', window: 1024 });
    cap.tcp(T + i * 0.01 + 0.0002, D, '10.9.0.74', { sport: 100 + i, dport: 42000, seq: 5555, flags: 'R', window: 0 });
  }
  for (let i = 0; i < 6; i++) {
    cap.tcp(T + 1 + i * 0.01, '10.9.0.75', D, { sport: 42001, dport: 200 + i, seq: 1, ack: 9, flags: 'FA', window: 1024 });
    cap.tcp(T + 1 + i * 0.01 + 0.0002, D, '10.9.0.75', { sport: 200 + i, dport: 42001, seq: 9, flags: 'R', window: 0 });
  }
  const { file, list } = await findingsOf(cap, 'ack-maimon');
  assert.deepEqual(summary(list), [`ack-scan 10.9.0.74>${D}`, `maimon-scan 10.9.0.75>${D}`]);
  assert.equal((list[0]!.details as ScanDetails).closed, 12);
  assert.match(list[0]!.explanation, /12 unfiltered \(RST\), 0 filtered/);
  assert.equal((list[1]!.details as ScanDetails).closed, 6);
  await assertFilters(file, list);
});

test('odd flag combinations outside any scan', async () => {
  const cap = new CaptureBuilder({ seed: 'odd' });
  cap.tcp(T, '10.9.0.72', '10.9.0.23', { sport: 43000, dport: 80, seq: 1, flags: 'SF', window: 512 });
  cap.tcp(T + 1, '10.9.0.72', '10.9.0.23', { sport: 43001, dport: 80, seq: 1, flags: 'SF', window: 512 });
  cap.tcp(T + 2, '10.9.0.72', '10.9.0.23', { sport: 43002, dport: 80, seq: 1, flags: 'SR', window: 512 });
  const { file, list } = await findingsOf(cap, 'odd');
  const f = only(list, 'odd-flags');
  assert.equal(f.severity, 'low');
  assert.deepEqual((f.details as CountDetails).counts, { 'SYN+FIN': 2, 'SYN+RST': 1 });
  assert.deepEqual(f.frames, [1, 2, 3]);
  await assertFilters(file, list);
});

test('UDP scan: ICMP port unreachable for closed ports, a reply for an open one', async () => {
  const cap = new CaptureBuilder({ seed: 'udp' });
  const S = '10.9.0.73';
  const D = '10.9.0.24';
  const ports = [7, 9, 13, 17, 19, 37, 69, 111, 137, 138, 161, 162];
  let t = T;
  for (const port of ports) {
    const probe = cap.udp(t, S, 50500, D, port, Buffer.alloc(8));
    if (port === 7) cap.udp(t + 0.0002, D, 7, S, 50500, Buffer.alloc(8));
    else if (port !== 161) cap.portUnreachable(t + 0.0002, D, probe);
    t += 0.05;
  }
  const { file, list } = await findingsOf(cap, 'udp-scan');
  const f = only(list, 'udp-scan');
  assert.equal(f.source, S);
  assert.deepEqual(f.targets, [D]);
  assert.deepEqual(f.ports, ports);
  const d = f.details as ScanDetails;
  assert.deepEqual(d.open, [`${D}:7`]);
  assert.equal(d.closed, 10);
  assert.equal(d.silent, 1);
  assert.equal(f.severity, 'medium');
  await assertFilters(file, list);
});

test('SYN flood: many half-open connections to one service from spoofed sources', async () => {
  const cap = new CaptureBuilder({ seed: 'flood' });
  for (let i = 0; i < 150; i++) {
    cap.tcpHalfOpen({ t: T + i * 0.03, client: `198.51.100.${i + 1}`, cport: 1024 + i, server: '10.9.9.9', sport: 80, rtt: 0.001 });
  }
  const { file, list } = await findingsOf(cap, 'flood');
  const f = only(list, 'syn-flood');
  assert.deepEqual(f.targets, ['10.9.9.9']);
  assert.deepEqual(f.ports, [80]);
  assert.equal(f.source, '198.51.100.1');
  assert.deepEqual((f.details as CountDetails).counts, { halfOpen: 150, peakInWindow: 150, sources: 150 });
  await assertFilters(file, list);
});

test('RST storm: one server resetting many connections that carried data', async () => {
  const cap = new CaptureBuilder({ seed: 'rst' });
  for (let i = 0; i < 60; i++) {
    const c = cap.tcpOpen({ t: T + i * 0.4, client: `10.9.3.${100 + i}`, cport: 51000 + i, server: '10.9.3.3', sport: 8080, rtt: 0.002 });
    c.exchange(Buffer.alloc(100, 1), Buffer.alloc(200, 2));
    c.reset('server');
  }
  const { file, list } = await findingsOf(cap, 'rst');
  const f = only(list, 'rst-storm');
  assert.equal(f.source, '10.9.3.3');
  assert.equal(f.targets.length, 60);
  assert.deepEqual((f.details as CountDetails).counts, { resetConnections: 60, peakInWindow: 60 });
  await assertFilters(file, list);
});

test('long connection: one session open two hours', async () => {
  const cap = new CaptureBuilder({ seed: 'long' });
  const c = cap.tcpOpen({ t: T, client: '10.9.6.6', cport: 50123, server: '10.9.6.7', sport: 22, rtt: 0.01 });
  // Traffic at least every 5 minutes keeps it one connection (Zeek's TCP inactivity timeout).
  for (let i = 0; i < 60; i++) {
    c.wait(120 + (i % 7) * 3);
    c.exchange(Buffer.alloc(48, 1), Buffer.alloc(48, 2));
  }
  c.close('client');
  const { file, list } = await findingsOf(cap, 'long');
  const f = only(list, 'long-connection');
  assert.equal(f.source, '10.9.6.6');
  assert.deepEqual(f.targets, ['10.9.6.7']);
  assert.deepEqual(f.ports, [22]);
  assert.equal(f.severity, 'low');
  assert.equal(f.packets, cap.records.length);
  await assertFilters(file, list);
});

test('busy port: one ephemeral port carrying far more than the host\'s others', async () => {
  const cap = new CaptureBuilder({ seed: 'busy' });
  const H = '10.9.4.4';
  [0, 2, 19, 23, 50].forEach((at, i) => {
    const c = cap.tcpOpen({ t: T + at, client: H, cport: 50001 + i, server: '10.9.4.5', sport: 443, rtt: 0.01 });
    c.exchange(Buffer.alloc(300 + i * 37, 1), Buffer.alloc(900 + i * 91, 2));
    c.close('client');
  });
  const c = cap.tcpOpen({ t: T + 5, client: H, cport: 50010, server: '10.9.4.6', sport: 8443, rtt: 0.01 });
  for (let i = 0; i < 300; i++) c.exchange(Buffer.alloc(40, 1), Buffer.alloc(40, 2), 0.001);
  c.close('client');
  const { file, list } = await findingsOf(cap, 'busy');
  const f = only(list, 'busy-port');
  assert.equal(f.source, H);
  assert.deepEqual(f.targets, ['10.9.4.6']);
  assert.deepEqual(f.ports, [8443]);
  assert.equal((f.details as CountDetails).counts['port'], 50010);
  await assertFilters(file, list);
});

test('unanswered UDP: NTP requests that never got a reply', async () => {
  const cap = new CaptureBuilder({ seed: 'ntp' });
  for (const at of [0, 1, 3, 7, 15, 31]) cap.udp(T + at, '10.9.5.50', 40123, '10.9.5.5', 123, Buffer.alloc(48, 0x23));
  const { file, list } = await findingsOf(cap, 'unanswered');
  const f = only(list, 'unanswered-udp');
  assert.equal(f.source, '10.9.5.50');
  assert.deepEqual(f.targets, ['10.9.5.5']);
  assert.deepEqual(f.ports, [123]);
  assert.equal(f.packets, 6);
  assert.match(f.explanation, /6 NTP requests/);
  await assertFilters(file, list);
});

test('NXDOMAIN burst: a client asking for many names that do not exist', async () => {
  const cap = new CaptureBuilder({ seed: 'nx' });
  const times = [0, 0.3, 0.6, 1, 1.2, 2, 2.5, 9, 9.4, 25, 26, 29];
  times.forEach((at, i) => {
    const name = `${'qxzvbkw'.slice(0, 3 + (i % 5))}${i}${'plmtr'.slice(0, i % 4)}.example`;
    cap.dns({ t: T + at, client: '10.9.7.7', cport: 30000 + i * 11, server: '10.9.7.1', id: 100 + i, name, rcode: DNS_RCODE_NXDOMAIN, rtt: 0.01 });
  });
  const { file, list } = await findingsOf(cap, 'nxdomain');
  const f = only(list, 'dns-nxdomain');
  assert.equal(f.source, '10.9.7.7');
  assert.deepEqual(f.targets, ['10.9.7.1']);
  assert.equal(f.packets, 12);
  assert.match(f.explanation, /qxz0\.example/);
  await assertFilters(file, list);
});

test('weird: malformed headers and a bad IPv4 checksum, by name', async () => {
  const cap = new CaptureBuilder({ seed: 'weird' });
  const badIhl = ipv4Packet({ src: '10.9.8.1', dst: '10.9.8.2' }, tcpSegment({ sport: 1, dport: 2, flags: 'S' }));
  badIhl[0] = 0x44;
  cap.ipPacket(badIhl, T);
  cap.tcp(T + 1, '10.9.8.3', '10.9.8.4', { sport: 3, dport: 4, flags: 'A', dataOffset: 3 });
  cap.ipPacket(ipv4Packet({ src: '10.9.8.5', dst: '10.9.8.6', checksum: 0x1234 }, udpDatagram({ sport: 5, dport: 6, payload: Buffer.alloc(4) })), T + 2);
  const { file, list } = await findingsOf(cap, 'weird');
  const names = list.map((f) => `${f.kind}:${Object.keys((f.details as CountDetails).counts)[0]}:${f.frames.join(',')}`).sort();
  assert.deepEqual(names, ['weird:bad_IP_checksum:3', 'weird:bad_IP_header_len:1', 'weird:bad_TCP_header_len:2']);
  await assertFilters(file, list);
});

test('busy browsing with a few refused and unanswered connections is never a scan or a beacon', async () => {
  const cap = new CaptureBuilder({ seed: 'browsing' });
  const rng = cap.rng;
  const C = '10.9.8.8';
  let at = 0;
  for (let i = 0; i < 200; i++) {
    const server = `203.0.113.${1 + rng.int(0, 39)}`;
    const c = cap.tcpOpen({ t: T + at, client: C, cport: 40000 + i, server, sport: 443, rtt: rng.range(0.005, 0.08) });
    c.exchange(Buffer.alloc(rng.int(200, 900), 1), Buffer.alloc(rng.int(300, 9000), 2));
    c.close(rng.chance(0.5) ? 'client' : 'server');
    at += rng.exp(1.5);
  }
  for (let i = 0; i < 3; i++) cap.tcpRejected({ t: T + 10 + i * 20, client: C, cport: 45000 + i, server: `203.0.113.${100 + i}`, sport: 443 });
  for (let i = 0; i < 2; i++) cap.tcpUnanswered({ t: T + 15 + i * 30, client: C, cport: 46000 + i, server: `203.0.113.${110 + i}`, sport: 443 }, 2);
  const { list } = await findingsOf(cap, 'browsing');
  assert.deepEqual(summary(list).filter((s) => /scan|beacon/.test(s)), []);
});

test('beacon.pcap (generator): one beacon scoring >= 0.9 for the right pair; the browsing yields none', async () => {
  const { file, list } = await findingsOf(buildBeaconCapture(), 'beacon-sample');
  const beacons = list.filter((f) => f.kind === 'beacon');
  assert.deepEqual(summary(beacons), [`beacon ${BEACON_HOST.ip}>${BEACON_C2.ip}`]);
  const d = beacons[0]!.details as BeaconDetails;
  assert.ok(d.score >= 0.9, `score ${d.score}`);
  assert.equal(d.connections, 60);
  assert.equal(beacons[0]!.severity, 'high');
  await assertFilters(file, beacons);
});

test('an hour of calling out every 60 s with jitter amid irregular browsing: exactly one beacon', async () => {
  const cap = new CaptureBuilder({ seed: 'beacon-own' });
  const rng = cap.rng;
  const H = '10.20.0.5';
  const C2 = '198.51.100.77';
  for (let i = 0; i < 60; i++) {
    const c = cap.tcpOpen({ t: T + 3 + i * 60 + rng.range(-4, 4), client: H, cport: 52000 + i, server: C2, sport: 8443, rtt: 0.03 });
    c.exchange(Buffer.alloc(200, 7), Buffer.alloc(150, 8));
    c.close('client');
  }
  const sites = ['151.101.1.1', '151.101.2.2', '142.250.3.3', '52.96.4.4', '104.16.5.5'];
  let at = 11;
  for (let i = 0; i < 40; i++) {
    const c = cap.tcpOpen({ t: T + at, client: H, cport: 56000 + i, server: rng.pick(sites), sport: 443, rtt: rng.range(0.01, 0.09) });
    c.exchange(Buffer.alloc(rng.int(200, 1500), 1), Buffer.alloc(rng.int(500, 20000), 2));
    c.close('server');
    at += 5 + rng.exp(80);
    if (at > 3590) at = 20 + (at % 3500);
  }
  const { list } = await findingsOf(cap, 'beacon-own');
  const beacons = list.filter((f) => f.kind === 'beacon');
  assert.deepEqual(summary(beacons), [`beacon ${H}>${C2}`]);
  const d = beacons[0]!.details as BeaconDetails;
  assert.ok(d.score >= 0.9, `score ${d.score}`);
  assert.equal(d.intervalMedian, 60);
  assert.equal(d.bytesModeCount, 60);
  assert.equal(d.histogramBars, 24);
  // Lowering the bar shows more pairs, each with the RITA evidence filled in.
  const all = (await findingsOf(cap, 'beacon-own', { beaconMinScore: 0, beaconMinTimingScore: 0 })).list.filter((f) => f.kind === 'beacon');
  assert.ok(all.length > 1);
  for (const f of all) assert.equal((f.details as BeaconDetails).histogram.length, 24);
});
