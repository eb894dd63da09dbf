import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, type AnalysisContext, type PacketConsumer } from '../../src/analyze/analysis.js';
import { Connection, FactsOfTables, ICMP_NONE, ICMP_PORT_UNREACHABLE } from '../../src/analyze/findings/connections.js';
import fc from 'fast-check';
import { HostIds, ip4TextCached, ip6TextCached, isPrivate, isPrivateAt, PairIndex } from '../../src/analyze/findings/hosts.js';
import { withVlans } from '../../src/analyze/findings/index.js';
import { maxInWindow } from '../../src/analyze/findings/evidence.js';
import { weirdOf } from '../../src/analyze/findings/weird.js';
import type { DecodedPacket } from '../../src/decode/packet.js';
import { IPPROTO_TCP, IPPROTO_UDP } from '../../src/wire/ipv4.js';
import { CaptureBuilder } from '../../src/gen/capture-builder.js';
import { writeCapture } from './helpers.js';

/** What the connection cursor shows of every TCP/UDP flow when the capture ends. */
interface Seen {
  orig: string;
  resp: string;
  origPort: number;
  respPort: number;
  firstFlags: number;
  firstWindow: number;
  firstOptionsLen: number;
  sawSyn: boolean;
  synAck: boolean;
  origAckedSynAck: boolean;
  origRst: number;
  respRst: number;
  rstByOrig: boolean;
  rstFrame: number;
  icmp: number;
  frames: number[];
  respIsGroup: boolean;
}

/** Feeds FlowFacts from the shared pass exactly as FindingsConsumer does, and reads every flow at the end. */
class FactsProbe implements PacketConsumer {
  readonly needsFlows = true;
  readonly facts = new FactsOfTables();
  readonly seen: Seen[] = [];

  onPacket(p: DecodedPacket, id: number, ctx: AnalysisContext): void {
    this.facts.main.packet(ctx.flows!, id, p);
  }

  finish(ctx: AnalysisContext): void {
    const t = ctx.flows!;
    this.facts.adopt(t, this.facts.main);
    const c = new Connection(this.facts, new HostIds());
    t.forEach((id) => {
      if (t.proto(id) !== IPPROTO_TCP && t.proto(id) !== IPPROTO_UDP) return;
      c.at(t, id);
      this.seen.push({
        orig: c.orig,
        resp: c.resp,
        origPort: c.origPort,
        respPort: c.respPort,
        firstFlags: c.firstFlags,
        firstWindow: c.firstWindow,
        firstOptionsLen: c.firstOptionsLen,
        sawSyn: c.sawSyn,
        synAck: c.synAck,
        origAckedSynAck: c.origAckedSynAck,
        origRst: c.origRst,
        respRst: c.respRst,
        rstByOrig: c.rstByOrig,
        rstFrame: c.rstFrame,
        icmp: c.icmp,
        frames: c.frames(),
        respIsGroup: c.respIsGroup,
      });
    });
  }
}

const T = 1_770_000_000;

test('connections read from the shared flow table: first probe, handshake, resets, ICMP answers, frames', async () => {
  const cap = new CaptureBuilder({ seed: 'facts' });
  // 1-3: a SYN probe with an MSS option answered SYN+ACK, then reset by the prober.
  cap.tcp(T, '10.1.0.1', '10.1.0.2', { sport: 40000, dport: 22, seq: 7, flags: 'S', window: 1024, options: [{ kind: 'mss', value: 1460 }] });
  cap.tcp(T + 0.001, '10.1.0.2', '10.1.0.1', { sport: 22, dport: 40000, seq: 9, ack: 8, flags: 'SA', window: 64240 });
  cap.tcp(T + 0.002, '10.1.0.1', '10.1.0.2', { sport: 40000, dport: 22, seq: 8, flags: 'R', window: 0 });
  // 4-5: a capture that starts at the SYN+ACK: the receiver opened the connection.
  cap.tcp(T + 1, '10.1.0.3', '10.1.0.4', { sport: 443, dport: 50000, seq: 1, ack: 2, flags: 'SA', window: 65535 });
  cap.tcp(T + 1.001, '10.1.0.4', '10.1.0.3', { sport: 50000, dport: 443, seq: 2, ack: 2, flags: 'A', window: 500 });
  // 6-7: a UDP probe refused with ICMP port unreachable.
  const probe = cap.udp(T + 2, '10.1.0.5', 50500, '10.1.0.6', 161, Buffer.alloc(8));
  cap.portUnreachable(T + 2.001, '10.1.0.6', probe);
  // 8: UDP to a broadcast address.
  cap.udp(T + 3, '10.1.0.7', 68, '255.255.255.255', 67, Buffer.alloc(8));
  const ctx = new FactsProbe();
  await analyze(writeCapture(cap, 'facts'), [ctx]);
  const [syn, flipped, udp, bcast] = ctx.seen;
  assert.equal(ctx.seen.length, 4);
  assert.deepEqual(
    [syn!.orig, syn!.resp, syn!.origPort, syn!.respPort, syn!.firstFlags, syn!.firstWindow, syn!.firstOptionsLen],
    ['10.1.0.1', '10.1.0.2', 40000, 22, 0x02, 1024, 4],
  );
  assert.deepEqual([syn!.sawSyn, syn!.synAck, syn!.origAckedSynAck, syn!.origRst, syn!.respRst, syn!.rstByOrig, syn!.rstFrame], [true, true, false, 1, 0, true, 3]);
  assert.deepEqual(syn!.frames, [1, 2, 3]);
  assert.deepEqual([flipped!.orig, flipped!.origPort, flipped!.resp, flipped!.respPort], ['10.1.0.4', 50000, '10.1.0.3', 443]);
  assert.deepEqual([flipped!.sawSyn, flipped!.synAck, flipped!.origAckedSynAck, flipped!.firstFlags], [false, true, true, 0x10]);
  assert.deepEqual(flipped!.frames, [4, 5]);
  assert.equal(udp!.icmp, ICMP_PORT_UNREACHABLE);
  assert.deepEqual(udp!.frames, [6]);
  assert.equal(bcast!.icmp, ICMP_NONE);
  assert.equal(bcast!.respIsGroup, true);
  assert.equal(udp!.respIsGroup, false);
});

test('an ICMP error about the responder\'s packet does not answer the originator', async () => {
  const cap = new CaptureBuilder({ seed: 'facts-icmp' });
  cap.udp(T, '10.2.0.1', 40000, '10.2.0.2', 53, Buffer.alloc(20));
  const reply = cap.udp(T + 0.01, '10.2.0.2', 53, '10.2.0.1', 40000, Buffer.alloc(40));
  cap.portUnreachable(T + 0.02, '10.2.0.1', reply);
  const ctx = new FactsProbe();
  await analyze(writeCapture(cap, 'facts-icmp'), [ctx]);
  assert.equal(ctx.seen.length, 1);
  assert.equal(ctx.seen[0]!.icmp, ICMP_NONE);
});

test('weirds come from where the shared decoding pass stopped', async () => {
  const cap = new CaptureBuilder({ seed: 'weird-unit' });
  cap.tcp(T, '10.3.0.1', '10.3.0.2', { sport: 1, dport: 2, flags: 'A', dataOffset: 3 });
  cap.tcp(T + 1, '10.3.0.1', '10.3.0.2', { sport: 1, dport: 2, flags: 'A' });
  const names: (string | undefined)[] = [];
  await analyze(writeCapture(cap, 'weird-unit'), [{ onPacket: (p: DecodedPacket) => void names.push(weirdOf(p)) }]);
  assert.deepEqual(names, ['bad_TCP_header_len', undefined]);
});

test('address text caches give the same text as formatting afresh', () => {
  for (const a of [0, 1, 0x7f000001, 0xffffffff, 0xc0a80001, 0x0a000001]) {
    assert.equal(ip4TextCached(a), `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`);
    assert.equal(ip4TextCached(a), ip4TextCached(a));
  }
  assert.equal(ip6TextCached(0x20010db8, 0, 0, 1), '2001:db8::1');
  assert.equal(ip6TextCached(0xfe800000, 0, 0x0202b3ff, 0xfe1e8329), 'fe80::202:b3ff:fe1e:8329');
  assert.equal(ip6TextCached(0, 0, 0, 0), '::');
});

test('filters reach VLAN-tagged packets with one nested vlan per level', () => {
  assert.equal(withVlans('udp', 1), '(udp) or (vlan and (udp))');
  assert.equal(withVlans('udp', 2), '(udp) or (vlan and ((udp) or (vlan and (udp))))');
});

test('sliding-window counts', () => {
  assert.equal(maxInWindow([0, 100, 200, 300, 301], 300), 4);
  assert.equal(maxInWindow([5, 1, 3], 1), 1);
  assert.equal(maxInWindow([], 10), 0);
});

test('host numbers from address words and pair rows behave as maps', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 5 })), { maxLength: 4000 }), (pairs) => {
      const index = new PairIndex();
      const model = new Map<string, number>();
      for (const [a, b] of pairs) {
        const r = index.row(a, b);
        const k = `${a}/${b}`;
        assert.equal(index.created, !model.has(k));
        if (!model.has(k)) model.set(k, model.size);
        assert.equal(r, model.get(k));
      }
      assert.equal(index.size, model.size);
    }),
    { numRuns: 30 },
  );
  const hosts = new HostIds();
  const w = new Uint32Array([0, 0, 0, 0x0a000001, 0x20010db8, 0, 0, 1, 0, 0, 0, 0x0a000001]);
  const v4 = hosts.idAt(4, w, 0);
  const v6 = hosts.idAt(6, w, 4);
  // The same words as IPv6 (::10.0.0.1) are another host than the IPv4 address.
  const mapped = hosts.idAt(6, w, 8);
  assert.deepEqual([hosts.name(v4), hosts.name(v6), hosts.name(mapped)], ['10.0.0.1', '2001:db8::1', '::10.0.0.1']);
  assert.equal(hosts.idAt(4, w, 8), v4);
  assert.equal(hosts.id('10.0.0.1'), v4);
  for (let i = 0; i < 5000; i++) {
    w[3] = i;
    hosts.idAt(4, w, 0);
  }
  w[3] = 0x0a000001;
  assert.equal(hosts.idAt(4, w, 0), v4);
  assert.equal(hosts.isPrivate(v4), true);
  assert.equal(hosts.isPrivate(v6), false);
});

test('privacy from address words agrees with privacy from the text, and names are made on demand', () => {
  // Words drawn around the private prefixes (and the first group's hex lengths the text check sees).
  const group = fc.oneof(fc.constantFrom(0, 1, 0xfc, 0xfd, 0xfe8, 0xfeb, 0xfec, 0xfc0, 0xfdf, 0xfc00, 0xfdff, 0xfe80, 0xfebf, 0xfec0, 0x2001), fc.integer({ min: 0, max: 0xffff }));
  const v6 = fc.tuple(group, fc.integer({ min: 0, max: 0xffff }), fc.constantFrom(0, 1, 0x0a000001), fc.constantFrom(0, 1, 0x0a000001, 0xffffffff));
  const v4 = fc.oneof(fc.constantFrom(0x0a000001, 0x7f000001, 0xac100001, 0xac1f0001, 0xac200001, 0xc0a80001, 0xa9fe0001, 0x64400001, 0x647f0001, 0x64800001), fc.integer({ min: 0, max: 0xffffffff }));
  fc.assert(
    fc.property(v6, v4, ([g, lo, w2, w3], a) => {
      const words = [(g << 16) | lo, g === 0 ? 0 : w2, w2, w3].map((w) => w >>> 0);
      const hosts = new HostIds();
      const id6 = hosts.idAt(6, new Uint32Array(words), 0);
      assert.equal(hosts.isPrivate(id6), isPrivate(hosts.name(id6)), hosts.name(id6));
      const id4 = hosts.idAt(4, new Uint32Array([0, 0, 0, a]), 0);
      assert.equal(hosts.isPrivate(id4), isPrivate(hosts.name(id4)), hosts.name(id4));
      assert.equal(isPrivateAt(6, words[0]!, words[1]!, words[2]!, words[3]!), isPrivate(hosts.name(id6)));
    }),
    { numRuns: 300 },
  );
  const hosts = new HostIds();
  const w = new Uint32Array([0, 0, 0, 0x0a000001, 0, 0, 0, 0x0a010001]);
  // Two hosts that differ in the bits beyond the small IPv4 table's index stay apart.
  assert.notEqual(hosts.idAt(4, w, 0), hosts.idAt(4, w, 4));
  assert.equal(hosts.idAt(4, w, 0), 0);
  assert.equal(hosts.name(1), '10.1.0.1');
});
