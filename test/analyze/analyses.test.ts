/**
 * The analyses on captures built with known contents: the handshake outcomes, each client's ports and
 * services, destination ports, tally, conversations under eviction, and summary on web.pcap's ground truth.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conversations } from '../../src/analyze/conversations.js';
import { dports } from '../../src/analyze/dports.js';
import { handshakes } from '../../src/analyze/handshakes.js';
import { ports } from '../../src/analyze/ports.js';
import { services } from '../../src/analyze/services.js';
import { summary } from '../../src/analyze/summary.js';
import { tally } from '../../src/analyze/tally.js';
import { CaptureBuilder } from '../../src/gen/capture-builder.js';
import { buildWebCapture, WEB_CLIENT, WEB_CONNECTIONS, WEB_NTP_SERVERS, WEB_NTP_SILENT, WEB_REJECTED, WEB_RESOLVER, WEB_TRUTH } from '../../src/gen/samples.js';
import { tempCapture } from './built.js';

const T = 1700000000;
const web = tempCapture(buildWebCapture(), 'web');

test('handshakes: one of each outcome, SYN/ACKs counted, a SYN/ACK-first flow is no attempt', async () => {
  const cap = new CaptureBuilder();
  cap.tcpOpen({ t: T, client: '10.0.0.2', cport: 50000, server: '10.0.0.1', sport: 80 }).close();
  cap.tcpHalfOpen({ t: T + 1, client: '10.0.0.2', cport: 50001, server: '10.0.0.1', sport: 80 });
  cap.tcpRejected({ t: T + 2, client: '10.0.0.2', cport: 50002, server: '10.0.0.1', sport: 81 });
  cap.tcpUnanswered({ t: T + 3, client: '10.0.0.2', cport: 50003, server: '10.0.0.9', sport: 22 }, 2);
  cap.tcpOpen({ t: T + 10, client: '2001:db8::2', cport: 50004, server: '2001:db8::1', sport: 443 });
  cap.tcp(T + 20, '10.0.0.1', '10.0.0.2', { sport: 80, dport: 50009, seq: 1, ack: 2, flags: 'SA' });
  const r = await handshakes(tempCapture(cap));
  assert.deepEqual([r.attempts, r.established, r.synAckOnly, r.rejected, r.unanswered, r.synAcks], [5, 2, 1, 1, 1, 4]);
  assert.deepEqual(
    r.connections.map((c) => [c.client, c.clientPort, c.server, c.serverPort, c.outcome]),
    [
      ['10.0.0.2', 50000, '10.0.0.1', 80, 'established'],
      ['10.0.0.2', 50001, '10.0.0.1', 80, 'synack-only'],
      ['10.0.0.2', 50002, '10.0.0.1', 81, 'rejected'],
      ['10.0.0.2', 50003, '10.0.0.9', 22, 'unanswered'],
      ['2001:db8::2', 50004, '2001:db8::1', 443, 'established'],
    ],
  );
  assert.deepEqual(r.servers[0], { server: '10.0.0.1', port: 80, attempts: 2, established: 1, synAckOnly: 1, rejected: 0, unanswered: 0 });
  assert.equal(r.connections[0]!.firstFrame, 1);
});

test('handshakes without the connection list: the same totals and servers, tallied from the flow rows', async () => {
  const cap = new CaptureBuilder();
  // Many servers with tied attempt counts (the list's order breaks ties by address, then port), both versions.
  for (let i = 0; i < 60; i++) {
    const server = i % 3 === 0 ? `2001:db8::${(i % 7) + 1}` : `10.0.${i % 5}.${(i * 7) % 11}`;
    const at = { t: T + i, client: i % 3 === 0 ? '2001:db8::99' : '10.9.9.9', cport: 40000 + i, server, sport: [22, 80, 443][i % 3]! };
    if (i % 4 === 0) cap.tcpOpen(at).close();
    else if (i % 4 === 1) cap.tcpRejected(at);
    else if (i % 4 === 2) cap.tcpHalfOpen(at);
    else cap.tcpUnanswered(at, 1);
  }
  for (const file of [tempCapture(cap), web]) {
    const full = await handshakes(file);
    const lean = await handshakes(file, { connections: false });
    assert.equal(lean.connections.length, 0);
    const { connections, capture, ...fullRest } = full;
    const { connections: none, capture: capture2, ...leanRest } = lean;
    assert.ok(connections.length > 0 && none.length === 0 && capture.packets === capture2.packets);
    assert.deepEqual(leanRest, fullRest);
  }
});

test('handshakes on web.pcap: ten established, one rejected', async () => {
  const r = await handshakes(web);
  assert.equal(r.established, WEB_TRUTH.tcpEstablished);
  assert.equal(r.rejected, WEB_TRUTH.tcpRejected);
  assert.equal(r.attempts, WEB_TRUTH.tcpEstablished + WEB_TRUTH.tcpRejected);
  assert.equal(r.synAcks, WEB_TRUTH.tcpEstablished);
  const rej = r.connections.find((c) => c.outcome === 'rejected')!;
  assert.deepEqual([rej.server, rej.serverPort, rej.clientPort], [WEB_REJECTED.server, WEB_REJECTED.sport, WEB_REJECTED.cport]);
});

test('ports: the client used every connection port, and sent DNS and NTP from its own', async () => {
  const r = await ports(web, { host: WEB_CLIENT.ip });
  const tcpPorts = r.ports.filter((p) => p.proto === 'tcp').map((p) => p.port);
  for (const c of WEB_CONNECTIONS) assert.ok(tcpPorts.includes(c.cport), `port ${c.cport}`);
  assert.ok(tcpPorts.includes(WEB_REJECTED.cport));
  for (const s of WEB_NTP_SERVERS) assert.equal(r.ports.find((p) => p.proto === 'udp' && p.port === s.cport)?.packets, 4);
  // Ordered as sort -n: ascending counts.
  for (let i = 1; i < r.ports.length; i++) assert.ok(r.ports[i - 1]!.packets <= r.ports[i]!.packets);
});

test('services: the client asked the resolver every DNS question and polled each NTP server four times', async () => {
  const r = await services(web, { host: WEB_CLIENT.ip });
  const dns = r.services.find((s) => s.proto === 'udp' && s.ip === WEB_RESOLVER && s.port === 53)!;
  assert.equal(dns.packets, WEB_TRUTH.dnsQueries);
  for (const s of WEB_NTP_SERVERS) assert.equal(r.services.find((x) => x.ip === s.ip && x.port === 123)?.packets, 4);
  // Without --host: per client, the responders of its flows.
  const all = await services(web);
  assert.ok(all.services.every((s) => s.client === WEB_CLIENT.ip));
  assert.equal(all.services.find((s) => s.ip === WEB_RESOLVER && s.port === 53)?.packets, WEB_TRUTH.dnsQueries);
});

test('dports: totals per destination port, and per host', async () => {
  const all = await dports(web);
  const byClient = await dports(web, { host: WEB_CLIENT.ip });
  const get = (rows: typeof all.ports, proto: string, port: number) => rows.find((p) => p.proto === proto && p.port === port)?.packets ?? 0;
  assert.equal(get(byClient.ports, 'udp', 123), WEB_TRUTH.ntpRequests);
  assert.equal(get(all.ports, 'udp', 123), WEB_TRUTH.ntpRequests);
  assert.equal(get(byClient.ports, 'udp', 53), WEB_TRUTH.dnsQueries);
  const responses = all.ports.filter((p) => p.proto === 'udp' && p.port !== 53 && p.port !== 123).reduce((s, p) => s + p.packets, 0);
  assert.equal(responses, WEB_TRUTH.dnsQueries + WEB_TRUTH.ntpResponses);
});

test('tally: by protocol and flags, absent fields as -', async () => {
  const r = await tally(web, ['proto']);
  const get = (v: string) => r.rows.find((x) => x.values[0] === v)?.packets;
  assert.equal(get('icmp'), WEB_TRUTH.icmpPackets);
  assert.equal(get('arp'), WEB_TRUTH.arpPackets);
  assert.equal(r.rows.reduce((s, x) => s + x.packets, 0), WEB_TRUTH.packets);
  const f = await tally(web, ['flags', 'dst.port']);
  assert.equal(f.rows.find((x) => x.values[0] === 'S' && x.values[1] === '8080')?.packets, 1);
  assert.equal(f.rows.find((x) => x.values[0] === 'R.' && x.values[1] === String(WEB_REJECTED.cport))?.packets, 1);
  assert.ok(f.rows.some((x) => x.values[0] === '-' && x.values[1] === '-'), 'ARP and ICMP have neither');
});

test('conversations: every flow listed even when most were evicted along the way', async () => {
  const cap = new CaptureBuilder();
  for (let i = 0; i < 40; i++) cap.dns({ t: T + i, client: '10.0.0.2', cport: 40000 + i, server: '10.0.0.53', id: i, name: `h${i}.example` });
  const file = tempCapture(cap);
  const full = await conversations(file);
  const small = await conversations(file, { flows: { maxFlows: 4, initialCapacity: 4 } });
  assert.equal(full.conversations.length, 40);
  assert.equal(full.evicted, 0);
  assert.equal(small.conversations.length, 40);
  assert.ok(small.evicted >= 36);
  assert.deepEqual(
    small.conversations.map((c) => [c.orig.port, c.state, c.history]),
    full.conversations.map((c) => [c.orig.port, c.state, c.history]),
  );
});

test('summary on web.pcap: one pass, the whole baseline', async () => {
  const s = await summary(web, { findings: false });
  assert.equal(s.capture.packets, WEB_TRUTH.packets);
  assert.deepEqual(s.capture.linkTypes, ['EN10MB']);
  assert.ok(s.capture.duration >= WEB_TRUTH.durationAtLeast);
  assert.equal(s.handshakes.established, WEB_TRUTH.tcpEstablished);
  assert.equal(s.clients[0]!.ip, WEB_CLIENT.ip);
  assert.equal(s.clientsTotal, 1);
  assert.equal(s.talkers[0]!.ip, WEB_CLIENT.ip);
  const silent = s.udpServices.find((u) => u.ip === WEB_NTP_SILENT)!;
  // Polls 64 s apart outlive the 60 s UDP timeout: each is its own flow, none answered.
  assert.deepEqual([silent.flows, silent.answered, silent.unanswered], [4, 0, 4]);
  const resolver = s.udpServices.find((u) => u.ip === WEB_RESOLVER && u.port === 53)!;
  assert.equal(resolver.answered, resolver.flows);
  assert.equal(s.protocols.find((p) => p.name === 'arp')?.packets, WEB_TRUTH.arpPackets);
  assert.equal(s.findings, null);
});
