import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { printSnmp } from '../../src/print/snmp.js';
import { Line } from '../../src/print/line.js';
import { defaultPrintOptions } from '../../src/print/options.js';
import {
  checkCorpus, compareWithTcpdump, corpusPayloads, haveCorpus, haveTcpdump, mutateBytes, prng, printMarkingTruncation,
  throwsOnlyTruncated, type AppFrame,
} from './app-payloads.js';

const isSnmp = (p: number) => p === 161 || p === 162;

// BER builders.
const len = (n: number) => (n < 128 ? [n] : n < 256 ? [0x81, n] : [0x82, n >> 8, n & 255]);
const tlv = (t: number, b: number[]) => [t, ...len(b.length), ...b];
function int(v: number): number[] {
  const o: number[] = [];
  let x = v;
  do {
    o.unshift(x & 255);
    x >>= 8;
  } while (x !== 0 && x !== -1);
  if (v >= 0 && o[0]! & 0x80) o.unshift(0);
  if (v < 0 && !(o[0]! & 0x80)) o.unshift(255);
  return tlv(2, o);
}
const str = (s: string | number[]) => tlv(4, typeof s === 'string' ? [...Buffer.from(s, 'latin1')] : s);
const oid = (b: number[]) => tlv(6, b);
const seq = (...x: number[][]) => tlv(0x30, x.flat());
const NULL = [5, 0];
const pdu = (id: number, ...x: number[][]) => tlv(0xa0 + id, x.flat());
const SYS_DESCR = [0x2b, 6, 1, 2, 1, 1, 1, 0];

function snmp(bytes: number[], verbose = 0): string {
  const line = new Line();
  const data = Buffer.from(bytes);
  printMarkingTruncation(line, () => printSnmp(line, data, 0, data.length, data.length, { ...defaultPrintOptions(), verbose }));
  return line.text;
}

const VARBINDS = seq(
  seq(oid(SYS_DESCR), str('hello')), seq(oid([0x2b, 6, 1, 4, 1, 9, 1]), int(-5)),
  seq(oid([0x2b, 6, 1, 3, 1]), tlv(0x40, [10, 0, 0, 1])), seq(oid([0x2b, 6, 1, 6, 3, 1]), tlv(0x43, [1, 0])),
  seq(oid([0x2a, 3]), tlv(0x46, [1, 0, 0, 0, 0, 0, 0, 0, 1])), seq(oid([0x2b]), tlv(0x80, [])), seq(oid([0x2b]), str([1, 2])),
);
const SEEDS: number[][] = [
  seq(int(0), str('public'), pdu(0, int(1), int(0), int(0), seq(seq(oid(SYS_DESCR), NULL)))),
  seq(int(1), str('private'), pdu(1, int(2), int(0), int(0), seq(seq(oid(SYS_DESCR), NULL)))),
  seq(int(1), str('private'), pdu(2, int(3), int(2), int(1), VARBINDS)),
  seq(int(1), str('x'), pdu(5, int(3), int(0), int(10), seq(seq(oid(SYS_DESCR), NULL)))),
  seq(int(0), str('public'), pdu(4, oid([0x2b, 6, 1, 4, 1, 9]), tlv(0x40, [1, 2, 3, 4]), int(6), int(7), tlv(0x43, [5]), VARBINDS)),
  seq(int(3), seq(int(1), int(1000), str([4]), int(3)), str(seq(str([0x80, 0]), int(0), int(0), str('abc'), str(''), str(''))),
    seq(str([1, 2]), str('ctx'), pdu(0, int(14320), int(0), int(0), seq()))),
  seq(int(1), str('c'), pdu(3, int(9), int(0), int(0), seq(seq(oid([0x2b, 0x81, 0x00, 5]), tlv(0x41, [0xff, 0xff, 0xff, 0xff]))))),
  seq(int(1), str('c'), pdu(7, int(9), int(1), int(0), seq(seq(oid([0x2b]), tlv(0x1f, [])), seq(oid([0x2b]), tlv(0xc0, []))))),
];

test('requests, responses, traps and v3 as tcpdump prints them', () => {
  assert.equal(snmp(SEEDS[0]!), ' GetRequest(25)  .1.3.6.1.2.1.1.1.0');
  assert.equal(snmp(SEEDS[1]!, 1), ' { SNMPv2c C="private" { GetNextRequest(25) R=2  .1.3.6.1.2.1.1.1.0 } } ');
  assert.equal(snmp(SEEDS[2]!), ' C="private" GetResponse(106)  noSuchName@1 .1.3.6.1.2.1.1.1.0="hello" .1.3.6.1.4.1.9.1=-5 ' +
    '.1.3.6.1.3.1=10.0.0.1 .1.3.6.1.6.3.1=256 .1.2.3=1 .1.3=[noSuchObject] .1.3=01_02');
  assert.equal(snmp(SEEDS[3]!), ' C="x" GetBulk(25)  N=0 M=10 .1.3.6.1.2.1.1.1.0');
  assert.match(snmp(SEEDS[4]!), /^ Trap\(120\)  \.1\.3\.6\.1\.4\.1\.9 1\.2\.3\.4 enterpriseSpecific s=7 5 /);
  assert.equal(snmp(SEEDS[5]!), ' F=r U="abc" E=_01_02 C="ctx" GetRequest(12) ');
  assert.equal(snmp(SEEDS[5]!, 1), ' { SNMPv3 { F=r } { USM B=0 T=0 U="abc" } { ScopedPDU E=_01_02 C="ctx" { GetRequest(12) R=14320  } } } ');
  assert.equal(snmp(seq(int(7))), ' SNMP [version = 7]');
});

test('malformed and truncated BER gets tcpdump\'s inline notes', () => {
  assert.equal(snmp(SEEDS[0]!.slice(0, 20)), ' [len18<asnlen38]');
  assert.equal(snmp([]), ' [nothing to parse]');
  assert.equal(snmp([0x30]), ' [no asnlen]');
  // Contents beyond the captured bytes: the outer SEQUENCE's check fails first, with an inline mark.
  const line = new Line();
  const msg = Buffer.from(SEEDS[1]!);
  printSnmp(line, msg, 0, msg.length, 20, { ...defaultPrintOptions(), verbose: 1 });
  assert.equal(line.text, '  [|snmp]');
  // A short element inside a complete message: its own note, then the braces close.
  assert.equal(snmp(seq(int(1), str('c'), pdu(1, int(2), int(0), tlv(2, []), seq())), 1),
    ' { SNMPv2c C="c" { GetNextRequest(10) R=2 [asnlen=0] } } ');
});

test('fuzz: random bytes only ever throw TRUNCATED', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 120 }), fc.integer({ min: 0, max: 2 }), (bytes, verbose) => {
    const line = new Line();
    throwsOnlyTruncated(() => printSnmp(line, Buffer.from(bytes), 0, bytes.length, bytes.length, { ...defaultPrintOptions(), verbose }));
  }), { numRuns: 2000 });
});

test('corpus: every SNMP packet matches the goldens', { skip: !haveCorpus }, async () => {
  const { checked, failures } = await checkCorpus([['nn', 0], ['nnv', 1]],
    (t) => t.proto === 'udp' && (isSnmp(t.sport) || isSnmp(t.dport)),
    (line, data, t, opts) => printSnmp(line, data, t.off, t.length, t.capEnd, opts));
  assert.ok(checked >= 4, `only ${checked} packets`);
  assert.deepEqual(failures, []);
});

test('differential: crafted, corpus and mutated messages print as the real tcpdump prints them', { skip: !haveTcpdump }, async () => {
  const seeds = [...SEEDS, ...(await corpusPayloads((t) => t.proto === 'udp' && (isSnmp(t.sport) || isSnmp(t.dport)), 10)).map((b) => Array.from(b))];
  const rnd = prng(161);
  const frames: AppFrame[] = seeds.map((s) => ({ proto: 'udp', sport: 40000, dport: 161, payload: Uint8Array.from(s) }));
  for (let n = 0; n < 800; n++) {
    const m = mutateBytes(seeds[Math.floor(rnd() * seeds.length)]!, rnd, [0x30, 0x02, 0x04, 0x06, 0x05, 0xa0, 0x81, 0x82, 0x1f, 0x80, 0]);
    const f: AppFrame = { proto: 'udp', sport: 40000, dport: 161, payload: Uint8Array.from(m) };
    if (rnd() < 0.2) f.snap = Math.floor(rnd() * (m.length + 1));
    frames.push(f);
  }
  const r = await compareWithTcpdump(frames, [0, 1], (line, data, t, opts) => printSnmp(line, data, t.off, t.length, t.capEnd, opts));
  assert.deepEqual(r.failures.slice(0, 3), [], `${r.failures.length} of ${r.compared} differ`);
});
