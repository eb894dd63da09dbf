/**
 * The decoding pass: fields per link type and protocol, truncation at every prefix length, slots cleared
 * between packets, never a throw on random bytes or on the corpus, and no allocation in steady state.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import fc from 'fast-check';
import { readCapture } from '../../src/capture/reader.js';
import {
  LINKTYPE_ETHERNET,
  LINKTYPE_IPV4,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_LINUX_SLL2,
  LINKTYPE_NULL,
  LINKTYPE_RAW,
} from '../../src/capture/link-types.js';
import { ipToString, ipv6ToString, parseIp } from '../../src/decode/address.js';
import { decodePacket } from '../../src/decode/decoder.js';
import {
  DecodedPacket,
  LAYER_TRANSPORT,
  STOP_FRAGMENT,
  STOP_NOT_IP,
  STOP_OK,
  STOP_TRUNCATED,
} from '../../src/decode/packet.js';
import { frameFor } from '../../src/gen/link.js';
import { ipv4Fragments, ipv4Packet } from '../../src/gen/ipv4.js';
import { ipv6Packet } from '../../src/gen/ipv6.js';
import { tcpSegment } from '../../src/gen/tcp.js';
import { udpDatagram } from '../../src/gen/udp.js';
import { icmpUnreachable, ICMP_UNREACH_PORT } from '../../src/gen/icmp.js';
import { CORPUS_PCAPS, HAVE_CORPUS } from '../analyze/built.js';

const MACS = { srcMac: '02:00:00:00:00:01', dstMac: '02:00:00:00:00:02' };
const tcp = tcpSegment({ sport: 40000, dport: 80, seq: 0x11223344, ack: 0x55667788, flags: 'PA', window: 512, payload: Buffer.from('hello') });
const v4tcp = ipv4Packet({ src: '10.0.0.2', dst: '10.0.0.1', ttl: 63, id: 7 }, tcp);

function decode(data: Buffer, linkType = LINKTYPE_ETHERNET, wirelen = data.length): DecodedPacket {
  return decodePacket(new DecodedPacket(), data, 0, data.length, wirelen, linkType);
}

test('Ethernet, IPv4, TCP: every field', () => {
  const p = decode(frameFor(LINKTYPE_ETHERNET, v4tcp, MACS));
  assert.equal(p.stopReason, STOP_OK);
  assert.equal(p.stopLayer, LAYER_TRANSPORT);
  assert.deepEqual([p.etherType, p.ipVersion, p.netOffset, p.ttl, p.ipId, p.protocol], [0x0800, 4, 14, 63, 7, 6]);
  assert.equal(ipToString(4, p.src), '10.0.0.2');
  assert.equal(ipToString(4, p.dst), '10.0.0.1');
  assert.deepEqual([p.srcPort, p.dstPort, p.tcpFlags, p.seq, p.ack, p.window, p.tcpHeaderLength], [40000, 80, 0x18, 0x11223344, 0x55667788, 512, 20]);
  assert.equal(p.payloadLength, 5);
  assert.equal(p.data.subarray(p.payloadOffset, p.payloadOffset + 5).toString(), 'hello');
});

test('link padding is never payload: the IP total length ends the datagram', () => {
  const frame = frameFor(LINKTYPE_ETHERNET, ipv4Packet({ src: '10.0.0.2', dst: '10.0.0.1' }, tcpSegment({ sport: 1, dport: 2, flags: 'A' })), { ...MACS, padTo: 60 });
  const p = decode(frame);
  assert.equal(p.payloadLength, 0);
  assert.equal(p.netEnd, 14 + 40);
});

test('VLAN tags (QinQ), SLL, SLL2, NULL and RAW all reach the same transport fields', () => {
  const cases: [string, Buffer, number][] = [
    ['qinq', frameFor(LINKTYPE_ETHERNET, v4tcp, { ...MACS, vlans: [{ id: 100, tpid: 0x88a8 }, { id: 200 }] }), LINKTYPE_ETHERNET],
    ['sll', frameFor(LINKTYPE_LINUX_SLL, v4tcp, MACS), LINKTYPE_LINUX_SLL],
    ['sll2', frameFor(LINKTYPE_LINUX_SLL2, v4tcp, MACS), LINKTYPE_LINUX_SLL2],
    ['null', frameFor(LINKTYPE_NULL, v4tcp, MACS), LINKTYPE_NULL],
    ['raw', Buffer.from(v4tcp), LINKTYPE_RAW],
    ['ipv4', Buffer.from(v4tcp), LINKTYPE_IPV4],
  ];
  for (const [name, frame, lt] of cases) {
    const p = decode(frame, lt);
    assert.deepEqual([p.stopReason, p.srcPort, p.dstPort, p.tcpFlags, p.payloadLength], [STOP_OK, 40000, 80, 0x18, 5], name);
  }
  const q = decode(cases[0]![1]);
  assert.deepEqual([q.vlanCount, q.vlanOuter, q.vlanInner], [2, 100, 200]);
});

test('IPv6 through Hop-by-Hop and Destination Options reaches UDP; the first next header is kept', () => {
  const pkt = ipv6Packet({ src: '2001:db8::2', dst: '2001:db8::1', extensions: [{ kind: 'hop' }, { kind: 'dst' }] }, udpDatagram({ sport: 5353, dport: 53, payload: new Uint8Array(12) }));
  const p = decode(frameFor(LINKTYPE_ETHERNET, pkt, MACS));
  assert.deepEqual([p.ipVersion, p.firstNextHeader, p.extHeaders, p.protocol, p.srcPort, p.dstPort, p.payloadLength], [6, 0, 2, 17, 5353, 53, 12]);
  assert.equal(ipToString(6, p.src), '2001:db8::2');
});

test('a Routing header with segments left names the final destination (flows use it; dst stays the header\'s)', () => {
  const pkt = ipv6Packet(
    { src: '2001:db8::2', dst: '2001:db8::10', extensions: [{ kind: 'routing', routingType: 0, segmentsLeft: 2, addresses: ['2001:db8::11', '2001:db8::99'] }] },
    udpDatagram({ sport: 1, dport: 2, payload: new Uint8Array(4) }),
  );
  const p = decode(frameFor(LINKTYPE_ETHERNET, pkt, MACS));
  assert.equal(ipToString(6, p.dst), '2001:db8::10');
  assert.equal(p.hasFinalDst, true);
  assert.equal(ipToString(6, p.finalDst), '2001:db8::99');
  assert.deepEqual([p.protocol, p.srcPort, p.dstPort], [17, 1, 2]);
});

test('IPv4 fragments: the first has ports, the others stop with the protocol known', () => {
  const frags = ipv4Fragments({ src: '10.0.0.2', dst: '10.0.0.1', id: 9 }, udpDatagram({ sport: 1234, dport: 9999, payload: new Uint8Array(3000) }), 1480);
  assert.ok(frags.length >= 3);
  const first = decode(frameFor(LINKTYPE_ETHERNET, frags[0]!, MACS));
  assert.deepEqual([first.isFragment, first.fragOffset, first.srcPort, first.dstPort], [true, 0, 1234, 9999]);
  const second = decode(frameFor(LINKTYPE_ETHERNET, frags[1]!, MACS));
  assert.deepEqual([second.isFragment, second.stopReason, second.protocol, second.srcPort], [true, STOP_FRAGMENT, 17, -1]);
});

test('an ICMP port unreachable quotes the UDP datagram: addresses and ports', () => {
  const probe = ipv4Packet({ src: '10.0.0.2', dst: '10.0.0.1' }, udpDatagram({ sport: 40000, dport: 7777, payload: new Uint8Array(4) }));
  const err = ipv4Packet({ src: '10.0.0.1', dst: '10.0.0.2' }, icmpUnreachable(probe, ICMP_UNREACH_PORT));
  const p = decode(frameFor(LINKTYPE_ETHERNET, err, MACS));
  assert.deepEqual([p.protocol, p.icmpType, p.icmpCode, p.srcPort, p.hasQuoted, p.quotedProtocol, p.quotedSrcPort, p.quotedDstPort], [1, 3, 3, -1, true, 17, 40000, 7777]);
  assert.equal(ipToString(4, p.quotedSrc), '10.0.0.2');
});

test('ARP is not IP; a decoded packet leaves nothing behind for the next one', () => {
  const p = new DecodedPacket();
  const frame = frameFor(LINKTYPE_ETHERNET, v4tcp, MACS);
  decodePacket(p, frame, 0, frame.length, frame.length, LINKTYPE_ETHERNET);
  assert.equal(p.srcPort, 40000);
  const arp = Buffer.alloc(42);
  arp.writeUInt16BE(0x0806, 12);
  decodePacket(p, arp, 0, arp.length, arp.length, LINKTYPE_ETHERNET);
  assert.deepEqual([p.stopReason, p.etherType, p.ipVersion, p.srcPort, p.tcpFlags, p.src[3], p.payloadOffset], [STOP_NOT_IP, 0x0806, 0, -1, -1, 0, -1]);
});

test('every prefix of a TCP frame decodes without throwing and says where it was cut', () => {
  const frame = frameFor(LINKTYPE_ETHERNET, v4tcp, MACS);
  for (let n = 0; n < 14 + 20 + 20; n++) {
    const p = decodePacket(new DecodedPacket(), frame, 0, n, frame.length, LINKTYPE_ETHERNET);
    assert.equal(p.stopReason, STOP_TRUNCATED, `caplen ${n}`);
    // Ports appear exactly when their 4 bytes are captured, as tcpdump prints them.
    assert.equal(p.srcPort >= 0, n >= 14 + 20 + 4, `ports at caplen ${n}`);
  }
});

test('random bytes on every link type never throw', () => {
  const links = [LINKTYPE_ETHERNET, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_NULL, LINKTYPE_RAW, LINKTYPE_IPV4, 229, 12, 108, 147];
  const p = new DecodedPacket();
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), fc.constantFrom(...links), fc.nat(4000), (bytes, lt, extra) => {
      const buf = Buffer.from(bytes);
      decodePacket(p, buf, 0, buf.length, buf.length + extra, lt);
      assert.ok(p.netEnd <= buf.length);
      if (p.payloadOffset >= 0) assert.ok(p.payloadOffset <= buf.length + 60);
    }),
    { numRuns: 3000 },
  );
});

test('mutated real frames never throw', () => {
  const base = frameFor(LINKTYPE_ETHERNET, ipv6Packet({ src: '2001:db8::2', dst: '2001:db8::1', extensions: [{ kind: 'hop' }, { kind: 'fragment', offset: 0, more: true, id: 5 }] }, tcp), MACS);
  const p = new DecodedPacket();
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat(base.length), (edits, cut) => {
      const b = Buffer.from(base);
      for (const [i, v] of edits) b[i] = v;
      decodePacket(p, b, 0, cut, base.length, LINKTYPE_ETHERNET);
    }),
    { numRuns: 3000 },
  );
});

test('IPv6 text forms follow inet_ntop', () => {
  const w = new Uint32Array(4);
  for (const [text, want] of [
    ['::1', '::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['fe80::', 'fe80::'],
    ['::ffff:1.2.3.4', '::ffff:1.2.3.4'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2:3:4:5:6'],
    ['1:0:2:3:4:5:6:7', '1:0:2:3:4:5:6:7'],
  ] as const) {
    assert.equal(parseIp(text, w), 6);
    assert.equal(ipv6ToString(w), want, text);
  }
  assert.equal(parseIp('300.1.1.1', w), 0);
  assert.equal(parseIp('1.2.3.4', w), 4);
});

test('decoding allocates nothing per packet in steady state', () => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const frames = [
    frameFor(LINKTYPE_ETHERNET, v4tcp, { ...MACS, vlans: [{ id: 5 }] }),
    frameFor(LINKTYPE_ETHERNET, ipv6Packet({ src: '2001:db8::2', dst: '2001:db8::1', extensions: [{ kind: 'hop' }] }, udpDatagram({ sport: 1, dport: 2, payload: new Uint8Array(8) })), MACS),
  ];
  const p = new DecodedPacket();
  const run = (n: number) => {
    for (let i = 0; i < n; i++) {
      const f = frames[i & 1]!;
      decodePacket(p, f, 0, f.length, f.length, LINKTYPE_ETHERNET);
    }
  };
  run(200_000); // warm up and optimise
  // The smaller of two rounds: a one-off recompilation may allocate, an object per packet would in both.
  let grown = Infinity;
  for (let round = 0; round < 2; round++) {
    gc();
    const before = process.memoryUsage().heapUsed;
    run(1_000_000);
    grown = Math.min(grown, process.memoryUsage().heapUsed - before);
  }
  // A single allocated object per packet would be tens of megabytes here.
  assert.ok(grown < 2_000_000, `heap grew ${grown} bytes over a million packets`);
});

test('every corpus capture decodes without throwing', { skip: HAVE_CORPUS ? false : 'corpus not present' }, async () => {
  const p = new DecodedPacket();
  let packets = 0;
  for (const name of fs.readdirSync(CORPUS_PCAPS)) {
    const file = path.join(CORPUS_PCAPS, name);
    if (!fs.statSync(file).isFile()) continue;
    await readCapture(file, {
      onPacket(rec) {
        decodePacket(p, rec.data, rec.offset, rec.caplen, rec.wirelen, rec.linkType);
        packets++;
      },
    }).catch(() => undefined);
  }
  assert.ok(packets > 10000);
});
