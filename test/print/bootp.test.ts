import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { printBootp } from '../../src/print/bootp.js';
import { Line } from '../../src/print/line.js';
import { defaultPrintOptions } from '../../src/print/options.js';
import {
  checkCorpus, compareWithTcpdump, corpusPayloads, haveCorpus, haveTcpdump, mutateBytes, prng, printMarkingTruncation,
  throwsOnlyTruncated, type AppFrame,
} from './app-payloads.js';

const isBootp = (p: number) => p === 67 || p === 68;

function bootp(bytes: number[], verbose = 0, capEnd?: number): string {
  const line = new Line();
  const data = Buffer.from(bytes);
  printMarkingTruncation(line, () => printBootp(line, data, 0, data.length, capEnd ?? data.length, { ...defaultPrintOptions(), verbose }));
  return line.text;
}

/** A DHCP message: the fixed part, the magic cookie and `options` (TLV bytes, END added). */
function dhcp(op: number, options: number[], fill: Partial<Record<'ciaddr' | 'yiaddr' | 'sname' | 'file', number[]>> = {}): number[] {
  const m = new Array(236).fill(0);
  m[0] = op;
  m[1] = 1;
  m[2] = 6;
  m.splice(4, 4, 0x12, 0x34, 0x56, 0x78);
  m.splice(10, 2, 0x80, 0);
  if (fill.ciaddr) m.splice(12, 4, ...fill.ciaddr);
  if (fill.yiaddr) m.splice(16, 4, ...fill.yiaddr);
  m.splice(28, 6, 0x00, 0x0b, 0x82, 0x01, 0xfc, 0x42);
  if (fill.sname) m.splice(44, fill.sname.length, ...fill.sname);
  if (fill.file) m.splice(108, fill.file.length, ...fill.file);
  return [...m, 99, 130, 83, 99, ...options, 255];
}

const OPTIONS = [
  53, 1, 3, 61, 7, 1, 0x00, 0x0b, 0x82, 0x01, 0xfc, 0x42, 50, 4, 192, 168, 0, 10, 12, 4, 0x68, 0x6f, 0x73, 0x74,
  55, 6, 1, 3, 6, 15, 119, 252, 57, 2, 0x05, 0xdc, 51, 4, 0, 0, 0x0e, 0x10, 2, 4, 0xff, 0xff, 0xf1, 0xf0,
  19, 2, 0, 1, 23, 1, 64, 33, 8, 10, 0, 0, 0, 10, 0, 0, 1, 46, 1, 8, 52, 1, 3,
  81, 7, 0x01, 0, 0, 0x68, 0x2e, 0x63, 0x6f, 82, 8, 1, 2, 0x41, 0x42, 9, 2, 0xde, 0xad,
  121, 8, 24, 10, 1, 2, 10, 0, 0, 1, 77, 4, 3, 0x61, 0x62, 0x63, 200, 3, 1, 2, 3, 201, 4, 1, 2, 3, 4,
  0, 0, 143, 6, 0, 4, 0x68, 0x74, 0x74, 0x70,
];

test('one line: op, client MAC for Ethernet requests, length', () => {
  const req = dhcp(1, [53, 1, 1]);
  assert.equal(bootp(req), `BOOTP/DHCP, Request from 00:0b:82:01:fc:42, length ${req.length}`);
  const reply = dhcp(2, [53, 1, 5]);
  assert.equal(bootp(reply), `BOOTP/DHCP, Reply, length ${reply.length}`);
  assert.equal(bootp([7, 1, 6]), 'BOOTP/DHCP, unknown (0x07), length 3');
  assert.equal(bootp([1, 1]), 'BOOTP/DHCP, Request [|bootp]');
});

test('-v: header fields and the options', () => {
  const out = bootp(dhcp(1, OPTIONS, { ciaddr: [10, 0, 0, 5], sname: [0x73, 0x72, 0x76] }), 1);
  assert.match(out, /^BOOTP\/DHCP, Request from 00:0b:82:01:fc:42, length \d+, xid 0x12345678, Flags \[Broadcast\]\n/);
  assert.match(out, /\n\t  Client-IP 10\.0\.0\.5\n\t  Client-Ethernet-Address 00:0b:82:01:fc:42\n\t  sname "srv"\n/);
  assert.match(out, /\n\t    DHCP-Message \(53\), length 1: Request\n/);
  assert.match(out, /\n\t    Client-ID \(61\), length 7: ether 00:0b:82:01:fc:42\n/);
  assert.match(out, /\n\t    Parameter-Request \(55\), length 6: \n\t      Subnet-Mask \(1\), Default-Gateway \(3\), Domain-Name-Server \(6\), Domain-Name \(15\)\n\t      Unknown \(119\), Unknown \(252\)\n/);
  assert.match(out, /\n\t    Time-Zone \(2\), length 4: -3600\n/);
  assert.match(out, /\n\t    Classless-Static-Route \(121\), length 8: \(10\.1\.2\.0\/24:10\.0\.0\.1\)\n/);
  assert.match(out, /\n\t    Unknown \(200\), length 3: 1\.2\.3\n\t    Unknown \(201\), length 4: 16909060/);
});

test('fuzz: random bytes only ever throw TRUNCATED', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), fc.integer({ min: 0, max: 3 }), (bytes, verbose) => {
    const line = new Line();
    throwsOnlyTruncated(() => printBootp(line, Buffer.from(bytes), 0, bytes.length, bytes.length, { ...defaultPrintOptions(), verbose }));
  }), { numRuns: 1000 });
});

test('corpus: every BOOTP/DHCP packet matches the goldens', { skip: !haveCorpus }, async () => {
  const { checked, failures } = await checkCorpus([['nn', 0], ['nnv', 1]],
    (t) => t.proto === 'udp' && (isBootp(t.sport) || isBootp(t.dport)) && ![53, 5353].some((p) => t.sport === p || t.dport === p),
    (line, data, t, opts) => printBootp(line, data, t.off, t.length, t.capEnd, opts));
  assert.ok(checked >= 15, `only ${checked} packets`);
  assert.deepEqual(failures.slice(0, 4), []);
});

test('differential: crafted, corpus and mutated messages print as the real tcpdump prints them', { skip: !haveTcpdump }, async () => {
  const seeds: number[][] = [
    dhcp(1, OPTIONS, { ciaddr: [10, 0, 0, 5], sname: [0x73, 0x72, 0x76], file: [0x62, 0x6f, 0x6f, 0x74, 0x7f] }),
    dhcp(2, [53, 1, 2, 54, 4, 10, 0, 0, 1, 0, 0, 0, 255, 0, 0], { yiaddr: [10, 0, 0, 9] }),
    [...dhcp(1, [])].fill(0x41, 44, 108),
    ...(await corpusPayloads((t) => t.proto === 'udp' && (isBootp(t.sport) || isBootp(t.dport)), 20)).map((b) => Array.from(b)),
  ];
  const cmu = dhcp(2, []);
  cmu.splice(236, 4, 0x43, 0x4d, 0x55, 0, 0, 0, 0, 3, 255, 255, 255, 0, 10, 0, 0, 1);
  seeds.push(cmu);
  const rnd = prng(67);
  const frames: AppFrame[] = seeds.map((s) => ({ proto: 'udp', sport: 68, dport: 67, payload: Uint8Array.from(s) }));
  for (let n = 0; n < 400; n++) {
    const seed = seeds[Math.floor(rnd() * seeds.length)]!;
    // Mutate mostly the options, where the decoding is.
    const head = seed.slice(0, 236 + Math.floor(rnd() * 4));
    const m = rnd() < 0.8 ? [...head, ...mutateBytes(seed.slice(head.length), rnd, [0, 1, 53, 55, 61, 81, 82, 121, 255])] : mutateBytes(seed, rnd);
    const f: AppFrame = { proto: 'udp', sport: 68, dport: 67, payload: Uint8Array.from(m) };
    if (rnd() < 0.2) f.snap = Math.floor(rnd() * (m.length + 1));
    frames.push(f);
  }
  const r = await compareWithTcpdump(frames, [0, 1, 2, 3], (line, data, t, opts) => printBootp(line, data, t.off, t.length, t.capEnd, opts));
  assert.deepEqual(r.failures.slice(0, 3), [], `${r.failures.length} of ${r.compared} differ`);
  assert.ok(r.truncated > 50, `only ${r.truncated} truncated`);
});
