import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printIsakmp } from '../../src/print/isakmp.js';
import { Line } from '../../src/print/line.js';
import { defaultPrintOptions } from '../../src/print/options.js';
import {
  compareWithTcpdump, haveTcpdump, mutateBytes, printMarkingTruncation, prng, throwsOnlyTruncated,
  type AppFrame, type PayloadPrinter,
} from './app-payloads.js';

function isakmp(hex: string, verbose = 0, capEnd?: number): string {
  const data = Buffer.from(hex, 'hex');
  const line = new Line();
  if (printMarkingTruncation(line, () => printIsakmp(line, data, 0, data.length, capEnd ?? data.length, { ...defaultPrintOptions(), verbose }))) {
    assert.equal(line.protocol, 'isakmp');
  }
  return line.text;
}

// Fixed headers: initiator cookie, responder cookie, next payload, version, exchange type, flags, message id, length.
const V1_MAIN = '0102030405060708' + '0000000000000000' + '00100200' + '00000000' + '0000001c';
const V2_INIT = 'a1a2a3a4a5a6a7a8' + '0000000000000000' + '00202208' + '00000000' + '00000024';
const V1_ENCRYPTED = 'b1b2b3b4b5b6b7b8' + 'c1c2c3c4c5c6c7c8' + '0b100501' + 'deadbeef' + '0000001c';
const V2_CUT_SA = 'd1d2d3d4d5d6d7d8' + 'e1e2e3e4e5e6e7e8' + '21202220' + '00000001' + '00000030';
const V1_CUT_VID = 'f1f2f3f4f5f6f7f8' + '0000000000000000' + '0d100400' + '00000000' + '0000002c' + '00000010010203';
const V3 = '0102030405060708' + '0000000000000000' + '00300200' + '00000000' + '0000001c';
const V1_ODD = '1112131415161718' + '0000000000000000' + '00101703' + '00000000' + '0000001c';
// An IKEv1 chain of the payloads described: VID, NONCE, HASH, CERT, CR, KE, SIG, an unassigned type, an empty one
// (each payload's header names the type of the next one).
const payload = (np: number, body: string): string => np.toString(16).padStart(2, '0') + '00' +
  (4 + body.length / 2).toString(16).padStart(4, '0') + body;
const CHAIN_BODY = payload(10, '0102030405060708090a0b0c0d0e0f101112131415161718') + payload(8, 'aabbccdd') +
  payload(6, '04cafe') + payload(7, '01') + payload(4, '11223344') + payload(9, '99') + payload(20, '5566') +
  payload(0, '');
const V1_CHAIN = '2122232425262728' + '0000000000000000' + '0d100400' + '00000000' +
  (28 + CHAIN_BODY.length / 2 + 8).toString(16).padStart(8, '0') + payload(10, '0102030405060708') + CHAIN_BODY;
const SAMPLES = [V1_MAIN, V2_INIT, V1_ENCRYPTED, V2_CUT_SA, V1_CUT_VID, V3, V1_ODD, V1_CHAIN];

// Lines taken from tcpdump 4.99.3 -nn, -nn -v and -nn -vv on the same payloads.
test('the fixed header at each verbosity as tcpdump prints it', () => {
  assert.equal(isakmp(''), ' [|isakmp]');
  assert.equal(isakmp(V1_MAIN.slice(0, 54)), ' [|isakmp]');
  assert.equal(isakmp(V1_MAIN), 'isakmp: phase 1 I ident');
  assert.equal(isakmp(V2_INIT), 'isakmp: parent_sa ikev2_init[I]');
  assert.equal(isakmp(V1_ENCRYPTED), 'isakmp: phase 2/others ? inf[E]');
  assert.equal(isakmp(V2_CUT_SA), 'isakmp: child_sa  ikev2_init[R]');
  assert.equal(isakmp(V1_MAIN, 1), 'isakmp 1.0 msgid 00000000: phase 1 I ident:');
  assert.equal(isakmp(V2_INIT, 1), 'isakmp 2.0 msgid 00000000: parent_sa ikev2_init[I]: (len mismatch: isakmp 36/ip 28)');
  assert.equal(isakmp(V1_ENCRYPTED, 1), 'isakmp 1.0 msgid deadbeef: phase 2/others ? inf[E]: [encrypted n]');
  assert.equal(isakmp(V1_CHAIN, 1), [
    'isakmp 1.0 msgid 00000000: phase 1 I agg:', '    (vid: len=8)', '    (nonce: n len=24)', '    (nonce: n len=4)',
    '    (hash: len=3)', '    (cert: len=1 type=pkcs7)', '    (cr: len=4 type=#17)', '    (ke: key len=1)',
    '    (sig: len=2)', '    () (len mismatch: isakmp 107/ip 111)',
  ].join('\n'));
  assert.equal(isakmp(V2_CUT_SA, 2), 'isakmp 2.0 msgid 00000001 cookie d1d2d3d4d5d6d7d8->e1e2e3e4e5e6e7e8: ' +
    'child_sa  ikev2_init[R]: [|v2sa] (len mismatch: isakmp 48/ip 28)');
});

test('never throws anything but TRUNCATED on mutated messages', () => {
  const rnd = prng(500);
  for (let i = 0; i < 3000; i++) {
    const data = Buffer.from(mutateBytes(Buffer.from(SAMPLES[i % SAMPLES.length]!, 'hex'), rnd));
    const line = new Line();
    throwsOnlyTruncated(() => printIsakmp(line, data, 0, data.length, Math.floor(rnd() * (data.length + 1)), { ...defaultPrintOptions(), verbose: i % 3 }));
  }
});

test('matches tcpdump on headers, every truncated prefix and mutated headers', { skip: !haveTcpdump }, async () => {
  const frames: AppFrame[] = [];
  const rnd = prng(500500);
  for (const hex of SAMPLES) {
    const payload = Buffer.from(hex, 'hex');
    frames.push({ proto: 'udp', sport: 40000, dport: 500, payload });
    for (let snap = 0; snap < payload.length; snap++) frames.push({ proto: 'udp', sport: 40000, dport: 500, payload, snap });
  }
  // Mutations of the header fields that do not open a payload chain (np 0): the chain is a known gap at -v.
  for (let k = 0; k < 300; k++) {
    const m = Buffer.from(mutateBytes(Buffer.from(SAMPLES[k % 3]!, 'hex'), rnd, [0, 1, 0x10, 0x20, 0x22, 0x25, 0x28]));
    if (m.length > 16) m[16] = 0;
    // A fresh initiator cookie each time: tcpdump labels a remembered cookie by address, which these printers do not see.
    if (m.length >= 8) m.writeUInt32BE(k + 0x10000, 0);
    frames.push({ proto: 'udp', sport: 500, dport: 500, payload: m });
  }
  const print: PayloadPrinter = (line, data, t, opts) => printIsakmp(line, data, t.off, t.length, t.capEnd, opts);
  const r = await compareWithTcpdump(frames, [0, 1, 2, 3], print);
  assert.deepEqual(r.failures.slice(0, 4), [], `${r.failures.length} of ${r.compared} differ`);
  assert.ok(r.truncated > 50, `only ${r.truncated} truncated`);
});
