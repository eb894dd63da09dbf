import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { printDomain } from '../../src/print/dns.js';
import { Line } from '../../src/print/line.js';
import { defaultPrintOptions, type PrintOptions } from '../../src/print/options.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { readCapture } from '../../src/capture/reader.js';
import {
  checkCorpus, goldenEntries, haveCorpus, haveTcpdump, printMarkingTruncation, prng, throwsOnlyTruncated,
  transportPayload, u16, u32, writeAppPcap, type AppFrame, type TransportPayload,
} from './app-payloads.js';
import { tempDir } from '../temp.js';

/** Runs printDomain as the top-level printer would: the text, plus ` [|domain]` on truncation. */
function dns(bytes: Buffer | number[], o: Partial<PrintOptions> = {}, extra: { overTcp?: boolean; mdns?: boolean; length?: number; capEnd?: number; off?: number } = {}): string {
  const data = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
  const line = new Line();
  const opts = { ...defaultPrintOptions(), ...o };
  const off = extra.off ?? 0;
  const print = () => printDomain(line, data, off, extra.length ?? data.length - off, extra.capEnd ?? data.length, opts, extra.overTcp ?? false, extra.mdns ?? false);
  if (printMarkingTruncation(line, print)) assert.equal(line.protocol, 'domain');
  return line.text;
}

// ---- message builder ----
function name(n: string): number[] {
  if (n === '.') return [0];
  const out: number[] = [];
  for (const label of n.replace(/\.$/, '').split('.')) out.push(label.length, ...Buffer.from(label, 'latin1'));
  out.push(0);
  return out;
}
function header(id: number, flags: number, qd: number, an: number, ns: number, ar: number): number[] {
  return [...u16(id), ...u16(flags), ...u16(qd), ...u16(an), ...u16(ns), ...u16(ar)];
}
function question(n: number[], type: number, cls = 1): number[] {
  return [...n, ...u16(type), ...u16(cls)];
}
function rr(n: number[], type: number, rdata: number[], cls = 1, ttl = 300): number[] {
  return [...n, ...u16(type), ...u16(cls), ...u32(ttl), ...u16(rdata.length), ...rdata];
}
const PTR_12 = [0xc0, 12];

test('query: id, RD, type, name and length', () => {
  const msg = [...header(6159, 0x0100, 1, 0, 0, 0), ...question(name('wireshark.org'), 1)];
  assert.equal(dns(msg), '6159+ A? wireshark.org. (31)');
});

test('query marks: opcode, CD, odd flag bits, counts, class', () => {
  const msg = [...header(30583, 0x2110 | 0x0400, 1, 0, 1, 1), ...question(name('version.bind'), 16, 3)];
  assert.equal(dns(msg), '30583 notify+% [b2&3=0x2510] [1n] [1au] TXT CHAOS? version.bind. (30)');
  const iq = [...header(1, 0x0800, 0, 0, 0, 0)];
  assert.equal(dns(iq), '1 inv_q [0a] (12)');
  const unknown = [...header(2, 0, 1, 0, 0, 0), ...question(name('x'), 999, 77)];
  assert.equal(dns(unknown), '2 Type999 (Class 77)? x. (19)');
});

test('response: rcode, AA, RA clear, TC, AD and the answers', () => {
  const q = question(name('www.example.com'), 1);
  const msg = [...header(22836, 0x8500 | 0x0020, 1, 2, 0, 0), ...q,
    ...rr(PTR_12, 1, [192, 139, 46, 66]), ...rr(PTR_12, 5, name('a.b'))];
  assert.equal(dns(msg), '22836*-$ 2/0/0 A 192.139.46.66, CNAME a.b. (' + msg.length + ')');
  assert.equal(dns(msg, { verbose: 1 }), `22836*-$ 2/0/0 www.example.com. A 192.139.46.66, www.example.com. CNAME a.b. (${msg.length})`);
  const nx = [...header(65300, 0x8183 | 0x0200, 1, 0, 0, 0), ...q];
  assert.equal(dns(nx), `65300 NXDomain| 0/0/0 (${nx.length})`);
});

test('EDNS extended rcode (BADCOOKIE) and the OPT record at -vv', () => {
  const opt = rr([0], 41, [0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8], 1232, 0x01008000);
  const msg = [...header(63147, 0x8187, 0, 0, 0, 1), ...opt];
  assert.equal(dns(msg), `63147 BadCookie [0q] 0/0/1 (${msg.length})`);
  assert.equal(dns(msg, { verbose: 2 }), `63147 BadCookie [0q] 0/0/1 ar: . OPT UDPsize=1232 DO [COOKIE 0102030405060708] (${msg.length})`);
});

test('EDNS options at -vv: ECS, keepalive, expire, padding, key-tag, DAU, NSID, malformed', () => {
  const opts = [
    ...u16(8), ...u16(7), ...u16(1), 24, 0, 192, 0, 2,
    ...u16(11), ...u16(2), ...u16(25),
    ...u16(9), ...u16(4), ...u32(3600),
    ...u16(12), ...u16(3), 0, 0, 0,
    ...u16(14), ...u16(4), ...u16(20326), ...u16(19036),
    ...u16(5), ...u16(3), 8, 13, 99,
    ...u16(3), ...u16(2), 0xab, 0xcd,
    ...u16(10), ...u16(5), 1, 2, 3, 4, 5,
    ...u16(8), ...u16(6), ...u16(2), 33, 0, 1, 2,
  ];
  const msg = [...header(7, 0x0100, 1, 0, 0, 1), ...question(name('a'), 1), ...rr([0], 41, opts, 4096, 0)];
  assert.equal(dns(msg, { verbose: 2 }),
    `7+ [1au] A? a. ar: . OPT UDPsize=4096 [ECS 192.0.2.0/24/0,KEEPALIVE 2.5 sec,EXPIRE 3600 sec,PADDING (3),` +
    `KEY-TAG 20326 19036,DAU RSASHA256 ECDSAP256SHA256 Alg_99,NSID abcd,COOKIE  (invalid),ECS  (invalid)] (${msg.length})`);
});

test('record types: MX, TXT, SRV, AAAA, SOA, PTR, DNSKEY, unknown, A6', () => {
  const q = question(name('ex.org'), 255);
  const answers = [
    rr(PTR_12, 15, [...u16(10), ...name('mail.ex.org')]),
    rr(PTR_12, 16, [5, ...Buffer.from('hello'), 2, 0x01, 0xe9]),
    rr(PTR_12, 33, [...u16(1), ...u16(2), ...u16(5060), ...name('sip')]),
    rr(PTR_12, 28, [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]),
    rr(PTR_12, 6, [...name('ns'), ...name('root'), ...u32(1), ...u32(2), ...u32(3), ...u32(4), ...u32(5)]),
    rr(PTR_12, 12, PTR_12),
    rr(PTR_12, 48, [1, 2, 3, 4]),
    rr(PTR_12, 65, [1]),
    rr(PTR_12, 38, [120, 0xaa, ...name('pfx')]),
  ];
  const msg = [...header(1, 0x8180, 1, answers.length, 0, 0), ...q, ...answers.flat()];
  assert.equal(dns(msg),
    `1 9/0/0 MX mail.ex.org. 10, TXT "hello" "^AM-i", SRV sip.:5060 1 2, AAAA 2001:db8::1, SOA, PTR ex.org., ` +
    `DNSKEY, Type65, A6 120 ::aa pfx. (${msg.length})`);
  assert.match(dns(msg, { verbose: 1 }), / ex\.org\. SOA ns\. root\. 1 2 3 4 5, /);
  assert.match(dns(msg, { verbose: 3 }), /^1 q: ANY\? ex\.org\. 9\/0\/0 ex\.org\. \[5m\] MX mail\.ex\.org\. 10, /);
});

test('mDNS: QM/QU questions and cache-flush answers', () => {
  const msg = [...header(0, 0, 2, 0, 0, 0), ...question(name('_ipp._tcp.local'), 12), ...question(name('_ipps._tcp.local'), 12, 0x8001)];
  assert.equal(dns(msg, {}, { mdns: true }), `0 [2q] PTR (QM)? _ipp._tcp.local. PTR (QU)? _ipps._tcp.local. (${msg.length})`);
  const resp = [...header(0, 0x8400, 0, 1, 0, 0), ...rr(name('h.local'), 1, [10, 0, 2, 7], 0x8001)];
  assert.equal(dns(resp, { verbose: 1 }, { mdns: true }), `0*- [0q] 1/0/0 h.local. (Cache flush) A 10.0.2.7 (${resp.length})`);
  // Without mDNS, the top class bit is part of the class.
  assert.equal(dns(resp, { verbose: 1 }), `0*- [0q] 1/0/0 h.local. (Class 32769) A 10.0.2.7 (${resp.length})`);
});

test('DNS over TCP: the length prefix, its checks and the leading space', () => {
  const msg = [...header(30362, 0x0100, 1, 0, 0, 0), ...question(name('example.com'), 16)];
  assert.equal(dns([...u16(msg.length), ...msg], {}, { overTcp: true }), ` 30362+ TXT? example.com. (${msg.length})`);
  assert.equal(dns([0x21, 0x00], {}, { overTcp: true }), ' [prefix length(8448) != length(0)] (invalid)');
  assert.equal(dns([0x21], {}, { overTcp: true }), ' [DNS over TCP: length 1 < 2] (invalid)');
  assert.equal(dns([0, 3, 1, 2, 3], {}, { overTcp: true }), ' domain [length 3 < 12] (invalid)');
  // The space is printed before the header is checked.
  assert.equal(dns([0, 20], {}, { overTcp: true, length: 22 }), '  [|domain]');
});

test('names: bad pointers, loops, reserved labels, bit labels, long names', () => {
  const self = [...header(1, 0x0100, 1, 0, 0, 0), 0xc0, 12, 0, 1, 0, 1];
  assert.equal(dns(self), '1+ A? <BAD PTR> [|domain]');
  const forward = [...header(1, 0x0100, 1, 0, 0, 0), 1, 0x61, 0xc0, 20, 0, 1, 0, 1, 0];
  assert.equal(dns(forward), '1+ A? a.<BAD PTR> [|domain]');
  const reserved = [...header(1, 0x0100, 1, 0, 0, 0), 0x80, 0, 1, 0, 1];
  assert.equal(dns(reserved), '1+ [|domain]');
  const elt = [...header(1, 0x0100, 1, 0, 0, 0), 1, 0x61, 0x42, 0, 0, 1, 0, 1];
  assert.equal(dns(elt), '1+ [|domain]');
  const bits = [...header(1, 0x0100, 1, 0, 0, 0), 0x41, 12, 0xab, 0xc0, 0, 0, 1, 0, 1];
  assert.equal(dns(bits), `1+ A? \\[xabc/12]. (${bits.length})`);
  const long: number[] = [];
  for (let k = 0; k < 5; k++) long.push(63, ...Buffer.alloc(63, 0x61));
  long.push(0);
  const msg = [...header(1, 0x0100, 1, 0, 0, 0), ...long, 0, 1, 0, 1];
  const out = dns(msg);
  assert.ok(out.endsWith(`<DOMAIN NAME TOO LONG> (${msg.length})`), out);
  // The dots count towards tcpdump's 255-character limit: four labels of 63 fit, the fifth is dropped.
  assert.equal((out.match(/a/g) ?? []).length, 252);
});

test('truncation at every prefix length ends in [|domain] and never throws anything else', () => {
  const q = question(name('www.tcpdump.org'), 1);
  const msg = [...header(22836, 0x8580, 1, 3, 1, 1), ...q,
    ...rr(PTR_12, 1, [192, 139, 46, 66]), ...rr(PTR_12, 16, [3, 0x61, 0x62, 0x63]), ...rr(PTR_12, 28, new Array(16).fill(1)),
    ...rr(PTR_12, 2, name('ns1.tcpdump.org')), ...rr([0], 41, [0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8], 512, 0)];
  const full = Buffer.from(msg);
  for (const verbose of [0, 1, 2, 3]) {
    const whole = dns(full, { verbose });
    assert.ok(whole.endsWith(`(${full.length})`), whole);
    for (let cut = 0; cut < full.length; cut++) {
      const out = dns(full, { verbose }, { capEnd: cut, length: full.length });
      assert.ok(out.endsWith(' [|domain]') || out.endsWith(`(${full.length})`), `cut ${cut}: ${out}`);
      // What is printed before the cut is a prefix of the whole line (tcpdump prints as it goes).
      // A record whose fixed part is missing prints nothing and ends its section quietly, as in tcpdump.
      const printed = out.endsWith(' [|domain]') ? out.slice(0, -' [|domain]'.length) : out.slice(0, -` (${full.length})`.length);
      assert.ok(whole.startsWith(printed), `cut ${cut}: ${out} vs ${whole}`);
    }
  }
  // The header itself cut short: nothing but the mark.
  assert.equal(dns(full, {}, { capEnd: 11, length: full.length }), ' [|domain]');
});

test('fuzz: random and mutated messages only ever throw TRUNCATED', () => {
  const seed = Buffer.from([...header(1, 0x8180, 1, 2, 1, 1), ...question(name('a.example'), 1),
    ...rr(PTR_12, 1, [1, 2, 3, 4]), ...rr([0xc0, 14], 16, [1, 0x41]), ...rr(PTR_12, 6, [...PTR_12, ...PTR_12, ...new Array(20).fill(0)]),
    ...rr([0], 41, [0, 8, 0, 4, 0, 1, 8, 0], 512, 0)]);
  const arb = fc.oneof(
    fc.uint8Array({ minLength: 0, maxLength: 200 }),
    fc.array(fc.tuple(fc.nat(seed.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }).map((edits) => {
      const b = Uint8Array.from(seed);
      for (const [at, v] of edits) b[at] = v;
      return b;
    }),
  );
  fc.assert(fc.property(arb, fc.integer({ min: 0, max: 3 }), fc.boolean(), fc.boolean(), (bytes, verbose, overTcp, mdns) => {
    const data = Buffer.from(bytes);
    const line = new Line();
    const opts = { ...defaultPrintOptions(), verbose };
    for (const capEnd of [data.length, data.length >> 1]) {
      line.reset();
      throwsOnlyTruncated(() => printDomain(line, data, 0, data.length, capEnd, opts, overTcp, mdns));
    }
  }), { numRuns: 3000 });
});

/** Compares printDomain with every DNS/mDNS packet of every golden of a variant. */
function checkDnsCorpus(variant: string, verbose: number): Promise<{ checked: number; failures: string[] }> {
  const is53 = (t: TransportPayload) => t.sport === 53 || t.dport === 53;
  const is5353 = (t: TransportPayload) => t.sport === 5353 || t.dport === 5353;
  return checkCorpus([[variant, verbose]],
    (t) => (t.proto === 'udp' ? is53(t) || is5353(t) : is53(t) && t.length > 0),
    (line, data, t, opts) => printDomain(line, data, t.off, t.length, t.capEnd, opts, t.proto === 'tcp', !is53(t) && is5353(t)),
    { numeric: 2 });
}

test('corpus: every DNS/mDNS packet matches the -nn goldens', { skip: !haveCorpus }, async () => {
  const r = await checkDnsCorpus('nn', 0);
  assert.ok(r.checked > 150, `only ${r.checked} DNS packets found`);
  assert.deepEqual(r.failures.slice(0, 5), [], `${r.failures.length} of ${r.checked} differ`);
});

test('corpus: every DNS/mDNS packet matches the -nn -v goldens', { skip: !haveCorpus }, async () => {
  const r = await checkDnsCorpus('nnv', 1);
  assert.ok(r.checked > 100, `only ${r.checked} DNS packets found`);
  assert.deepEqual(r.failures.slice(0, 5), [], `${r.failures.length} of ${r.checked} differ`);
});

/** Messages that exercise every path of the printer; the differential test mutates them. */
function seedMessages(): number[][] {
  const q = question(name('www.example.com'), 1);
  const opt = rr([0], 41, [
    ...u16(10), ...u16(16), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
    ...u16(8), ...u16(7), ...u16(1), 24, 0, 192, 0, 2,
    ...u16(8), ...u16(12), ...u16(2), 64, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0,
    ...u16(11), ...u16(2), ...u16(25), ...u16(9), ...u16(4), ...u32(3600), ...u16(12), ...u16(3), 0, 0, 0,
    ...u16(14), ...u16(4), ...u16(20326), ...u16(19036), ...u16(5), ...u16(3), 8, 13, 99, ...u16(6), ...u16(2), 1, 2,
    ...u16(7), ...u16(1), 1, ...u16(3), ...u16(2), 0xab, 0xcd, ...u16(13), ...u16(4), 1, 0x61, 0xc0, 12, ...u16(99), ...u16(1), 7,
  ], 4096, 0x00008000);
  const answers = [
    rr(PTR_12, 1, [192, 0, 2, 1]), rr(PTR_12, 5, [3, 0x63, 0x64, 0x6e, 0xc0, 16]),
    rr(PTR_12, 15, [...u16(10), ...name('mail.ex.org')]), rr(PTR_12, 16, [5, ...Buffer.from('hello'), 2, 0x01, 0xe9, 0]),
    rr(PTR_12, 33, [...u16(1), ...u16(2), ...u16(5060), ...name('sip')]),
    rr(PTR_12, 28, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1]),
    rr(PTR_12, 6, [...name('ns'), ...name('root'), ...u32(1), ...u32(2), ...u32(3), ...u32(4), ...u32(5)]),
    rr(PTR_12, 12, PTR_12), rr(PTR_12, 39, name('d.example')), rr(PTR_12, 2, name('ns1')),
    rr(PTR_12, 48, [1, 2, 3, 4]), rr(PTR_12, 46, [0, 1]), rr(PTR_12, 65, [1]),
    rr(PTR_12, 38, [120, 0xaa, ...name('pfx')]), rr(PTR_12, 38, [0, ...new Array(16).fill(0x11)]), rr(PTR_12, 38, [128, ...name('p')]),
    rr(PTR_12, 38, [200]), rr(PTR_12, 256, [...u16(10), ...u16(1), ...Buffer.from('https://x/')]), rr(PTR_12, 256, [0, 1]),
    rr(PTR_12, 104, [...Buffer.from('ascii\x7f')]), rr(PTR_12, 13, [1, 0x41, 1, 0x42], 3, 86400 * 400 + 3661),
    rr(PTR_12, 250, [...name('key'), 0, 0, 0, 0, 0, 1, ...u16(300), ...u16(4), 1, 2, 3, 4, ...u16(7), ...u16(0), ...u16(0)], 255, 0),
    rr([0x41, 12, 0xab, 0xc0, 0], 1, [1, 2, 3, 4], 4),
  ];
  return [
    [...header(6159, 0x0100, 1, 0, 0, 1), ...q, ...opt],
    [...header(22836, 0x85a0, 1, answers.length, 1, 1), ...q, ...answers.flat(), ...rr(PTR_12, 2, name('ns.example')), ...opt],
    [...header(4, 0x0110 | 0x0400, 2, 1, 1, 1), ...q, ...question(name('_ipp._tcp.local'), 12, 0x8001), ...answers[0]!, ...answers[6]!, ...opt],
    [...header(0, 0x8400, 0, 3, 0, 0), ...rr(name('h.local'), 1, [10, 0, 2, 7], 0x8001), ...rr(PTR_12, 28, new Array(16).fill(0), 0x8001),
      ...rr(PTR_12, 12, [1, 0x68, 0xc0, 12], 0x8001)],
    [...header(5, 0x0800, 0, 1, 0, 0), ...rr(name('x'), 1, [1, 2, 3, 4])],
    [...header(6, 0xa801, 1, 0, 1, 1), ...question(name('zone'), 6), ...rr(PTR_12, 255, []), ...opt],
    [...header(7, 0x8183, 1, 0, 1, 1), ...q, ...answers[6]!, ...rr([0], 41, [], 1232, 0x05000000)],
    [...header(8, 0x0100, 1, 0, 0, 0), 63, ...new Array(63).fill(0x7a), 63, ...new Array(63).fill(0x79), 63, ...new Array(63).fill(0x78),
      63, ...new Array(63).fill(0x77), 3, 0x61, 0x62, 0x63, 0, 0, 1, 0, 1],
  ];
}

/** Mutates a message: byte edits (often in the header or a length byte), a shorter or longer body. */
function mutate(seed: number[], rnd: () => number): number[] {
  const m = [...seed];
  const edits = 1 + Math.floor(rnd() * 4);
  for (let k = 0; k < edits; k++) {
    const r = rnd();
    if (r < 0.55) m[Math.floor(rnd() * m.length)] = Math.floor(rnd() * 256);
    else if (r < 0.7) m[Math.floor(rnd() * Math.min(12, m.length))] = Math.floor(rnd() * 256);
    else if (r < 0.8) m[Math.floor(rnd() * m.length)] = [0xc0, 0x00, 0x3f, 0x41, 0x80, 0x01][Math.floor(rnd() * 6)]!;
    else if (r < 0.92) m.length = Math.floor(rnd() * m.length);
    else for (let j = Math.floor(rnd() * 8); j > 0; j--) m.push(Math.floor(rnd() * 256));
  }
  return m;
}

function runTcpdump(file: string, flags: string[]): string[] | null {
  const r = spawnSync('/usr/bin/tcpdump', ['-nn', ...flags, '-r', file], { encoding: 'latin1', env: { ...process.env, TZ: 'UTC', LC_ALL: 'C' }, maxBuffer: 1 << 28 });
  if (r.status !== 0) return null;
  return goldenEntries(r.stdout);
}

test('differential: crafted and mutated messages print as the real tcpdump prints them', { skip: !haveTcpdump }, async () => {
  const rnd = prng(0x5eed);
  const frames: AppFrame[] = [];
  const seeds = seedMessages();
  const add = (msg: number[], kind: number, snap?: number) => {
    const payload = Uint8Array.from(kind === 2 ? [...u16(msg.length), ...msg] : msg);
    const f: AppFrame = kind === 0 ? { proto: 'udp', sport: 53, dport: 40000, payload }
      : kind === 1 ? { proto: 'udp', sport: 5353, dport: 5353, payload }
      : { proto: 'tcp', sport: 40000, dport: 53, payload };
    if (snap !== undefined) f.snap = snap;
    frames.push(f);
  };
  for (const s of seeds) for (let kind = 0; kind < 3; kind++) add(s, kind);
  for (let n = 0; n < 1500; n++) {
    const msg = mutate(seeds[Math.floor(rnd() * seeds.length)]!, rnd);
    add(msg, Math.floor(rnd() * 3), rnd() < 0.2 ? Math.floor(rnd() * (msg.length + 2)) : undefined);
  }
  const dir = tempDir('dns-');
  const file = path.join(dir, 'dns.pcap');
  try {
    writeAppPcap(file, frames);
    const line = new Line();
    for (const verbose of [0, 1, 2, 3]) {
      const entries = runTcpdump(file, verbose ? ['-' + 'v'.repeat(verbose)] : []);
      assert.ok(entries, 'tcpdump failed');
      assert.equal(entries.length, frames.length);
      const opts = { ...defaultPrintOptions(), numeric: 2, verbose };
      const failures: string[] = [];
      let truncated = 0;
      let notes = 0;
      await readCapture(file, {
        onPacket: (rec) => {
          const t = transportPayload(rec)!;
          const entry = entries[rec.frame - 1]!;
          if (t.proto === 'tcp' && t.length === 0) return;
          line.reset();
          printMarkingTruncation(line, () => printDomain(line, rec.data, t.off, t.length, t.capEnd, opts, t.proto === 'tcp', t.sport === 5353));
          if (line.text.endsWith('[|domain]')) truncated++;
          if (/<|\(invalid\)/.test(line.text)) notes++;
          if (!entry.endsWith(line.text)) failures.push(`#${rec.frame} -v${verbose}\n  want: ${entry}\n  got:  ${line.text}`);
        },
      });
      assert.deepEqual(failures.slice(0, 4), [], `${failures.length} of ${frames.length} differ at -v x${verbose}`);
      // The mutations reach the truncation and malformed-field paths, not only the happy one.
      assert.ok(truncated > 100 && notes > 20, `truncated ${truncated}, notes ${notes}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
