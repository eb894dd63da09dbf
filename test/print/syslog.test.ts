import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printSyslog } from '../../src/print/syslog.js';
import { Line } from '../../src/print/line.js';
import { defaultPrintOptions } from '../../src/print/options.js';
import {
  compareWithTcpdump, haveTcpdump, mutateBytes, printMarkingTruncation, prng, throwsOnlyTruncated,
  type AppFrame, type PayloadPrinter,
} from './app-payloads.js';

function syslog(text: string, verbose = 0, capEnd?: number): string {
  const data = Buffer.from(text, 'latin1');
  const line = new Line();
  if (printMarkingTruncation(line, () => printSyslog(line, data, 0, data.length, capEnd ?? data.length, { ...defaultPrintOptions(), verbose }))) {
    assert.equal(line.protocol, 'syslog');
  }
  return line.text;
}

const SAMPLES = ['<34>hello\x01\xff', '<>', '<192>a', '<1234>x', 'x', '<1', '<13>Dec  3 18:00:00 host app[1]: started', '<191>'];

// Lines taken from tcpdump 4.99.3 -nn, -nn -vv on the same payloads.
test('priority, facility and severity; the message with -v and its hex with -vv', () => {
  assert.equal(syslog(''), ' [|syslog]');
  assert.equal(syslog('<34>hello'), 'SYSLOG auth.critical, length: 9');
  assert.equal(syslog('<>x'), 'SYSLOG kernel.emergency, length: 3');
  assert.equal(syslog('<192>a'), 'SYSLOG unknown (24).emergency, length: 6');
  assert.equal(syslog('<1234>x'), ' (invalid)');
  assert.equal(syslog('x'), ' (invalid)');
  assert.equal(syslog('<19'), ' [|syslog]');
  assert.equal(syslog('<34>hello\x01\xff', 2),
    'SYSLOG, length: 11\n\tFacility auth (4), Severity critical (2)\n\tMsg: hello^AM-^?\n\t0x0000:  3c33 343e 6865 6c6c 6f01 ff');
  assert.equal(syslog('<34>hello', 1, 5), 'SYSLOG, length: 9\n\tFacility auth (4), Severity critical (2)\n\tMsg: h [|syslog]');
  assert.equal(syslog('<192>a', 1), 'SYSLOG, length: 6\n\tFacility unknown (24) (24), Severity emergency (0)\n\tMsg: a');
});

test('never throws anything but TRUNCATED on mutated messages', () => {
  const rnd = prng(514);
  for (let i = 0; i < 3000; i++) {
    const data = Buffer.from(mutateBytes(Buffer.from(SAMPLES[i % SAMPLES.length]!, 'latin1'), rnd, [0x3c, 0x3e, 0x30, 0x39]));
    const line = new Line();
    throwsOnlyTruncated(() => printSyslog(line, data, 0, data.length, Math.floor(rnd() * (data.length + 1)), { ...defaultPrintOptions(), verbose: i % 3 }));
  }
});

test('matches tcpdump on samples, every truncated prefix and mutations', { skip: !haveTcpdump }, async () => {
  const frames: AppFrame[] = [];
  const rnd = prng(514514);
  for (const text of SAMPLES) {
    const payload = Buffer.from(text, 'latin1');
    frames.push({ proto: 'udp', sport: 40000, dport: 514, payload });
    for (let snap = 0; snap < payload.length; snap++) frames.push({ proto: 'udp', sport: 40000, dport: 514, payload, snap });
    for (let k = 0; k < 20; k++) {
      frames.push({ proto: 'udp', sport: 514, dport: 40001, payload: Uint8Array.from(mutateBytes(payload, rnd, [0x3c, 0x3e, 0x30, 0x39])) });
    }
  }
  const print: PayloadPrinter = (line, data, t, opts) => printSyslog(line, data, t.off, t.length, t.capEnd, opts);
  const r = await compareWithTcpdump(frames, [0, 1, 2], print);
  assert.deepEqual(r.failures.slice(0, 4), [], `${r.failures.length} of ${r.compared} differ`);
  assert.ok(r.truncated > 50, `only ${r.truncated} truncated`);
});
