import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printKrb } from '../../src/print/krb.js';
import { Line } from '../../src/print/line.js';
import { defaultPrintOptions } from '../../src/print/options.js';
import {
  compareWithTcpdump, haveTcpdump, mutateBytes, printMarkingTruncation, prng, throwsOnlyTruncated,
  type AppFrame, type PayloadPrinter,
} from './app-payloads.js';

function krb(hex: string, capEnd?: number): string {
  const data = Buffer.from(hex, 'hex');
  const line = new Line();
  if (printMarkingTruncation(line, () => printKrb(line, data, 0, data.length, capEnd ?? data.length, defaultPrintOptions()))) {
    assert.equal(line.protocol, 'krb');
  }
  return line.text;
}

const KDC_REQUEST = '04026a6f686e00726f6f74004154484500000000006b7262746774004154484500';
const KDC_REPLY_LE = '04057500690052000102030405060708090a2c01';
const APPL_REQUEST = '0406000307000000';
const ERR_REPLY = '040a75006900520000000000070000006572726f7200';
const SAMPLES = [KDC_REQUEST, KDC_REPLY_LE, APPL_REQUEST, ERR_REPLY, '040c', '6a00', '6b', '01', '05', '04', '0403'];

// Lines taken from tcpdump 4.99.3 -nn on the same payloads.
test('Kerberos 4 messages, v5 and other versions as tcpdump prints them', () => {
  assert.equal(krb(''), ' [|krb]');
  assert.equal(krb(KDC_REQUEST), ' v4 be KDC_REQUEST: john.root@ATHE 535min rbtgt.ATHE');
  assert.equal(krb(APPL_REQUEST), ' v4 be APPL_REQUEST: v0 ^C^G (0) (0)');
  assert.equal(krb(ERR_REPLY), ' v4 be ERR_REPLY: u.i@R #1792 error');
  assert.equal(krb('040c'), ' v4 be PRIVATE: (unknown)');
  assert.equal(krb('0403'), ' v4 le KDC_REQUEST:  [|krb]');
  assert.equal(krb('04'), ' v4 [|krb]');
  assert.equal(krb('6a00'), ' v5');
  assert.equal(krb('01'), ' v1');
  assert.equal(krb('05'), '');
});

test('never throws anything but TRUNCATED on mutated messages', () => {
  const rnd = prng(88);
  const opts = defaultPrintOptions();
  for (let i = 0; i < 3000; i++) {
    const data = Buffer.from(mutateBytes(Buffer.from(SAMPLES[i % SAMPLES.length]!, 'hex'), rnd));
    const line = new Line();
    throwsOnlyTruncated(() => printKrb(line, data, 0, data.length, Math.floor(rnd() * (data.length + 1)), opts));
  }
});

test('matches tcpdump on samples, every truncated prefix and mutations', { skip: !haveTcpdump }, async () => {
  const frames: AppFrame[] = [];
  const rnd = prng(8888);
  for (const hex of SAMPLES) {
    const payload = Buffer.from(hex, 'hex');
    frames.push({ proto: 'udp', sport: 40000, dport: 88, payload });
    for (let snap = 0; snap < payload.length; snap++) frames.push({ proto: 'udp', sport: 40000, dport: 88, payload, snap });
    for (let k = 0; k < 20; k++) {
      frames.push({ proto: 'udp', sport: 750, dport: 40001, payload: Uint8Array.from(mutateBytes(payload, rnd, [0, 1, 2, 4, 6, 10, 106])) });
    }
  }
  const print: PayloadPrinter = (line, data, t, opts) => printKrb(line, data, t.off, t.length, t.capEnd, opts);
  const r = await compareWithTcpdump(frames, [0, 2], print);
  assert.deepEqual(r.failures.slice(0, 4), [], `${r.failures.length} of ${r.compared} differ`);
  assert.ok(r.truncated > 50, `only ${r.truncated} truncated`);
});
