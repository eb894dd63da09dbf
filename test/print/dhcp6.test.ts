import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { printDhcp6 } from '../../src/print/dhcp6.js';
import { Line } from '../../src/print/line.js';
import { defaultPrintOptions } from '../../src/print/options.js';
import {
  checkCorpus, compareWithTcpdump, corpusPayloads, haveCorpus, haveTcpdump, mutateBytes,
  printMarkingTruncation, prng, throwsOnlyTruncated, u16, u32, type AppFrame,
} from './app-payloads.js';

const isDhcp6 = (p: number) => p === 546 || p === 547;
const opt = (code: number, body: number[]) => [...u16(code), ...u16(body.length), ...body];
const V6 = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];

function dhcp6(bytes: number[], verbose = 0, capEnd?: number): string {
  const line = new Line();
  const data = Buffer.from(bytes);
  printMarkingTruncation(line, () => printDhcp6(line, data, 0, data.length, capEnd ?? data.length, { ...defaultPrintOptions(), verbose }));
  return line.text;
}

const SOLICIT = [1, 0x12, 0x34, 0x56,
  ...opt(1, [0, 1, 0, 1, ...u32(0x1d2e3f40), 0, 0x0c, 0x29, 0x5e, 0x77, 0x44]),
  ...opt(8, u16(0)),
  ...opt(3, [...u32(7), ...u32(3600), ...u32(5400), ...opt(5, [...V6, ...u32(100), ...u32(200)])]),
  ...opt(6, [...u16(23), ...u16(24), ...u16(99)]),
  ...opt(24, [7, ...Buffer.from('example'), 3, ...Buffer.from('com'), 0]),
  ...opt(23, V6),
  ...opt(13, [0, 2, ...Buffer.from('none')]),
  ...opt(14, []),
  ...opt(64, [3, 0x61, 0x66, 0x74, 2, 0x6e, 0x6c, 0]),
  ...opt(15, [0, 3, 0x61, 0x62, 0x63, 0, 1, 0x7a]),
  ...opt(11, [2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, ...new Array(20).fill(0xab)]),
  ...opt(56, [0, 1, 0, 16, ...V6, 0, 3, 0, 5, 3, 0x6e, 0x74, 0x70, 0]),
  ...opt(26, [...u32(1), ...u32(2), 48, ...V6]),
  ...opt(200, [1, 2]),
];

test('one line without -v: the message type', () => {
  assert.equal(dhcp6(SOLICIT), 'dhcp6 solicit');
  assert.equal(dhcp6([7, 1, 2, 3]), 'dhcp6 reply');
  assert.equal(dhcp6([99, 1, 2, 3]), 'dhcp6 msgtype-99');
  assert.equal(dhcp6([1, 2]), 'dhcp6 [|dhcp6]');
});

test('-v: options', () => {
  assert.equal(dhcp6(SOLICIT, 1),
    'dhcp6 solicit (xid=123456 (client-ID hwaddr/time type 1 time 489570112 000c295e7744) (elapsed-time 0) ' +
    '(IA_NA IAID:7 T1:3600 T2:5400 (IA_ADDR 2001:db8::1 pltime:100 vltime:200)) (option-request DNS-server DNS-search-list opt_99) ' +
    '(DNS-search-list example.com.) (DNS-server 2001:db8::1) (status-code NoAddrsAvail) (rapid-commit) (AFTR-Name aft.nl) ' +
    '(user-class) (authentication proto: delayed, alg: HMAC-MD5, RDM: mono, RD: 0000 0000 0000 0001, key ID: abababab, ' +
    'HMAC-MD5: abababab abababab abababab abababab) (NTP-server subopt:1 2001:db8::1 subopt:3 ntp.) ' +
    '(IA_PD-prefix 2001:db8::1/48 pltime:1 vltime:2) (opt_200))');
  // A cut option list gets an inline mark and the enclosing parenthesis still closes.
  assert.equal(dhcp6([1, 0, 0, 1, ...opt(3, [...u32(7), ...u32(1), ...u32(2), 0, 5, 0, 30])], 1),
    'dhcp6 solicit (xid=1 (IA_NA IAID:7 T1:1 T2:2 [|dhcp6]))');
});

test('fuzz: random bytes only ever throw TRUNCATED', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 2 }), (bytes, verbose) => {
    const line = new Line();
    throwsOnlyTruncated(() => printDhcp6(line, Buffer.from(bytes), 0, bytes.length, bytes.length, { ...defaultPrintOptions(), verbose }));
  }), { numRuns: 1000 });
});

test('corpus: every DHCPv6 packet matches the goldens', { skip: !haveCorpus }, async () => {
  const { checked, failures } = await checkCorpus([['nn', 0]],
    (t) => t.proto === 'udp' && (isDhcp6(t.sport) || isDhcp6(t.dport)),
    (line, data, t, opts) => printDhcp6(line, data, t.off, t.length, t.capEnd, opts));
  assert.ok(checked >= 4, `only ${checked} packets`);
  assert.deepEqual(failures, []);
});

test('differential: crafted, corpus and mutated messages print as the real tcpdump prints them', { skip: !haveTcpdump }, async () => {
  const relay = [12, 1, ...V6, ...V6, ...opt(18, [1, 2, 3]), ...opt(9, SOLICIT.slice(0, 60))];
  const seeds: number[][] = [
    SOLICIT, relay,
    [2, 0, 0, 9, ...opt(2, [0, 2, ...u32(9), 1, 2]), ...opt(2, [0, 3, 0, 1, 1, 2, 3, 4, 5, 6]), ...opt(2, [0, 4, ...new Array(16).fill(7)]),
      ...opt(25, [...u32(1), ...u32(2), ...u32(3), ...opt(26, [...u32(1), ...u32(2), 64, ...V6, ...opt(13, [0, 0])])]),
      ...opt(4, [...u32(5)]), ...opt(7, [255]), ...opt(32, u32(86400)), ...opt(37, [...u32(9), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]),
      ...opt(19, [5]), ...opt(19, [9]), ...opt(20, []), ...opt(41, [...Buffer.from('EST5EDT')]), ...opt(59, [...Buffer.from('tftp://x')]),
      ...opt(44, [1, ...V6, ...opt(1, [0, 9])]), ...opt(45, opt(46, u32(5))), ...opt(47, [...V6, 1, 2, 3]), ...opt(21, [1, 0x61, 0xc0, 0])],
    ...(await corpusPayloads((t) => t.proto === 'udp' && (isDhcp6(t.sport) || isDhcp6(t.dport)), 10)).map((b) => Array.from(b)),
  ];
  const rnd = prng(546);
  const frames: AppFrame[] = seeds.map((s) => ({ proto: 'udp', sport: 546, dport: 547, payload: Uint8Array.from(s) }));
  for (let n = 0; n < 500; n++) {
    const m = mutateBytes(seeds[Math.floor(rnd() * seeds.length)]!, rnd, [0, 1, 3, 5, 9, 24, 0xc0]);
    const f: AppFrame = { proto: 'udp', sport: 546, dport: 547, payload: Uint8Array.from(m) };
    if (rnd() < 0.2) f.snap = Math.floor(rnd() * (m.length + 1));
    frames.push(f);
  }
  const r = await compareWithTcpdump(frames, [0, 1, 2], (line, data, t, opts) => printDhcp6(line, data, t.off, t.length, t.capEnd, opts));
  assert.deepEqual(r.failures.slice(0, 3), [], `${r.failures.length} of ${r.compared} differ`);
});
