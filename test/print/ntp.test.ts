import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatNtpTime, printNtp } from '../../src/print/ntp.js';
import { Line } from '../../src/print/line.js';
import { defaultPrintOptions } from '../../src/print/options.js';
import {
  checkCorpus, compareWithTcpdump, haveCorpus, haveTcpdump, printMarkingTruncation, prng, throwsOnlyTruncated, u32,
  type AppFrame, type PayloadPrinter,
} from './app-payloads.js';

function ntp(bytes: number[] | Buffer, verbose = 0, capEnd?: number, length?: number): string {
  const data = Buffer.from(bytes);
  const line = new Line();
  if (printMarkingTruncation(line, () => printNtp(line, data, 0, length ?? data.length, capEnd ?? data.length, { ...defaultPrintOptions(), verbose }))) {
    assert.equal(line.protocol, 'ntp');
  }
  return line.text;
}


// 132.199.4.1.123 > 132.199.152.129.49445 in td_ntp-time.pcap: a v4 server reply.
const SERVER = [
  0x24, 2, 8, 0xe8, ...u32(0x00000015), ...u32(0x00000952), 0x84, 0xc7, 0x07, 0xc9,
  ...u32(3712482106), ...u32(0x567637c0), ...u32(3712483316), ...u32(0xedb0ccb8),
  ...u32(3712483316), ...u32(0xee0f4742), ...u32(3712483316), ...u32(0xee1119cc),
];

test('one line without -v: version, mode, length', () => {
  assert.equal(ntp(SERVER), 'NTPv4, Server, length 48');
  assert.equal(ntp([0x1b, ...new Array(47).fill(0)]), 'NTPv3, Client, length 48');
  assert.equal(ntp([0x0e]), 'NTPv1, Control Message, length 1');
  assert.equal(ntp([0x27]), 'NTPv4, Reserved, length 1');
  assert.equal(ntp([]), ' [|ntp]');
});

test('-v: leap, stratum, poll, precision, root delay/dispersion, reference id, timestamps and deltas', () => {
  assert.equal(ntp(SERVER, 1), [
    'NTPv4, Server, length 48',
    '\tLeap indicator:  (0), Stratum 2 (secondary reference), poll 8 (256s), precision -24',
    '\tRoot Delay: 0.000320, Root dispersion: 0.036407, Reference-ID: 0x84c707c9',
    '\t  Reference Timestamp:  3712482106.337741360 (2017-08-23T13:01:46Z)',
    '\t  Originator Timestamp: 3712483316.928478999 (2017-08-23T13:21:56Z)',
    '\t  Receive Timestamp:    3712483316.929920629 (2017-08-23T13:21:56Z)',
    '\t  Transmit Timestamp:   3712483316.929948437 (2017-08-23T13:21:56Z)',
    '\t    Originator - Receive Timestamp:  +0.001441630', // these fractions print the golden's timestamps; their difference rounds 1 ns higher
    '\t    Originator - Transmit Timestamp: +0.001469437',
  ].join('\n'));
});

test('-v: stratum 1 clock names, INFO strata, negative poll, key id and digests, extra bytes', () => {
  const gps = [0x24, 1, 0xfa, 0xe7, ...new Array(8).fill(0), 0x47, 0x50, 0x53, 0, ...new Array(32).fill(0)];
  const out = ntp(gps, 1);
  assert.match(out, /Stratum 1 \(primary reference\), poll -6 \(1\/64s\), precision -25/);
  assert.match(out, /Reference-ID: GPS\^@\n/);
  assert.match(out, /Originator - Transmit Timestamp: 0\.000000000$/);
  const query = [0xe3, 62, 0, 0, ...new Array(8).fill(0), 10, 0, 0, 1, ...new Array(32).fill(0)];
  assert.match(ntp(query, 1), /Leap indicator: clock unsynchronized \(192\), Stratum 62 \(reserved\), poll 0 \(1s\), precision 0\n.*Reference-ID: 10\.0\.0\.1 INFO_QUERY$/);
  const key = [...SERVER, ...u32(8)];
  assert.match(ntp(key, 1), /\n\tKey id: 8$/);
  const md5 = [...SERVER, ...u32(8), ...u32(0x57ea530f), ...u32(0x6d74350c), ...u32(0xc5286bfe), ...u32(0xc1ab8ca7)];
  assert.match(ntp(md5, 1), /\n\tKey id: 8\n\tAuthentication: 57ea530f6d74350cc5286bfec1ab8ca7$/);
  const sha1 = [...md5, ...u32(0x47c73584)];
  assert.match(ntp(sha1, 1), /Authentication: 57ea530f6d74350cc5286bfec1ab8ca747c73584$/);
  assert.match(ntp([...SERVER, ...new Array(10).fill(0)], 1), /\n\t\(10 more bytes after the header\)$/);
  assert.equal(ntp([0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9], 1), 'NTPv0, unspecified, length 10\n\tLeap indicator:  (0) (invalid)');
});

test('-v: deltas borrow and sign as tcpdump does', () => {
  const msg = [...SERVER];
  msg.splice(24, 8, ...u32(3712483317), ...u32(0x10000000));
  assert.match(ntp(msg, 1), /Originator - Receive Timestamp:  -0\.\d{9}\n/);
  msg.splice(24, 8, ...u32(3712483316), ...u32(0xee0f4742));
  assert.match(ntp(msg, 1), /Originator - Receive Timestamp:  -0\.000000000\n/);
});

test('control messages (mode 6)', () => {
  const req = [0x16, 0x02, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0];
  assert.equal(ntp(req, 1), 'NTPv2, Control Message, length 12\n\tLeap indicator:  (0), Request, OK, Last, OpCode=2\n' +
    '\tSequence=1, Status=0, Assoc.=0, Offset=0, Count=0');
  const resp = [0x16, 0xe1, 0x00, 0x02, 0x06, 0x15, 0x00, 0x07, 0, 0, 0, 4, 1, 2, 3, 4];
  assert.equal(ntp(resp, 1), 'NTPv2, Control Message, length 16\n\tLeap indicator:  (0), Response, Error, More, OpCode=1\n' +
    '\tSequence=2, Status=0x615, Assoc.=7, Offset=0, Count=4\n\tTO-BE-DONE: data not interpreted');
  const bad = [0x16, 0x81, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9, 1];
  assert.match(ntp(bad, 1), /Count=9 \(invalid\)$/);
  assert.match(ntp([0x16, 0x81], 1), /Leap indicator:  \(0\) \(invalid\)$/);
});

test('timestamps: era-0 dates before 1970 and the last second of era 0', () => {
  assert.equal(formatNtpTime(1802554105, 0xb1a9f9d8), '1802554105.693999877 (1957-02-13T21:28:25Z)');
  assert.equal(formatNtpTime(0xffffffff, 0xffffffff), '4294967295.999999999 (2036-02-07T06:28:15Z)');
  assert.equal(formatNtpTime(0, 0x80000000), '0.500000000');
});

test('truncation at every prefix keeps the printed pieces and ends in [|ntp]', () => {
  const full = [...SERVER, ...u32(8), ...new Array(16).fill(0xab)];
  const whole = ntp(full, 1);
  for (let cut = 0; cut < full.length; cut++) {
    const out = ntp(full, 1, cut, full.length);
    assert.ok(out.endsWith(' [|ntp]'), `cut ${cut}: ${out}`);
    assert.ok(whole.startsWith(out.slice(0, -' [|ntp]'.length)), `cut ${cut}: ${out}`);
  }
});

test('fuzz: random bytes only ever throw TRUNCATED', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), fc.nat(120), fc.integer({ min: 0, max: 2 }), (bytes, length, verbose) => {
    const line = new Line();
    throwsOnlyTruncated(() => printNtp(line, Buffer.from(bytes), 0, length, bytes.length, { ...defaultPrintOptions(), verbose }));
  }), { numRuns: 3000 });
});

/** Compares printNtp with every NTP packet of every golden of a variant (ports tcpdump tries first left out). */
function checkNtpCorpus(variant: string, verbose: number): Promise<{ checked: number; failures: string[] }> {
  return checkCorpus([[variant, verbose]],
    (t) => t.proto === 'udp' && (t.sport === 123 || t.dport === 123) && ![53, 5353].some((p) => t.sport === p || t.dport === p),
    (line, data, t, opts) => printNtp(line, data, t.off, t.length, t.capEnd, opts), { numeric: 2 });
}

test('corpus: every NTP packet matches the -nn goldens', { skip: !haveCorpus }, async () => {
  const r = await checkNtpCorpus('nn', 0);
  assert.ok(r.checked > 50, `only ${r.checked} NTP packets found`);
  assert.deepEqual(r.failures.slice(0, 5), [], `${r.failures.length} of ${r.checked} differ`);
});

test('corpus: every NTP packet matches the -nn -v goldens', { skip: !haveCorpus }, async () => {
  const r = await checkNtpCorpus('nnv', 1);
  assert.ok(r.checked > 30, `only ${r.checked} NTP packets found`);
  assert.deepEqual(r.failures.slice(0, 5), [], `${r.failures.length} of ${r.checked} differ`);
});

test('differential: crafted and mutated messages print as the real tcpdump prints them', { skip: !haveTcpdump }, async () => {
  const rnd = prng(0x123);
  const gps = [0x24, 1, 0xfa, 0xe7, ...new Array(8).fill(0), 0x47, 0x50, 0x53, 0, ...SERVER.slice(16)];
  const seeds: number[][] = [
    SERVER, gps, [0xe3, 0, 3, 0xfa, ...new Array(44).fill(0)], [...SERVER, ...u32(8)],
    [...SERVER, ...u32(8), ...new Array(16).fill(0x5a)], [...SERVER, ...u32(8), ...new Array(20).fill(0xa5)],
    [0x1d, 62, 0, 0, ...new Array(8).fill(0), 10, 0, 0, 1, ...new Array(32).fill(0)], [0x0c, 63, 0x81, 0x20, ...SERVER.slice(4)],
    [0x16, 0x02, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0], [0x16, 0xe1, 0x00, 0x02, 0x06, 0x15, 0x00, 0x07, 0, 0, 0, 4, 1, 2, 3, 4],
    [0x17, 0, 0, 0], [0x21, 2, 30, 0x80, ...SERVER.slice(4), ...new Array(12).fill(1)],
  ];
  const frames: AppFrame[] = [];
  for (const seed of seeds) frames.push({ proto: 'udp', sport: 123, dport: 123, payload: Uint8Array.from(seed) });
  for (let n = 0; n < 600; n++) {
    const m = [...seeds[Math.floor(rnd() * seeds.length)]!];
    for (let k = 1 + Math.floor(rnd() * 3); k > 0; k--) {
      const r = rnd();
      if (r < 0.7) m[Math.floor(rnd() * m.length)] = Math.floor(rnd() * 256);
      else if (r < 0.85) m.length = Math.floor(rnd() * m.length);
      else m.push(...new Array(Math.floor(rnd() * 30)).fill(7));
    }
    const f: AppFrame = { proto: 'udp', sport: 123, dport: 40000 + n, payload: Uint8Array.from(m) };
    if (rnd() < 0.25) f.snap = Math.floor(rnd() * (m.length + 1));
    frames.push(f);
  }
  const print: PayloadPrinter = (line, data, t, opts) => printNtp(line, data, t.off, t.length, t.capEnd, opts);
  for (const verbose of [0, 1]) {
    const r = await compareWithTcpdump(frames, [verbose], print);
    assert.deepEqual(r.failures.slice(0, 4), [], `${r.failures.length} of ${r.compared} differ`);
    if (verbose) assert.ok(r.truncated > 50, `only ${r.truncated} truncated`);
  }
});
